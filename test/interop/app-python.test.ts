import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { CheckpointSpec } from '@shared/lab'
import type { TraceEvent } from '@shared/trace'
import { evaluateCheckpoints } from '../../src/main/checkpoints'
import { loadLab } from '../../src/main/labs/load-labs'
import { LabSession } from '../../src/main/session/lab-session'
import {
  freeTcpPort,
  freeUdpPort,
  linesMatching,
  PING_PONG_DIR,
  runPython,
  stopAllPython,
  tcpReady,
  udpReady,
} from './python'

// The app's own actors and the Python reference programs speak one protocol: each side
// is checked against the other, in both directions, for TCP and UDP. The app's side is
// read from its trace, the Python side from what the program printed.

const OPTIONS = { count: 5, intervalMs: 0, timeoutMs: 2000 }
const PONG_LINE = /^ping [1-5]: PONG (from 127\.0\.0\.1:\d+ )?in \d+\.\d+ ms$/

let checkpoints: CheckpointSpec[] = []
let session: LabSession | undefined

beforeAll(async () => {
  const loaded = await loadLab(join(PING_PONG_DIR, '..'), 'ping-pong')
  if (!('lab' in loaded)) throw new Error(JSON.stringify(loaded.errors))
  checkpoints = loaded.lab.checkpoints
})

afterEach(async () => {
  await session?.dispose()
  session = undefined
  await stopAllPython()
})

function newSession(): LabSession {
  session = new LabSession('ping-pong')
  return session
}

function ofActor(trace: readonly TraceEvent[], actor: string, op?: TraceEvent['op']) {
  return trace.filter((e) => e.actor === actor && (op === undefined || e.op === op))
}

/** Which of the lab's checkpoints this trace passes. */
function passed(trace: readonly TraceEvent[]): string[] {
  return evaluateCheckpoints(checkpoints, trace)
    .filter((r) => r.passed)
    .map((r) => r.id)
}

/** Every code anchor in the trace names a line that really carries it in the Python file. */
function expectAnchorsInPython(trace: readonly TraceEvent[]) {
  const cache = new Map<string, string>()
  for (const e of trace) {
    if (!e.anchor) continue
    const file = e.anchor.file
    if (!cache.has(file)) cache.set(file, readFileSync(join(PING_PONG_DIR, file), 'utf8'))
    const marker = new RegExp(`# anchor: ${e.anchor.name}$`, 'm')
    expect(cache.get(file), `${e.actor} ${e.op} → ${file}#${e.anchor.name}`).toMatch(marker)
  }
}

describe('TCP', () => {
  it('tcp_client.py talks to the app TCP server: 5 PINGs in, PONGs out, then end-of-stream', async () => {
    const s = newSession()
    const port = await freeTcpPort()
    const server = s.startActor({ kind: 'tcp-server', host: '127.0.0.1', port, options: OPTIONS })
    await server.ready

    const client = runPython('tcp_client.py', [port])
    const exit = await client.exited
    expect(exit.code, client.transcript()).toBe(0)
    expect(linesMatching(client.stdout, PONG_LINE), client.transcript()).toHaveLength(5)

    // Like tcp_server.py, the app's server exits by itself once the client has closed.
    expect((await server.done).state).toBe('finished')
    const trace = s.trace
    const recvs = ofActor(trace, server.id, 'recv')
    expect(recvs.map((e) => e.payload)).toEqual(['PING', 'PING', 'PING', 'PING', 'PING'])
    expect(ofActor(trace, server.id, 'send').map((e) => e.payload)).toEqual(Array(5).fill('PONG'))
    // All on one connection, from the Python client's address.
    const accept = ofActor(trace, server.id, 'accept')
    expect(accept).toHaveLength(1)
    expect(new Set(recvs.map((e) => e.conn))).toEqual(new Set([accept[0]!.conn]))
    expect(accept[0]!.remote).toMatch(/^127\.0\.0\.1:\d+$/)

    // end-of-stream, then the connection and the listening socket are closed, in that order.
    const tail = ofActor(trace, server.id).slice(-3)
    expect(tail.map((e) => [e.op, e.anchor?.name])).toEqual([
      ['eof', 'eof'],
      ['close', 'close-conn'],
      ['close', 'close'],
    ])
    expect(passed(trace)).toEqual(expect.arrayContaining(['tcp-five-pongs', 'tcp-server-eof']))
    expectAnchorsInPython(trace)
  })

  it('the app TCP client talks to tcp_server.py: 5 PONGs back, and the Python server exits cleanly', async () => {
    const s = newSession()
    const port = await freeTcpPort()
    const server = runPython('tcp_server.py', [port])
    await server.waitForLine(tcpReady(port))

    const client = s.startActor({ kind: 'tcp-client', host: '127.0.0.1', port, options: OPTIONS })
    const status = await client.done
    expect(status.state, status.message).toBe('finished')

    const trace = s.trace
    const pongs = ofActor(trace, client.id, 'recv')
    expect(pongs.map((e) => e.payload)).toEqual(Array(5).fill('PONG'))
    for (const e of pongs) {
      expect(e.remote).toBe(`127.0.0.1:${port}`)
      expect(e.rttMs).toBeGreaterThanOrEqual(0)
    }
    expect(ofActor(trace, client.id, 'connect')).toHaveLength(1)
    expect(ofActor(trace, client.id, 'close')).toHaveLength(1)

    // The Python side: five answers, then the client's close seen as end of stream.
    const exit = await server.exited
    expect(exit.code, server.transcript()).toBe(0)
    expect(linesMatching(server.stdout, /^received b'PING', replied b'PONG'$/)).toHaveLength(5)
    expect(server.stdout).toMatch(/end of stream/)
    expect(server.stdout).not.toMatch(/ERROR/)

    expect(passed(trace)).toContain('tcp-five-pongs')
    expectAnchorsInPython(trace)
  })
})

describe('UDP', () => {
  it('udp_client.py talks to the app UDP server: each PONG goes to the address recvfrom returned', async () => {
    const s = newSession()
    const port = await freeUdpPort()
    const server = s.startActor({ kind: 'udp-server', host: '127.0.0.1', port, options: OPTIONS })
    await server.ready

    const client = runPython('udp_client.py', [port])
    const exit = await client.exited
    expect(exit.code, client.transcript()).toBe(0)
    const pongs = linesMatching(client.stdout, PONG_LINE)
    expect(pongs, client.transcript()).toHaveLength(5)
    for (const line of pongs) expect(line).toContain(`from 127.0.0.1:${port} `)

    const exchange = ofActor(s.trace, server.id).filter(
      (e) => e.op === 'recvfrom' || e.op === 'sendto',
    )
    expect(exchange.map((e) => `${e.op} ${e.payload}`)).toEqual(
      Array(5).fill(['recvfrom PING', 'sendto PONG']).flat(),
    )
    // Round by round, sendto() answers exactly the address recvfrom() gave.
    for (let round = 0; round < 5; round++) {
      const [received, sent] = [exchange[2 * round]!, exchange[2 * round + 1]!]
      expect(received.remote).toMatch(/^127\.0\.0\.1:\d+$/)
      expect(sent.remote).toBe(received.remote)
    }
    // One Python client, one source port for all five datagrams.
    expect(new Set(exchange.map((e) => e.remote)).size).toBe(1)
    expect(passed(s.trace)).toContain('udp-five-replies')

    // Like udp_server.py the app's server keeps running until it is stopped.
    await s.stopActor(server.id)
    expect((await server.done).state).toBe('stopped')
    expectAnchorsInPython(s.trace)
  })

  it('the app UDP client talks to udp_server.py: 5 PONGs, no timeouts', async () => {
    const s = newSession()
    const port = await freeUdpPort()
    const server = runPython('udp_server.py', [port])
    await server.waitForLine(udpReady(port))

    const client = s.startActor({ kind: 'udp-client', host: '127.0.0.1', port, options: OPTIONS })
    const status = await client.done
    expect(status.state, status.message).toBe('finished')

    const trace = s.trace
    const replies = ofActor(trace, client.id, 'recvfrom')
    expect(replies.map((e) => e.payload)).toEqual(Array(5).fill('PONG'))
    for (const e of replies) expect(e.remote).toBe(`127.0.0.1:${port}`)
    expect(ofActor(trace, client.id, 'sendto').map((e) => e.payload)).toEqual(Array(5).fill('PING'))
    expect(ofActor(trace, client.id, 'timeout')).toHaveLength(0)
    expect(ofActor(trace, client.id, 'close')).toHaveLength(1)

    // The Python server answered the app client's own address, five times.
    const local = ofActor(trace, client.id, 'sendto')[0]!.local
    const served = await server.waitForLines(/^from 127\.0\.0\.1:\d+: b'PING', replied b'PONG'$/, 5)
    for (const line of served) expect(line).toContain(`from ${local}: `)

    const exit = await server.stop('SIGINT')
    expect(exit.code, server.transcript()).toBe(0)
    expectAnchorsInPython(trace)
  })
})

describe('both protocols', () => {
  it('app clients against both Python servers pass the "compared" checkpoint', async () => {
    const s = newSession()
    const [tcpPort, udpPort] = [await freeTcpPort(), await freeUdpPort()]
    const tcpServer = runPython('tcp_server.py', [tcpPort])
    const udpServer = runPython('udp_server.py', [udpPort])
    await Promise.all([
      tcpServer.waitForLine(tcpReady(tcpPort)),
      udpServer.waitForLine(udpReady(udpPort)),
    ])

    const tcp = s.startActor({
      kind: 'tcp-client',
      host: '127.0.0.1',
      port: tcpPort,
      options: OPTIONS,
    })
    expect((await tcp.done).state).toBe('finished')
    expect(passed(s.trace)).not.toContain('compared')

    const udp = s.startActor({
      kind: 'udp-client',
      host: '127.0.0.1',
      port: udpPort,
      options: OPTIONS,
    })
    expect((await udp.done).state).toBe('finished')
    expect(passed(s.trace)).toContain('compared')

    expect((await tcpServer.exited).code).toBe(0)
    expect((await udpServer.stop('SIGINT')).code).toBe(0)
  })
})
