import { readFileSync } from 'node:fs'
import { createSocket } from 'node:dgram'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { CheckpointSpec } from '@shared/lab'
import type { TraceEvent } from '@shared/trace'
import { evaluateCheckpoints } from '../../src/main/checkpoints'
import { loadLab } from '../../src/main/labs/load-labs'
import { LabSession } from '../../src/main/session/lab-session'
import { sessionHooks, waitForEvent } from '../main/helpers'
import {
  COUNTER_DIR,
  exactLine,
  freeUdpPort,
  linesMatching,
  runPython,
  stopAllPython,
  udpReady,
} from './python'

// The Counter lab's Python programs against each other, and against the app's counter
// actors in both directions. Tests wait for printed lines, trace events or exits; the only
// pauses are the clients' own, between their PINGs.

const SERVER = 'counter_server.py'
const CLIENT = 'counter_client.py'
const HOST = '127.0.0.1'

const server = (args: (string | number)[]) => runPython(SERVER, args, COUNTER_DIR)
const client = (args: (string | number)[]) => runPython(CLIENT, args, COUNTER_DIR)

/** "ping 3: PONG #7 (from 127.0.0.1:50008 in 0.25 ms)" → 7. */
const REPLY_LINE = /^ping (\d+): PONG #(\d+) \(from 127\.0\.0\.1:(\d+) in \d+\.\d+ ms\)$/
const TIMEOUT_LINE = /^ping \d+: no reply within 2 s \(timeout\) - going on$/

function numbersPrinted(stdout: string): number[] {
  return linesMatching(stdout, REPLY_LINE).map((line) => Number(REPLY_LINE.exec(line)![2]))
}

let checkpoints: CheckpointSpec[] = []
const sessions: LabSession[] = []

beforeAll(async () => {
  const loaded = await loadLab(join(COUNTER_DIR, '..'), 'counter')
  if (!('lab' in loaded)) throw new Error(JSON.stringify(loaded.errors))
  checkpoints = loaded.lab.checkpoints
})

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()))
  await stopAllPython()
})

function newSession() {
  const { sink, hooks } = sessionHooks()
  const session = new LabSession('counter', hooks)
  sessions.push(session)
  return { session, sink }
}

function passed(trace: readonly TraceEvent[]): string[] {
  return evaluateCheckpoints(checkpoints, trace)
    .filter((r) => r.passed)
    .map((r) => r.id)
}

/** Every code anchor in the trace names a line that carries it in the counter's Python file. */
function expectAnchorsInPython(trace: readonly TraceEvent[]) {
  for (const e of trace) {
    if (!e.anchor) continue
    const text = readFileSync(join(COUNTER_DIR, e.anchor.file), 'utf8')
    const marker = new RegExp(`# anchor: ${e.anchor.name}$`, 'm')
    expect(text, `${e.actor} ${e.op} → ${e.anchor.file}#${e.anchor.name}`).toMatch(marker)
  }
}

const countedBy = (trace: readonly TraceEvent[], actor: string) =>
  trace
    .filter((e) => e.actor === actor && e.op === 'recvfrom')
    .map((e) => Number(/^PONG #(\d+)$/.exec(e.payload ?? '')?.[1]))

describe('counter_client.py against counter_server.py', () => {
  it('shared: the second client run goes on from the first; Ctrl+C forgets the count', async () => {
    const port = await freeUdpPort()
    const s = server([port])
    await s.waitForLine(udpReady(port))
    await s.waitForLine(exactLine('counting mode: shared'))

    for (const expected of [
      [1, 2, 3, 4, 5],
      [6, 7, 8],
    ]) {
      const c = client([port, '--count', expected.length])
      expect((await c.exited).code, c.transcript()).toBe(0)
      expect(numbersPrinted(c.stdout), c.transcript()).toEqual(expected)
      expect(c.stdout).toContain(`sending ${expected.length} PING(s) to ${HOST}:${port}`)
      expect(c.stdout).toContain(
        `client closed: ${expected.length} of ${expected.length} PINGs got a reply`,
      )
      for (const line of linesMatching(c.stdout, REPLY_LINE)) {
        expect(REPLY_LINE.exec(line)![3]).toBe(String(port))
      }
    }
    await s.waitForLines(/^from 127\.0\.0\.1:\d+: b'PING', replied b'PONG #\d+'$/, 8)
    const exit = await s.stop('SIGINT')
    expect(exit.code, s.transcript()).toBe(0)
    expect(s.stdout).toContain('stopped with Ctrl+C')
    expect(s.stdout).toContain('server closed, bye: 1 count(s) forgotten')
    expect(s.stderr).toBe('')
  })

  it('per-client: two clients at once each count from #1', async () => {
    const port = await freeUdpPort()
    const s = server([port, '--mode', 'per-client'])
    await s.waitForLine(exactLine('counting mode: per-client'))
    const [a, b] = [
      client([port, '--count', 4, '--pause', 0.05]),
      client([port, '--count', 4, '--pause', 0.05]),
    ]
    for (const c of [a, b]) {
      expect((await c.exited).code, c.transcript()).toBe(0)
      expect(numbersPrinted(c.stdout), c.transcript()).toEqual([1, 2, 3, 4])
    }
    await s.waitForLines(/replied b'PONG #4'$/, 2)
    expect((await s.stop('SIGINT')).code).toBe(0)
    expect(s.stdout).toContain('server closed, bye: 2 count(s) forgotten')
  })

  it(
    'a restart while the client pings: timeouts, then PONG #1 again',
    { timeout: 30_000 },
    async () => {
      const port = await freeUdpPort()
      const first = server([port])
      await first.waitForLine(udpReady(port))
      const c = client([port, '--count', 6, '--pause', 0.3])
      await c.waitForLine(/^ping 2: PONG #2 /)
      expect((await first.stop('SIGINT')).code, first.transcript()).toBe(0)
      await c.waitForLine(TIMEOUT_LINE)
      const second = server([port])
      await second.waitForLine(udpReady(port))
      expect((await c.exited).code, c.transcript()).toBe(0)

      const numbers = numbersPrinted(c.stdout)
      expect(numbers.slice(0, 2)).toEqual([1, 2])
      // After the restart, the replies count from 1 again.
      const lines = c.stdout.split('\n')
      const lastTimeout = lines.map((l) => TIMEOUT_LINE.test(l)).lastIndexOf(true)
      const after = numbersPrinted(lines.slice(lastTimeout + 1).join('\n'))
      expect(after.length, c.transcript()).toBeGreaterThan(0)
      expect(after).toEqual(after.map((_, i) => i + 1))
      expect((await second.stop('SIGINT')).code).toBe(0)
    },
  )

  it('the server answers a datagram that is not PING with an error, and does not count it', async () => {
    const port = await freeUdpPort()
    const s = server([port])
    await s.waitForLine(udpReady(port))
    const socket = createSocket('udp4')
    await new Promise<void>((resolve) => socket.bind(0, HOST, () => resolve()))
    const ask = (text: string) =>
      new Promise<string>((resolve) => {
        socket.once('message', (data) => resolve(data.toString('utf8')))
        socket.send(text, port, HOST)
      })
    try {
      expect(await ask('HELLO')).toBe('ERROR expected PING')
      expect(await ask('PING\n')).toBe('PONG #1')
      expect(await ask('PING')).toBe('PONG #2')
    } finally {
      await new Promise<void>((resolve) => socket.close(() => resolve()))
    }
    await s.waitForLine(/b'HELLO', replied b'ERROR expected PING'$/)
  })

  it.each([
    [SERVER, ['not-a-port']],
    [SERVER, ['--mode', 'global']],
    [CLIENT, ['80']],
    [CLIENT, ['--count', '0']],
    [CLIENT, ['--pause', 'soon']],
  ])('%s %j prints a usage line and exits 2', async (file, args) => {
    const program = runPython(file, args, COUNTER_DIR)
    expect((await program.exited).code).toBe(2)
    expect(program.stderr).toMatch(new RegExp(`^usage: ${file.replace('.', '\\.')} `))
  })

  it('the server reports a port that is already taken instead of crashing', async () => {
    const port = await freeUdpPort()
    const first = server([port])
    await first.waitForLine(udpReady(port))
    const second = server([port])
    expect((await second.exited).code, second.transcript()).toBe(1)
    expect(second.stdout).toMatch(new RegExp(`^cannot bind 127\\.0\\.0\\.1:${port}: `, 'm'))
    expect(second.stderr).toBe('')
  })
})

describe('counter_client.py against the app counter server', () => {
  it('gets PONG #1 … #5, sent to the address recvfrom() returned; the trace passes step 1', async () => {
    const { session } = newSession()
    const port = await freeUdpPort()
    const app = session.startActor({ kind: 'counter-server', host: HOST, port })
    await app.ready

    const c = client([port])
    expect((await c.exited).code, c.transcript()).toBe(0)
    expect(numbersPrinted(c.stdout)).toEqual([1, 2, 3, 4, 5])

    const sent = session.trace.filter((e) => e.actor === app.id && e.op === 'sendto')
    expect(sent.map((e) => e.payload)).toEqual([
      'PONG #1',
      'PONG #2',
      'PONG #3',
      'PONG #4',
      'PONG #5',
    ])
    expect(new Set(sent.map((e) => e.remote)).size).toBe(1)
    expect(sent[0]!.remote).toMatch(/^127\.0\.0\.1:\d+$/)
    expect(passed(session.trace)).toEqual(['counter-five-in-order'])
    expectAnchorsInPython(session.trace)
  })

  it.each(['shared', 'per-client'] as const)(
    '%s: two Python clients at once, checked from the server side',
    async (countMode) => {
      const { session } = newSession()
      const port = await freeUdpPort()
      const app = session.startActor({
        kind: 'counter-server',
        host: HOST,
        port,
        options: { countMode },
      })
      await app.ready
      // A pings slowly; B starts once A has its first reply, while A still has five to go.
      const a = client([port, '--count', 6, '--pause', 0.5])
      await a.waitForLine(/^ping 1: /)
      const b = client([port, '--count', 5])
      expect((await b.exited).code, b.transcript()).toBe(0)
      expect((await a.exited).code, a.transcript()).toBe(0)

      if (countMode === 'shared') {
        // Between them they got each number once: 1 to 11, no gap, no repeat.
        const all = [...numbersPrinted(a.stdout), ...numbersPrinted(b.stdout)]
        expect(all.sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
        expect(numbersPrinted(a.stdout)[0]).toBe(1)
        expect(passed(session.trace)).toContain('counter-shared-two-clients')
        expect(passed(session.trace)).not.toContain('counter-per-client-two-clients')
      } else {
        expect(numbersPrinted(a.stdout)).toEqual([1, 2, 3, 4, 5, 6])
        expect(numbersPrinted(b.stdout)).toEqual([1, 2, 3, 4, 5])
        expect(passed(session.trace)).toContain('counter-per-client-two-clients')
        expect(passed(session.trace)).not.toContain('counter-shared-two-clients')
      }
    },
  )

  it(
    'sees the app server restart: timeouts, then PONG #1; the trace passes step 2',
    { timeout: 30_000 },
    async () => {
      const { session } = newSession()
      const port = await freeUdpPort()
      const first = session.startActor({ kind: 'counter-server', host: HOST, port })
      await first.ready
      const c = client([port, '--count', 6, '--pause', 0.3])
      await c.waitForLine(/^ping 2: PONG #2 /)
      await session.stopActor(first.id)
      await c.waitForLine(TIMEOUT_LINE)
      await session.startActor({ kind: 'counter-server', host: HOST, port }).ready
      expect((await c.exited).code, c.transcript()).toBe(0)
      expect(numbersPrinted(c.stdout).at(-1)).toBeLessThan(6)
      expect(passed(session.trace)).toContain('counter-restarted')
    },
  )
})

describe('the app counter client against counter_server.py', () => {
  it('prints nothing itself: its trace carries each full reply, PONG #1 … #5', async () => {
    const { session } = newSession()
    const port = await freeUdpPort()
    const s = server([port])
    await s.waitForLine(udpReady(port))

    const app = session.startActor({ kind: 'counter-client', host: HOST, port })
    expect((await app.done).state).toBe('finished')
    expect(countedBy(session.trace, app.id)).toEqual([1, 2, 3, 4, 5])
    const local = session.trace.find((e) => e.actor === app.id && e.op === 'sendto')!.local
    const served = await s.waitForLines(/replied b'PONG #\d'$/, 5)
    for (const line of served) expect(line).toContain(`from ${local}: b'PING'`)
    expect(passed(session.trace)).toEqual(['counter-five-in-order'])
    expectAnchorsInPython(session.trace)
  })

  it.each(['shared', 'per-client'] as const)(
    '%s: two app clients at once, checked from the client side',
    async (mode) => {
      const { session, sink } = newSession()
      const port = await freeUdpPort()
      const s = server([port, '--mode', mode])
      await s.waitForLine(udpReady(port))
      const a = session.startActor({
        kind: 'counter-client',
        host: HOST,
        port,
        options: { count: 6, intervalMs: 400 },
      })
      await waitForEvent(session, sink, (e) => e.actor === a.id && e.op === 'recvfrom')
      const b = session.startActor({ kind: 'counter-client', host: HOST, port })
      await Promise.all([a.done, b.done])

      if (mode === 'shared') {
        const all = [...countedBy(session.trace, a.id), ...countedBy(session.trace, b.id)]
        expect(all.sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
        expect(countedBy(session.trace, a.id)[0]).toBe(1)
        expect(passed(session.trace)).toEqual(['counter-shared-two-clients'])
      } else {
        expect(countedBy(session.trace, a.id)).toEqual([1, 2, 3, 4, 5, 6])
        expect(countedBy(session.trace, b.id)).toEqual([1, 2, 3, 4, 5])
        expect(passed(session.trace)).toEqual([
          'counter-five-in-order',
          'counter-per-client-two-clients',
        ])
      }
    },
  )

  it(
    'across a restart of counter_server.py: the trace passes step 2',
    { timeout: 30_000 },
    async () => {
      const { session, sink } = newSession()
      const port = await freeUdpPort()
      const first = server([port])
      await first.waitForLine(udpReady(port))
      const app = session.startActor({
        kind: 'counter-client',
        host: HOST,
        port,
        options: { count: 8, intervalMs: 150, timeoutMs: 300 },
      })
      await waitForEvent(
        session,
        sink,
        (e) => e.actor === app.id && e.op === 'recvfrom' && e.payload === 'PONG #2',
      )
      expect((await first.stop('SIGINT')).code).toBe(0)
      await waitForEvent(session, sink, (e) => e.actor === app.id && e.op === 'timeout')
      const second = server([port])
      await second.waitForLine(udpReady(port))
      expect((await app.done).state).toBe('finished')
      const numbers = countedBy(session.trace, app.id)
      expect(numbers.slice(0, 2)).toEqual([1, 2])
      expect(numbers.at(-1)).toBeLessThan(numbers.length)
      expect(passed(session.trace)).toContain('counter-restarted')
    },
  )
})
