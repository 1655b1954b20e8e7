import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import type { TraceEvent } from '@shared/trace'
import { lossyDropList, lossyLateReply } from '../../src/main/checkpoints/lossy-rules'
import { sessionFactory } from '../main/helpers'
import { exactLine, freeUdpPort, linesMatching, runPython, stopAllPython, udpReady } from './python'

// Lab 4's Python programs and the app's lossy actors, each against the other, directly and
// through either relay. Tests wait for printed lines, trace events or exits, never a fixed time.

const LOSSY_DIR = fileURLToPath(new URL('../../labs/lossy-udp/', import.meta.url))
const HOST = '127.0.0.1'
const python = (file: string, args: (string | number)[]) => runPython(file, args, LOSSY_DIR)
const newSession = sessionFactory('lossy-udp')

afterEach(stopAllPython)

/** "20 of 20 PINGs sent: 18 replies, 2 lost (3, 7)" → the lost numbers. */
function lostPrinted(stdout: string): number[] {
  const line = linesMatching(stdout, /^\d+ of \d+ PINGs sent: \d+ replies, \d+ lost \(/)[0]
  const listed = /\(([^)]*)\)$/.exec(line ?? '')?.[1] ?? ''
  return listed === 'none' ? [] : listed.split(', ').map(Number)
}

/** Every anchor an actor names is on a line of the Python file it names. */
function expectAnchorsInPython(trace: readonly TraceEvent[]) {
  const seen = new Set<string>()
  for (const e of trace) {
    if (!e.anchor) continue
    seen.add(`${e.anchor.file}#${e.anchor.name}`)
    const text = readFileSync(join(LOSSY_DIR, e.anchor.file), 'utf8')
    expect(text, `${e.actor} ${e.op} → ${e.anchor.file}#${e.anchor.name}`).toMatch(
      new RegExp(`# anchor: ${e.anchor.name}$`, 'm'),
    )
  }
  return seen
}

const timeoutsOf = (trace: readonly TraceEvent[], actor: string) =>
  trace
    .filter((e) => e.actor === actor && e.op === 'timeout')
    .map((e) => Number(/PING (\d+)/.exec(e.message ?? '')?.[1]))

describe('lossy_client.py against the app lossy server', () => {
  it('with a drop list 3, 7: the client reports exactly those as lost', async () => {
    const { session } = newSession()
    const port = await freeUdpPort()
    const server = session.startActor({
      kind: 'lossy-server',
      host: HOST,
      port,
      options: { dropList: [3, 7], seed: 5 },
    })
    await server.ready
    const c = python('lossy_client.py', [port, '--count', 10, '--timeout', 0.2])
    expect((await c.exited).code, c.transcript()).toBe(0)
    expect(lostPrinted(c.stdout), c.transcript()).toEqual([3, 7])
    expect(c.stdout).toContain('ping 3: no reply within 0.2 s - counted as lost, going on')
    expect(linesMatching(c.stdout, /^ping \d+: PONG \d+ in \d+\.\d+ ms$/)).toHaveLength(8)
    const drops = session.trace.filter((e) => e.actor === server.id && e.op === 'drop')
    expect(drops.map((e) => e.payload)).toEqual(['PONG 3', 'PONG 7'])
    expect(drops.every((e) => e.tag === 'lost')).toBe(true)
    // The client is the student's program: the rule wants the app client's report too.
    expect(lossyDropList.evaluate(session.trace, {}).passed).toBe(false)
    expect(expectAnchorsInPython(session.trace)).toContain('lossy_server.py#drop')
  })
})

describe('the app lossy client against lossy_server.py', () => {
  it('with --drop-list 2,5: the app reports timeouts on exactly 2 and 5', async () => {
    const { session } = newSession()
    const port = await freeUdpPort()
    const s = python('lossy_server.py', [port, '--drop-list', '2,5'])
    await s.waitForLine(udpReady(port))
    expect(s.stdout).toMatch(/^seed \d+, dropping replies to PING 2, 5$/m)
    const client = session.startActor({
      kind: 'lossy-client',
      host: HOST,
      port,
      options: { count: 6, timeoutMs: 200 },
    })
    expect((await client.done).state).toBe('finished')
    expect(timeoutsOf(session.trace, client.id)).toEqual([2, 5])
    await s.waitForLines(/dropped reply to PING \d - simulated loss$/, 2)
    await s.waitForLines(/replied b'PONG \d'$/, 4)
    const seen = expectAnchorsInPython(session.trace)
    for (const name of ['socket', 'settimeout', 'sendto', 'recvfrom', 'timeout', 'close']) {
      expect(seen).toContain(`lossy_client.py#${name}`)
    }
  })

  it('the same --seed replays the same losses; Ctrl+C prints them', async () => {
    const { session } = newSession()
    const lostBy: number[][] = []
    for (let i = 0; i < 2; i++) {
      const port = await freeUdpPort()
      const s = python('lossy_server.py', [port, '--drop', 0.4, '--seed', 2024])
      await s.waitForLine(exactLine('seed 2024, drop probability 0.4'))
      await s.waitForLine(udpReady(port))
      const client = session.startActor({
        kind: 'lossy-client',
        host: HOST,
        port,
        options: { count: 20, timeoutMs: 100 },
      })
      await client.done
      lostBy.push(timeoutsOf(session.trace, client.id))
      await s.waitForLines(/^(from|PING) /, 20)
      expect((await s.stop('SIGINT')).code, s.transcript()).toBe(0)
      const summary = linesMatching(s.stdout, /^stopped with Ctrl\+C: 20 PINGs, /)[0]
      expect(summary, s.transcript()).toBe(
        `stopped with Ctrl+C: 20 PINGs, ${lostBy[i]!.length} replies dropped (${lostBy[i]!.join(', ')})`,
      )
    }
    expect(lostBy[0]!.length).toBeGreaterThan(0)
    expect(lostBy[1]).toEqual(lostBy[0])
  })
})

describe('the app lossy client → impair_relay.py → the app lossy server', () => {
  it('a delay longer than the timeout makes late replies the client tells apart', async () => {
    const { session } = newSession()
    const [serverPort, relayPort] = [await freeUdpPort(), await freeUdpPort()]
    await session.startActor({ kind: 'lossy-server', host: HOST, port: serverPort }).ready
    const relay = python('impair_relay.py', [relayPort, serverPort, '--delay', 100, '--seed', 3])
    await relay.waitForLine(exactLine('seed 3: drop 0, delay 100 +/- 0 ms, duplicate 0, reorder 0'))
    await relay.waitForLine(/^relaying /)
    const client = session.startActor({
      kind: 'lossy-client',
      host: HOST,
      port: relayPort,
      options: { count: 8, timeoutMs: 150 },
    })
    expect((await client.done).state).toBe('finished')
    const late = session.trace.filter((e) => e.actor === client.id && e.tag === 'late')
    expect(late.length, JSON.stringify(session.trace.slice(-20))).toBeGreaterThan(0)
    expect(late[0]!.message).toMatch(/^late reply to PING \d+ \(already timed out\) — ignored$/)
    expect(lossyLateReply.evaluate(session.trace, {}).passed).toBe(true)
    expect(relay.stdout).toMatch(/^client 127\.0\.0\.1:\d+ -> server: b'PING 1' held 100 ms$/m)
    expect(relay.stdout).toMatch(/^server -> client 127\.0\.0\.1:\d+: b'PONG 1' held 100 ms$/m)
  })

  it('drops and duplicates by the Python relay reach the app client as losses and duplicates', async () => {
    const { session } = newSession()
    const [serverPort, relayPort] = [await freeUdpPort(), await freeUdpPort()]
    await session.startActor({ kind: 'lossy-server', host: HOST, port: serverPort }).ready
    const relay = python('impair_relay.py', [
      relayPort,
      serverPort,
      '--drop',
      0.2,
      '--duplicate',
      0.5,
      '--seed',
      11,
    ])
    await relay.waitForLine(/^relaying /)
    const client = session.startActor({
      kind: 'lossy-client',
      host: HOST,
      port: relayPort,
      options: { count: 20, timeoutMs: 100 },
    })
    await client.done
    // Each PING the client gave up on had its PING or its PONG dropped by the relay (a
    // duplicated PING can lose one copy's reply and still be answered, so not the reverse).
    const dropped = new Set(
      linesMatching(relay.stdout, / dropped by the relay$/).map((l) =>
        Number(/b'P[IO]NG (\d+)'/.exec(l)![1]),
      ),
    )
    const timedOut = timeoutsOf(session.trace, client.id)
    expect(timedOut.length).toBeGreaterThan(0)
    for (const n of timedOut) expect(dropped, relay.stdout).toContain(n)
    const dupes = session.trace.filter((e) => e.actor === client.id && e.tag === 'duplicate')
    expect(dupes.length).toBeGreaterThan(0)
  })
})

describe('lossy_client.py → the app relay → lossy_server.py', () => {
  it('the Python client prints the late replies the app relay caused', async () => {
    const { session } = newSession()
    const [serverPort, relayPort] = [await freeUdpPort(), await freeUdpPort()]
    const s = python('lossy_server.py', [serverPort])
    await s.waitForLine(udpReady(serverPort))
    const relay = session.startActor({
      kind: 'udp-relay',
      host: HOST,
      port: relayPort,
      options: {
        targetPort: serverPort,
        seed: 99,
        // A round trip of 600 ms against a 150 ms timeout: late however loaded the machine is,
        // and PONG 1 still comes back while the client waits for PING 4 or 5.
        impair: { drop: 0, delayMs: 300, jitterMs: 0, duplicate: 0, reorder: 0 },
      },
    })
    await relay.ready
    const c = python('lossy_client.py', [relayPort, '--count', 8, '--timeout', 0.15])
    expect((await c.exited).code, c.transcript()).toBe(0)
    expect(c.stdout).toMatch(/^ping \d+: late reply to PING 1 \(already timed out\) - ignored$/m)
    expect(linesMatching(c.stdout, /^ping \d+: PONG \d+ in /)).toEqual([])
    const delayed = session.trace.filter((e) => e.actor === relay.id && e.tag === 'delayed')
    expect(delayed.map((e) => e.payload)).toContain('PONG 1')
    expect(expectAnchorsInPython(session.trace)).toContain('impair_relay.py#delay')
  })
})

describe('the Python programs on their own', () => {
  it.each([
    ['lossy_server.py', ['--drop', '1.0']],
    ['lossy_server.py', ['--drop-list', 'three']],
    ['lossy_server.py', ['--seed', '-1']],
    ['lossy_client.py', ['--timeout', '0']],
    ['lossy_client.py', ['--timeout', '2', '--no-timeout']],
    ['impair_relay.py', ['--jitter', 'lots']],
  ])('%s %j prints a usage line and exits 2', async (file, args) => {
    const program = python(file, args)
    expect((await program.exited).code).toBe(2)
    expect(program.stderr).toMatch(new RegExp(`^usage: ${file.replace('.', '\\.')} `))
  })

  it('a client with --no-timeout blocks on a dropped reply; Ctrl+C cancels it', async () => {
    const port = await freeUdpPort()
    const s = python('lossy_server.py', [port, '--drop-list', '2'])
    await s.waitForLine(udpReady(port))
    const c = python('lossy_client.py', [port, '--no-timeout', '--count', 5])
    await c.waitForLine(/^ping 1: PONG 1 in /)
    await s.waitForLine(/dropped reply to PING 2 - simulated loss$/)
    expect((await c.stop('SIGINT')).code, c.transcript()).toBe(0)
    expect(c.stdout).toContain('cancelled while blocked in recvfrom() waiting for PONG 2')
    expect(c.stdout).toContain('2 of 5 PINGs sent: 1 replies, 0 lost (none)')
  })
})
