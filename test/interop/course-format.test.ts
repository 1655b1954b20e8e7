import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import type { ActorKind } from '@shared/lab'
import { LabSession } from '../../src/main/session/lab-session'
import { freeTcpPort, freeUdpPort, runPython, stopAllPython } from './python'

/**
 * Programs written the course's way (test/interop/course/: b"PING" with no newline, recv(1024),
 * recvfrom(1024) or (2048), a ClientThread per connection, an input() loop) against the app's
 * servers and clients of labs 3, 4 and 5, both directions.
 */
const COURSE_DIR = fileURLToPath(new URL('./course/', import.meta.url))
const HOST = '127.0.0.1'
const sessions: LabSession[] = []

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()))
  await stopAllPython()
})

function session(labId: string) {
  const s = new LabSession(labId, { flushMs: 1 })
  sessions.push(s)
  return s
}

async function appServer(labId: string, kind: ActorKind, udp = false, options = {}) {
  const s = session(labId)
  const port = udp ? await freeUdpPort() : await freeTcpPort()
  const run = s.startActor({ kind, host: HOST, port, options })
  await run.ready
  return { s, port }
}

describe('multi-client', () => {
  for (const kind of ['sequential-server', 'concurrent-server'] as const) {
    it(`a course client's b"PING" gets b"PONG" from the app's ${kind}`, async () => {
      const { s, port } = await appServer('multi-client', kind)
      const client = runPython('tcp_ping_client.py', [port, 3], COURSE_DIR)
      await client.waitForLine(/^done$/)
      expect(client.stdout.match(/^reply \d b'PONG'$/gm)).toHaveLength(3)
      expect(s.trace.filter((e) => e.op === 'recv').map((e) => e.payload)).toEqual([
        'PING',
        'PING',
        'PING',
      ])
    })
  }

  it('the app’s client against a course ClientThread server: every PONG counted', async () => {
    const port = await freeTcpPort()
    const server = runPython('threaded_server.py', [port], COURSE_DIR)
    await server.waitForLine(/^listening$/)
    const s = session('multi-client')
    const run = s.startActor({ kind: 'mc-client', host: HOST, port, options: { count: 3 } })
    expect((await run.done).state).toBe('finished')
    expect(server.stdout.match(/^got b'PING'$/gm)).toHaveLength(3)
    const replies = s.trace.filter((e) => e.op === 'recv')
    expect(replies.map((e) => [e.payload, e.level])).toEqual([
      ['PONG', 'info'],
      ['PONG', 'info'],
      ['PONG', 'info'],
    ])
  })
})

describe('lossy UDP', () => {
  it('a course client’s plain PINGs are answered PONG and dropped at the set rate', async () => {
    const { s, port } = await appServer('lossy-udp', 'lossy-server', true, {
      dropList: [2, 4],
    })
    const client = runPython('udp_ping_client.py', [port, 5], COURSE_DIR)
    await client.waitForLine(/^replies \d+ lost \d+$/)
    expect(client.stdout).toMatch(/^replies 3 lost 2$/m)
    expect(s.trace.filter((e) => e.op === 'drop').map((e) => e.payload)).toEqual(['PONG', 'PONG'])
  })

  it('the app’s lossy client counts a course lossy server’s plain PONG replies', async () => {
    const port = await freeUdpPort()
    const server = runPython('lossy_udp_server.py', [port, 0], COURSE_DIR)
    await server.waitForLine(/^bound$/)
    const s = session('lossy-udp')
    const run = s.startActor({
      kind: 'lossy-client',
      host: HOST,
      port,
      options: { count: 4, timeoutMs: 1000 },
    })
    expect(await run.done).toMatchObject({
      state: 'finished',
      message: '4 PINGs: 4 replies, 0 lost',
    })
  })
})

describe('uppercase (lab 5)', () => {
  it('the course’s input() client gets each TCP message back in capitals', async () => {
    const { port } = await appServer('protocol', 'upper-tcp-server')
    const client = runPython('upper_client.py', ['tcp', port], COURSE_DIR)
    client.child.stdin.write('hello\n')
    await client.waitForLine(/^got 'HELLO'$/)
    client.child.stdin.end('second one\nquit\n')
    await client.waitForLine(/^done$/)
    expect(client.stdout).toContain("got 'SECOND ONE'")
  })

  it('the course’s input() client gets a 2000-byte UDP datagram back in capitals', async () => {
    const { port } = await appServer('protocol', 'upper-udp-server', true)
    const client = runPython('upper_client.py', ['udp', port], COURSE_DIR)
    client.child.stdin.end('a'.repeat(2000) + '\nquit\n')
    await client.waitForLine(/^done$/)
    expect(client.stdout).toContain(`got '${'A'.repeat(2000)}'`)
  })
})
