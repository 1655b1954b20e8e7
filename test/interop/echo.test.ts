import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import type { ActorKind, Lab } from '@shared/lab'
import type { TraceEvent } from '@shared/trace'
import { evaluateCheckpoints } from '../../src/main/checkpoints'
import { loadLab } from '../../src/main/labs/load-labs'
import { LabSession } from '../../src/main/session/lab-session'
import { sessionHooks, waitForEvent } from '../main/helpers'
import { freeTcpPort, freeUdpPort, runPython, stopAllPython, tcpReady, udpReady } from './python'

/**
 * Lab 6 (Echo and uppercase) end to end over loopback: the lab's Python references against
 * the app's servers and consoles, both directions, and the lab's own checkpoints passed by
 * doing what its steps say.
 */
const LABS_DIR = fileURLToPath(new URL('../../labs/', import.meta.url))
const ECHO_DIR = fileURLToPath(new URL('../../labs/echo/', import.meta.url))
const COURSE_DIR = fileURLToPath(new URL('./course/', import.meta.url))
const HOST = '127.0.0.1'
const GREETING = 'Thank you for connecting\\r\\n'
const sessions: LabSession[] = []

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()))
  await stopAllPython()
})

function session() {
  const { sink, hooks } = sessionHooks()
  const s = new LabSession('echo', hooks)
  sessions.push(s)
  const next = (match: (e: TraceEvent) => boolean) => waitForEvent(s, sink, match)
  return { s, next }
}

async function echoLab(): Promise<Lab> {
  const loaded = await loadLab(LABS_DIR, 'echo')
  if ('errors' in loaded) throw new Error(JSON.stringify(loaded.errors))
  return loaded.lab
}

/** Every anchor the trace names is a line of the lab's Python file of that name. */
async function expectAnchorsInReferences(trace: readonly TraceEvent[]) {
  const lab = await echoLab()
  const anchored = trace.filter((e) => e.anchor)
  expect(anchored.length).toBeGreaterThan(0)
  for (const e of anchored) {
    const file = lab.files.find((f) => f.name === e.anchor!.file)
    expect(file, `${e.actor} ${e.op}: ${e.anchor!.file}`).toBeDefined()
    expect(file!.source, `${e.anchor!.file}: ${e.anchor!.name}`).toMatch(
      new RegExp(`# anchor: ${e.anchor!.name}$`, 'm'),
    )
  }
}

/** The lab's checkpoints over a trace: which passed. */
async function passed(trace: readonly TraceEvent[]) {
  const lab = await echoLab()
  return evaluateCheckpoints(lab.checkpoints, trace)
    .filter((r) => r.passed)
    .map((r) => r.id)
}

async function appServer(kind: ActorKind, udp = false) {
  const { s, next } = session()
  const port = udp ? await freeUdpPort() : await freeTcpPort()
  await s.startActor({ kind, host: HOST, port }).ready
  return { s, next, port }
}

/** Send from a console and wait for the chunk that comes back. */
async function say(
  s: LabSession,
  next: (m: (e: TraceEvent) => boolean) => Promise<TraceEvent>,
  actor: string,
  text: string,
) {
  // Taken before sending: the reply may be in the trace before sendToActor resolves.
  const since = s.trace.at(-1)?.seq ?? 0
  const sent = await s.sendToActor(actor, text)
  expect(sent).toBe(Buffer.byteLength(text))
  return next((e) => e.actor === actor && e.seq > since && (e.op === 'recv' || e.op === 'recvfrom'))
}

describe('the lab’s Python clients against the app’s servers', () => {
  it('upper_tcp_client.py gets each typed line back in capitals, no newline added', async () => {
    const { s, port } = await appServer('upper-tcp-server')
    const client = runPython('upper_tcp_client.py', ['--port', port], ECHO_DIR)
    client.child.stdin.end('hello there\nline 2\n\n')
    expect((await client.exited).code).toBe(0)
    expect(client.stdout).toMatch(/^text \(empty to quit\): reply: HELLO THERE$/m)
    expect(client.stdout).toMatch(/reply: LINE 2$/m)
    const server = s.trace.filter((e) => e.actorKind === 'upper-tcp-server')
    expect(server.filter((e) => e.op === 'recv').map((e) => e.payload)).toEqual([
      'hello there',
      'line 2',
    ])
    expect(server.filter((e) => e.op === 'send').map((e) => e.payload)).toEqual([
      'HELLO THERE',
      'LINE 2',
    ])
  })

  it('upper_udp_client.py gets each datagram back in capitals', async () => {
    const { s, port } = await appServer('upper-udp-server', true)
    const client = runPython('upper_udp_client.py', ['--port', port], ECHO_DIR)
    client.child.stdin.end('datagram 1\n\n')
    expect((await client.exited).code).toBe(0)
    expect(client.stdout).toMatch(/reply: DATAGRAM 1$/m)
    expect(s.trace.filter((e) => e.op === 'sendto').map((e) => e.payload)).toEqual(['DATAGRAM 1'])
  })

  it('upper_tcp_client.py --greeting reads the greeting server’s exact greeting first', async () => {
    const { s, port } = await appServer('greeting-server')
    const client = runPython('upper_tcp_client.py', ['--port', port, '--greeting'], ECHO_DIR)
    client.child.stdin.end('one\n\n')
    expect((await client.exited).code).toBe(0)
    expect(client.stdout).toMatch(/^server says: Thank you for connecting$/m)
    expect(client.stdout).toMatch(/reply: ONE$/m)
    const sends = s.trace.filter((e) => e.op === 'send')
    expect(sends.map((e) => [e.payload, e.bytes, e.anchor?.name])).toEqual([
      [GREETING, 26, 'greet'],
      ['ONE', 3, 'send'],
    ])
  })
})

describe('"bye", as the course says it', () => {
  it('the course’s client, typing bye, is let go by the app’s greeting server without a reply', async () => {
    const { s, next, port } = await appServer('greeting-server')
    const client = runPython('bye_client.py', [port], COURSE_DIR)
    client.child.stdin.end('hello\nbye\n')
    expect((await client.exited).code).toBe(0)
    expect(client.stdout).toMatch(/^From Server : Thank you for connecting/m)
    const close = await next(
      (e) => e.actorKind === 'greeting-server' && e.op === 'close' && e.conn !== undefined,
    )
    expect(close.message).toBe('the client sent "bye": the server ended the connection')
    // TCP keeps no message boundaries: the first two messages may come in one recv(). The
    // "bye" comes alone (the client waited for a reply before typing it) and gets none.
    const server = s.trace.filter((e) => e.actorKind === 'greeting-server')
    const recvs = server.filter((e) => e.op === 'recv').map((e) => e.payload)
    expect(recvs.join('')).toBe('This is from Clienthellobye')
    expect(recvs.at(-1)).toBe('bye')
    const sends = server.filter((e) => e.op === 'send').map((e) => e.payload)
    expect(sends.join('')).toBe(`${GREETING}THIS IS FROM CLIENTHELLO`)
  })

  it('the lab’s greeting_server.py ends a console’s connection on bye, with no reply', async () => {
    const port = await freeTcpPort()
    const server = runPython('greeting_server.py', ['--port', port], ECHO_DIR)
    await server.waitForLine(tcpReady(port))
    const { s, next } = session()
    const console = s.startActor({ kind: 'tcp-console', host: HOST, port })
    await console.ready
    await next((e) => e.actor === console.id && e.op === 'recv')
    expect((await say(s, next, console.id, 'hello')).payload).toBe('HELLO')
    await s.sendToActor(console.id, 'bye')
    await next((e) => e.actor === console.id && e.op === 'eof')
    const received = s.trace.filter((e) => e.actor === console.id && e.op === 'recv')
    expect(received.map((e) => e.payload)).toEqual([GREETING, 'HELLO'])
    // The server goes on serving: a new client is greeted.
    const again = s.startActor({ kind: 'tcp-console', host: HOST, port })
    await again.ready
    const greeting = await next((e) => e.actor === again.id && e.op === 'recv')
    expect(greeting.payload).toBe(GREETING)
  })
})

describe('the app’s consoles against the lab’s Python servers', () => {
  it('upper_tcp_server.py answers the TCP console in capitals and sees its close', async () => {
    const port = await freeTcpPort()
    const server = runPython('upper_tcp_server.py', ['--port', port], ECHO_DIR)
    await server.waitForLine(tcpReady(port))
    const { s, next } = session()
    const console = s.startActor({ kind: 'tcp-console', host: HOST, port })
    await console.ready
    for (const n of [1, 2, 3]) {
      expect((await say(s, next, console.id, `line ${n}`)).payload).toBe(`LINE ${n}`)
    }
    await s.stopActor(console.id)
    await server.waitForLine(/^closed: /)
    // The client side of the lab's first checkpoint holds against the reference server too.
    const trips = evaluateCheckpoints(
      [
        {
          id: 't',
          title: 't',
          hint: 't',
          rule: { kind: 'round-trips', client: 'tcp-console', replyIs: 'upper', count: 3 },
        },
      ],
      s.trace,
    )[0]!
    expect(trips.passed).toBe(true)
  })

  it('upper_udp_server.py answers the UDP console in capitals', async () => {
    const port = await freeUdpPort()
    const server = runPython('upper_udp_server.py', ['--port', port], ECHO_DIR)
    await server.waitForLine(udpReady(port))
    const { s, next } = session()
    const console = s.startActor({ kind: 'udp-console', host: HOST, port })
    await console.ready
    expect((await say(s, next, console.id, 'datagram 1')).payload).toBe('DATAGRAM 1')
  })

  it('greeting_server.py greets two consoles with the exact bytes and serves both at once', async () => {
    const port = await freeTcpPort()
    const server = runPython('greeting_server.py', ['--port', port], ECHO_DIR)
    await server.waitForLine(tcpReady(port))
    const { s, next } = session()
    const ids: string[] = []
    for (let i = 0; i < 2; i++) {
      const console = s.startActor({ kind: 'tcp-console', host: HOST, port })
      await console.ready
      const greeting = await next((e) => e.actor === console.id && e.op === 'recv')
      expect(greeting).toMatchObject({ payload: GREETING, bytes: 26 })
      ids.push(console.id)
    }
    expect((await say(s, next, ids[0]!, 'one')).payload).toBe('ONE')
    expect((await say(s, next, ids[1]!, 'two')).payload).toBe('TWO')
    expect(await passed(s.trace)).toContain('two-greeted')
  })
})

describe('the lab’s checkpoints, done as its steps say, with the app’s servers', () => {
  it('step 1: three messages in capitals over one TCP connection, then end-of-stream', async () => {
    const { s, next, port } = await appServer('upper-tcp-server')
    const console = s.startActor({ kind: 'tcp-console', host: HOST, port })
    await console.ready
    for (const n of [1, 2]) await say(s, next, console.id, `line ${n}`)
    expect(await passed(s.trace)).toEqual([])
    await say(s, next, console.id, 'line 3')
    expect(await passed(s.trace)).toEqual(['tcp-three-upper'])
    await s.stopActor(console.id)
    await next(
      (e) => e.actorKind === 'upper-tcp-server' && e.op === 'close' && e.conn !== undefined,
    )
    expect(await passed(s.trace)).toEqual(['tcp-three-upper', 'tcp-server-eof'])
    await expectAnchorsInReferences(s.trace)
  })

  it('step 2: two datagrams in capitals', async () => {
    const { s, next, port } = await appServer('upper-udp-server', true)
    const console = s.startActor({ kind: 'udp-console', host: HOST, port })
    await console.ready
    await say(s, next, console.id, 'datagram 1')
    expect(await passed(s.trace)).toEqual([])
    await say(s, next, console.id, 'datagram 2')
    expect(await passed(s.trace)).toEqual(['udp-two-upper'])
    await expectAnchorsInReferences(s.trace)
  })

  it('step 3: two greeted clients served at once, then one leaves', async () => {
    const { s, next, port } = await appServer('greeting-server')
    const ids: string[] = []
    for (let i = 0; i < 2; i++) {
      const console = s.startActor({ kind: 'tcp-console', host: HOST, port })
      await console.ready
      await next((e) => e.actor === console.id && e.op === 'recv')
      ids.push(console.id)
    }
    expect(await passed(s.trace)).toEqual(['two-greeted'])
    await say(s, next, ids[0]!, 'one')
    expect(await passed(s.trace)).toEqual(['two-greeted'])
    await say(s, next, ids[1]!, 'two')
    expect(await passed(s.trace)).toEqual(['two-greeted', 'two-at-once'])
    await s.stopActor(ids[0]!)
    await next((e) => e.actorKind === 'greeting-server' && e.op === 'close' && e.conn !== undefined)
    expect((await say(s, next, ids[1]!, 'still here')).payload).toBe('STILL HERE')
    expect(await passed(s.trace)).toEqual(['two-greeted', 'two-at-once', 'thread-eof'])
    await expectAnchorsInReferences(s.trace)
  })
})
