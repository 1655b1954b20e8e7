import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { setTimeout as delay } from 'node:timers/promises'
import { connect, createServer, type AddressInfo, type Server } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { TraceEvent } from '@shared/trace'
import { defaultTracerPath } from '../../src/main/student/paths'
import { TRACE_FD_ENV, type StartRequest } from '../../src/main/student/runner'
import { freePort, HOST, rawUdp } from '../main/helpers'
import { freeUdpPort } from './python'
import { STUDENT_PROGRAMS, startWatched, studentRunner, type Watched } from './student-run'

// The tracer never changes what a program does: each course-style program runs untraced, then
// traced, against the same peers; their output, exit and the bytes the peer received must be
// the same. The traced run also records its calls (else the comparison would prove nothing).

const runner = studentRunner()
const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))))
})

interface Observed {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Run a program to its end, traced or not, during `drive` (the peer's part). */
async function observe(
  request: StartRequest,
  traced: boolean,
  drive: (program: Watched) => Promise<void> = async () => undefined,
): Promise<Observed & { records: number }> {
  let records = 0
  const watched = startWatched(runner(), {
    ...request,
    trace: traced,
    onTraceChunk: (chunk) => (records += chunk.split('\n').length - 1),
  })
  await drive(watched)
  const exit = await watched.program.exited
  const { output } = watched.program
  return {
    code: exit.code,
    signal: exit.signal,
    stdout: output.text('stdout'),
    stderr: output.text('stderr'),
    records,
  }
}

async function bothWays(
  request: StartRequest,
  drive?: (program: Watched) => Promise<void>,
  between?: () => unknown,
) {
  const plain = await observe(request, false, drive)
  const plainPeer = between?.()
  const traced = await observe(request, true, drive)
  expect(plain.records).toBe(0)
  expect(traced.records).toBeGreaterThan(0)
  const { records: _a, ...untracedRun } = plain
  const { records: _b, ...tracedRun } = traced
  return { untracedRun, tracedRun, plainPeer }
}

/** A TCP peer that answers each PING with PONG and keeps every byte it received, per connection. */
async function pongServer(): Promise<{ port: number; received: string[] }> {
  const received: string[] = []
  const server = createServer((socket) => {
    const index = received.push('') - 1
    socket.on('data', (data) => {
      const before = received[index]!.length
      received[index] += data.toString('latin1')
      const pings = Math.floor(received[index]!.length / 4) - Math.floor(before / 4)
      if (pings > 0) socket.write('PONG'.repeat(pings))
    })
    socket.on('error', () => undefined)
  })
  servers.push(server)
  server.listen(0, HOST)
  await once(server, 'listening')
  return { port: (server.address() as AddressInfo).port, received }
}

/** Resolves once the process sleeps in a system call (Linux /proc: state S), polling. */
async function blockedInKernel(pid: number): Promise<void> {
  for (;;) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    if (/^\d+ \(.*\) S /.test(stat)) return
    await delay(5)
  }
}

const file = (name: string) => join(STUDENT_PROGRAMS, name)

describe('traced and untraced, the same program does the same', () => {
  it('TCP ping client against a PONG server: the same output, exit and bytes on the wire', async () => {
    const peer = await pongServer()
    const request = { file: file('ping_client.py'), args: [String(peer.port), '4'] }
    const { untracedRun, tracedRun, plainPeer } = await bothWays(request, undefined, () =>
      peer.received.splice(0),
    )
    expect(tracedRun).toEqual(untracedRun)
    expect(untracedRun.code).toBe(0)
    expect(plainPeer).toEqual(['PING'.repeat(4)])
    expect(peer.received).toEqual(['PING'.repeat(4)])
  })

  it('a refused connection: the same ConnectionRefusedError handling and exit code', async () => {
    const port = await freePort()
    const { untracedRun, tracedRun } = await bothWays({
      file: file('ping_client.py'),
      args: [String(port)],
    })
    expect(tracedRun).toEqual(untracedRun)
    expect(untracedRun).toMatchObject({
      code: 3,
      stdout: 'could not connect: Connection refused\n',
    })
  })

  it('an uncaught exception: the same traceback, word for word, and exit code 1', async () => {
    const port = await freePort()
    const { untracedRun, tracedRun } = await bothWays({
      file: file('broken.py'),
      args: [String(port)],
    })
    expect(tracedRun).toEqual(untracedRun)
    expect(untracedRun.code).toBe(1)
    expect(untracedRun.stderr).toMatch(
      /^Traceback \(most recent call last\):\n {2}File ".*broken\.py", line \d+, in <module>\n/,
    )
  })

  it('a UDP timeout: the same timeout raised after the same settimeout, and the same datagram sent', async () => {
    const silent = await rawUdp()
    const got: string[] = []
    silent.on('message', (data) => got.push(data.toString('latin1')))
    const port = silent.address().port
    const { untracedRun, tracedRun } = await bothWays({
      file: file('timeout_client.py'),
      args: [String(port)],
    })
    expect(tracedRun).toEqual(untracedRun)
    expect(untracedRun.stdout).toBe('no reply within 0.3 s (timeout)\n')
    expect(got).toEqual(['PING', 'PING'])
  })

  it('a UDP counter server: the same replies to the same peer, the same output', async () => {
    const port = await freeUdpPort()
    const peer = await rawUdp()
    const replies: string[] = []
    peer.on('message', (data) => replies.push(data.toString('latin1')))
    const drive = async (server: Watched) => {
      await server.printed(/UDP server ready/)
      for (let n = 1; n <= 3; n++) {
        const reply = once(peer, 'message')
        peer.send('PING', port, HOST)
        await reply
      }
    }
    const { untracedRun, tracedRun } = await bothWays(
      { file: file('counter_server.py'), args: [String(port), '3'] },
      drive,
    )
    expect(tracedRun).toEqual(untracedRun)
    expect(replies).toEqual(['PONG #1', 'PONG #2', 'PONG #3', 'PONG #1', 'PONG #2', 'PONG #3'])
  })

  it.runIf(existsSync('/proc/self/stat'))(
    'Stop during recvfrom with no handler: the same KeyboardInterrupt traceback, ended by SIGINT',
    async () => {
      const port = await freeUdpPort()
      const drive = async (p: Watched) => {
        await p.printed(/waiting\n/)
        // Ctrl+C must find it blocked in recvfrom(), not still returning from print().
        await blockedInKernel(p.program.pid!)
        await p.program.stop()
      }
      const { untracedRun, tracedRun } = await bothWays(
        { file: file('uncaught_wait.py'), args: [String(port)] },
        drive,
      )
      expect(tracedRun).toEqual(untracedRun)
      expect(untracedRun).toMatchObject({ code: null, signal: 'SIGINT' })
      expect(untracedRun.stderr).toMatch(
        /line 8, in <module>\n {4}server\.recvfrom\(1024\)\nKeyboardInterrupt\n$/,
      )
    },
  )

  it('a socket looks the same to the program: its repr, type name and descriptor number', async () => {
    const { untracedRun, tracedRun } = await bothWays({ file: file('show_socket.py') })
    expect(tracedRun).toEqual(untracedRun)
    expect(untracedRun.stdout).toMatch(
      /^<socket\.socket fd=3, family=2, type=1, proto=0, laddr=\('0\.0\.0\.0', 0\)>\nsocket socket True 3\n__main__ True\n<socket\.socket \[closed\]/,
    )
  })
})

/** A client that sends `lines` one at a time, each after the previous answer, then closes. */
async function lineClient(port: number, lines: string[]): Promise<string> {
  const socket = connect({ port, host: HOST })
  await once(socket, 'connect')
  let answers = ''
  socket.on('data', (d: Buffer) => (answers += d.toString('latin1')))
  for (const line of lines) {
    const before = answers.length
    socket.write(line)
    while (answers.length < before + line.length) await once(socket, 'data')
  }
  socket.end()
  await once(socket, 'close')
  return answers
}

describe('socketserver and selectors, traced and untraced', () => {
  for (const [program, ready] of [
    ['socketserver_upper.py', /socketserver ready\n/],
    ['selectors_upper.py', /selectors ready\n/],
  ] as const) {
    it(`${program}: the same answers and output, and its calls traced`, async () => {
      const port = await freePort()
      const answers: string[] = []
      const drive = async (server: Watched) => {
        await server.printed(ready)
        for (const who of ['a', 'b'])
          answers.push(await lineClient(port, [`ping ${who}\n`, 'two\n']))
      }
      const request = { file: file(program), args: [String(port), '2'] }
      const plain = await observe(request, false, drive)
      const events: TraceEvent[] = []
      const traced = await observe(
        { ...request, traceSink: { record: (e) => events.push(e as TraceEvent) } },
        true,
        drive,
      )
      expect({ ...traced, records: 0 }).toEqual(plain)
      expect(plain).toMatchObject({ code: 0, stderr: '' })
      expect(answers).toEqual(['PING A\nTWO\n', 'PING B\nTWO\n', 'PING A\nTWO\n', 'PING B\nTWO\n'])
      const ops = events.map((e) => e.op)
      expect(ops.filter((op) => op === 'accept')).toHaveLength(2)
      expect(ops.filter((op) => op === 'eof')).toHaveLength(2)
      expect(
        events
          .filter((e) => e.op === 'recv')
          .map((e) => e.payload)
          .join(''),
      ).toBe('ping a\\ntwo\\nping b\\ntwo\\n')
      // Every call is tied to a line of the student's file, even when the library makes it.
      expect(events.every((e) => e.anchor?.file === program)).toBe(true)
    })
  }
})

describe('a broken pipe', () => {
  it('the program carries on untraced when the app stops reading its tracer pipe', async () => {
    const peer = await pongServer()
    const child = spawn(
      'python3',
      ['-u', defaultTracerPath(), file('ping_client.py'), String(peer.port), '50'],
      {
        env: { ...process.env, [TRACE_FD_ENV]: '3' },
        stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      },
    )
    // Close our end before the program writes anything: every write then fails (EPIPE).
    child.stdio[3]!.destroy()
    let stdout = ''
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()))
    let stderr = ''
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
    const [code] = (await once(child, 'close')) as [number]
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
    expect(stdout).toMatch(/ping 50: b'PONG'\nclient closed\n$/)
    expect(peer.received).toEqual(['PING'.repeat(50)])
  })
})
