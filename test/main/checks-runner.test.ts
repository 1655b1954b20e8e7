import { createSocket, type Socket as UdpSocket } from 'node:dgram'
import { once } from 'node:events'
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { CheckSchema, type Check, type CheckInput } from '@shared/checks'
import { runChecks, type CheckerTraceInput } from '../../src/main/checks/run-checks'
import { handleBaseline, HOST, waitForNoSocketHandles } from './helpers'

// The student's checks against real loopback servers: a line server that upper-cases each
// line, one that never answers, one that answers without an end of line, and a UDP one.

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

async function tcpServer(onLine: (socket: Socket, data: Buffer) => void): Promise<number> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('data', (data) => onLine(socket, data))
    socket.on('error', () => undefined)
  })
  server.listen({ host: HOST, port: 0 })
  await once(server, 'listening')
  closers.push(async () => {
    for (const s of sockets) s.destroy()
    server.close()
    await once(server, 'close')
  })
  return (server.address() as AddressInfo).port
}

const upperLines = () => tcpServer((socket, data) => socket.write(data.toString().toUpperCase()))

async function udpUpperServer(): Promise<number> {
  const socket: UdpSocket = createSocket('udp4')
  socket.on('message', (data, rinfo) =>
    socket.send(data.toString().toUpperCase(), rinfo.port, rinfo.address),
  )
  socket.bind({ port: 0, address: HOST })
  await once(socket, 'listening')
  closers.push(async () => {
    socket.close()
    await once(socket, 'close')
  })
  return socket.address().port
}

function check(over: Partial<CheckInput> = {}): Check {
  return CheckSchema.parse({
    id: 'c1',
    name: 'upper',
    proto: 'tcp',
    send: 'hello',
    expect: { mode: 'exact', value: 'HELLO' },
    withinMs: 1000,
    ...over,
  })
}

function recorder() {
  const events: CheckerTraceInput[] = []
  return { events, trace: (e: CheckerTraceInput) => void events.push(e) }
}

describe('runChecks over TCP', () => {
  it('passes when the reply line matches exactly, and traces connect, send, recv, close', async () => {
    const port = await upperLines()
    const { events, trace } = recorder()
    const baseline = handleBaseline()
    const run = await runChecks({ host: HOST, port }, [check()], trace)
    const [result] = run.results
    expect(result).toMatchObject({
      passed: true,
      sent: 'hello\n',
      received: 'HELLO\n',
      reply: 'HELLO',
      diffIndex: null,
    })
    expect(result!.replyMs).toBeGreaterThanOrEqual(0)
    expect(events.map((e) => e.op)).toEqual([
      'note',
      'socket',
      'connect',
      'send',
      'recv',
      'close',
      'note',
    ])
    expect(events.find((e) => e.op === 'send')).toMatchObject({ bytes: 6, payload: 'hello\\n' })
    expect(events.at(-1)!.message).toBe('check "upper": passed')
    expect(await waitForNoSocketHandles(baseline)).toEqual([])
  })

  it('fails with the index of the first differing character', async () => {
    const port = await upperLines()
    const run = await runChecks(
      { host: HOST, port },
      [check({ send: 'hello world', expect: { mode: 'exact', value: 'HELLO WORLD!' } })],
      recorder().trace,
    )
    expect(run.results[0]).toMatchObject({ passed: false, reply: 'HELLO WORLD', diffIndex: 11 })
    const other = await runChecks(
      { host: HOST, port },
      [check({ send: 'abc', expect: { mode: 'exact', value: 'AXC' } })],
      recorder().trace,
    )
    expect(other.results[0]).toMatchObject({ passed: false, reply: 'ABC', diffIndex: 1 })
  })

  it('says "no reply within" when the server stays silent, and stops waiting at the limit', async () => {
    const port = await tcpServer(() => undefined)
    const { events, trace } = recorder()
    const started = performance.now()
    const run = await runChecks({ host: HOST, port }, [check({ withinMs: 200 })], trace)
    const elapsed = performance.now() - started
    expect(run.results[0]).toMatchObject({
      passed: false,
      received: null,
      reply: null,
      problem: 'no reply within 200 ms',
    })
    expect(elapsed).toBeGreaterThanOrEqual(190)
    expect(elapsed).toBeLessThan(2000)
    expect(events.map((e) => e.op)).toContain('timeout')
  })

  it('compares what arrived when no end of line came, and says so', async () => {
    const port = await tcpServer((socket) => socket.write('PONG'))
    const run = await runChecks(
      { host: HOST, port },
      [check({ send: 'PING', expect: { mode: 'exact', value: 'PONG' }, withinMs: 150 })],
      recorder().trace,
    )
    expect(run.results[0]).toMatchObject({ passed: true, reply: 'PONG' })
    expect(run.results[0]!.note).toBe('no end of line (\\n) within 150 ms: compared what arrived')
  })

  it('matches a pattern anywhere in the reply, and contains', async () => {
    const port = await tcpServer((socket, data) =>
      socket.write(data.toString().trim() === '1/0' ? 'ERROR division by zero\n' : 'OK 5\n'),
    )
    const run = await runChecks(
      { host: HOST, port },
      [
        check({ id: 'a', send: '2+3', expect: { mode: 'regex', value: '^OK \\d+$' } }),
        check({ id: 'b', send: '1/0', expect: { mode: 'contains', value: 'division' } }),
        check({ id: 'c', send: '1/0', expect: { mode: 'regex', value: '^OK' } }),
      ],
      recorder().trace,
    )
    expect(run.results.map((r) => [r.id, r.passed])).toEqual([
      ['a', true],
      ['b', true],
      ['c', false],
    ])
    expect(run.results[2]!.diffIndex).toBeNull()
  })

  it('stops a pattern that backtracks without end, fails the check and keeps running', async () => {
    // Without the limit this pattern runs for hours and the test times out.
    const port = await upperLines()
    const run = await runChecks(
      { host: HOST, port },
      [
        check({
          id: 'slow',
          send: 'a'.repeat(40) + '!',
          expect: { mode: 'regex', value: '^(A+)+$' },
        }),
        check({ id: 'next', send: 'hello' }),
      ],
      recorder().trace,
    )
    expect(run.results.map((r) => [r.id, r.passed])).toEqual([
      ['slow', false],
      ['next', true],
    ])
    expect(run.results[0]!.problem).toMatch(/took more than 100 ms .* simplify it/)
  })

  it('sends escapes as bytes and compares without the line end', async () => {
    const lines: string[] = []
    const port = await tcpServer((socket, data) => {
      lines.push(data.toString())
      socket.write('A\tB\r\n')
    })
    const run = await runChecks(
      { host: HOST, port },
      [check({ send: 'x\\ty', newline: false, expect: { mode: 'exact', value: 'A\\tB' } })],
      recorder().trace,
    )
    // No \n of its own: the server got exactly x, a tab, y (sent in one write).
    expect(lines).toEqual(['x\ty'])
    expect(run.results[0]).toMatchObject({ passed: true, received: 'A\tB\r\n', reply: 'A\tB' })
  })

  it('reports a refused connection in words, without hanging', async () => {
    const port = await upperLines()
    await closers.pop()!()
    const run = await runChecks({ host: HOST, port }, [check()], recorder().trace)
    expect(run.results[0]!.passed).toBe(false)
    expect(run.results[0]!.problem).toMatch(/Connection refused by 127\.0\.0\.1:\d+/)
  })

  it('stops at once when cancelled', async () => {
    const port = await tcpServer(() => undefined)
    const abort = new AbortController()
    const pending = runChecks(
      { host: HOST, port },
      [check({ withinMs: 30_000 }), check({ id: 'c2', withinMs: 30_000 })],
      recorder().trace,
      abort.signal,
    )
    setTimeout(() => abort.abort(), 50)
    const run = await pending
    expect(run.results).toHaveLength(1)
    expect(run.results[0]!.problem).toBe('the run was cancelled')
  })
})

describe('runChecks over UDP', () => {
  it('sends one datagram and compares the first one back', async () => {
    const port = await udpUpperServer()
    const { events, trace } = recorder()
    const run = await runChecks(
      { host: HOST, port },
      [
        check({ proto: 'udp', newline: false, send: 'hi', expect: { mode: 'exact', value: 'HI' } }),
        check({
          id: 'c2',
          proto: 'udp',
          newline: false,
          send: 'hi',
          expect: { mode: 'exact', value: 'HO' },
        }),
      ],
      trace,
    )
    expect(run.results[0]).toMatchObject({ passed: true, reply: 'HI', proto: 'udp' })
    expect(run.results[1]).toMatchObject({ passed: false, diffIndex: 1 })
    expect(events.filter((e) => e.proto === 'udp').map((e) => e.op)).toContain('recvfrom')
  })

  it('times out when nothing answers', async () => {
    const silent = createSocket('udp4')
    silent.bind({ port: 0, address: HOST })
    await once(silent, 'listening')
    closers.push(async () => {
      silent.close()
      await once(silent, 'close')
    })
    const run = await runChecks(
      { host: HOST, port: silent.address().port },
      [check({ proto: 'udp', withinMs: 100 })],
      recorder().trace,
    )
    expect(run.results[0]).toMatchObject({ passed: false, problem: 'no reply within 100 ms' })
  })
})
