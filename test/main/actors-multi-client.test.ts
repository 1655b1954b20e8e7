import { once } from 'node:events'
import { connect, createServer, type AddressInfo, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { ActorOptions } from '@shared/actors'
import type { TraceEvent } from '@shared/trace'
import { evaluateCheckpoints } from '../../src/main/checkpoints'
import {
  freePort,
  handleBaseline,
  HOST,
  opsOf,
  sessionFactory,
  waitForEvent,
  waitForNoSocketHandles,
} from './helpers'

const sockets: Socket[] = []

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy()
})

// The load test below runs 500 clients in one session, past the page's cap of 64.
const newSession = sessionFactory('multi-client', { maxLiveActors: 1000 })

async function startServer(
  kind: 'sequential-server' | 'concurrent-server',
  options: Partial<ActorOptions> = {},
) {
  const { session, sink } = newSession()
  const port = await freePort()
  // These tests are about line framing (the framing step's option); chunk mode has its own below.
  const server = session.startActor({
    kind,
    host: HOST,
    port,
    options: { framing: 'line', ...options },
  })
  await server.ready
  const client = (opts: Partial<ActorOptions> = {}) =>
    session.startActor({
      kind: 'mc-client',
      host: HOST,
      port,
      options: { framing: 'line', ...opts },
    })
  const waitFor = (match: (e: TraceEvent) => boolean) => waitForEvent(session, sink, match)
  return { session, sink, port, server, client, waitFor }
}

/** A raw node:net client, for what the app's own client never does. */
async function rawClient(port: number): Promise<Socket & { lines: string[] }> {
  const socket = connect({ host: HOST, port }) as Socket & { lines: string[] }
  sockets.push(socket)
  socket.lines = []
  let buffered = ''
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => {
    buffered += chunk
    for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
      socket.lines.push(buffered.slice(0, nl))
      buffered = buffered.slice(nl + 1)
      socket.emit('line')
    }
  })
  socket.on('error', () => undefined)
  await once(socket, 'connect')
  return socket
}

async function nextLines(socket: Socket & { lines: string[] }, count: number) {
  while (socket.lines.length < count) await once(socket, 'line')
  return socket.lines.slice(0, count)
}

const check = (trace: readonly TraceEvent[], kind: string, params: object = {}) =>
  evaluateCheckpoints([{ id: 'x', title: 'x', hint: 'x', rule: { kind, ...params } }], trace)[0]!

const connOfClient = (trace: readonly TraceEvent[], actor: string) =>
  trace.find((e) => e.actor === actor && e.op === 'connect')!.conn!

describe('sequential server', () => {
  it('serves one client at a time: the others connect, wait in the backlog, then are served', async () => {
    const { session, port, server, client, waitFor } = await startServer('sequential-server', {
      maxClients: 3,
    })
    // The first client is held by the test: it has its PONG and stays connected.
    const first = await rawClient(port)
    first.write('PING\n')
    expect(await nextLines(first, 1)).toEqual(['PONG'])

    const second = client({ count: 3 })
    const third = client({ count: 3 })
    await waitFor((e) => e.actor === 'mc-client#1' && e.op === 'connect')
    await waitFor((e) => e.actor === 'mc-client#2' && e.op === 'connect')
    const backlogNotes = () =>
      session.trace.filter((e) => e.op === 'note' && /waits in the backlog/.test(e.message ?? ''))
    while (backlogNotes().length < 2) {
      const last = session.trace.at(-1)!.seq
      await waitFor((e) => e.seq > last)
    }
    // Both are connected, neither is accepted nor answered while the first one is served.
    const trace = session.trace
    expect(
      trace.filter((e) => e.actorKind === 'sequential-server' && e.op === 'accept'),
    ).toHaveLength(1)
    expect(trace.some((e) => e.actorKind === 'mc-client' && e.op === 'recv')).toBe(false)
    expect(
      trace.filter((e) => e.op === 'note' && /waits in the backlog/.test(e.message ?? '')),
    ).toHaveLength(2)
    expect(check(trace, 'mc-backlog-wait').passed).toBe(false)

    first.end()
    const [s2, s3, s] = await Promise.all([second.done, third.done, server.done])
    expect([s2.state, s3.state]).toEqual(['finished', 'finished'])
    expect(s.state).toBe('finished')
    expect(s.message).toBe('Served 3 clients, the maximum.')

    const all = session.trace
    const firstClose = all.find((e) => e.op === 'close' && e.anchor?.name === 'close-conn')!
    for (const actor of ['mc-client#1', 'mc-client#2']) {
      const conn = connOfClient(all, actor)
      const connected = all.find((e) => e.actor === actor && e.op === 'connect')!
      const accepted = all.find((e) => e.op === 'accept' && e.conn === conn)!
      const firstPong = all.find((e) => e.actor === actor && e.op === 'recv')!
      expect(connected.seq).toBeLessThan(firstClose.seq)
      expect(accepted.seq).toBeGreaterThan(firstClose.seq)
      expect(firstPong.seq).toBeGreaterThan(accepted.seq)
    }
    expect(opsOf(all, 'sequential-server#1').slice(0, 4)).toEqual([
      'socket',
      'bind',
      'listen',
      'note',
    ])
    expect(opsOf(all, 'sequential-server#1').at(-1)).toBe('close')
    expect(check(all, 'mc-sequential-served', { count: 3 }).passed).toBe(true)
    expect(check(all, 'mc-sequential-served', { count: 4 }).passed).toBe(false)
    expect(check(all, 'mc-backlog-wait').passed).toBe(true)
    expect(check(all, 'mc-max-clients-stop').passed).toBe(true)
    expect(check(all, 'mc-concurrent-overlap', { count: 2 }).passed).toBe(false)
  })

  it('Stop clears the running flag, resets waiting clients and leaks nothing', async () => {
    const baseline = handleBaseline()
    const { session, port, server, client, waitFor } = await startServer('sequential-server')
    const first = await rawClient(port)
    first.write('PING\n')
    await nextLines(first, 1)
    const waiting = client({ count: 2 })
    await waitFor((e) => e.actor === 'mc-client#1' && e.op === 'connect')
    await session.stopActor('sequential-server#1')
    expect((await server.done).state).toBe('stopped')
    expect((await waiting.done).state).toBe('failed')
    const trace = session.trace
    expect(trace.some((e) => e.anchor?.name === 'running-flag')).toBe(true)
    expect(trace.some((e) => /still waiting in the backlog/.test(e.message ?? ''))).toBe(true)
    expect(check(trace, 'mc-max-clients-stop').passed).toBe(false)
    first.destroy()
    await session.dispose()
    expect(await waitForNoSocketHandles(baseline)).toEqual([])
  })

  it('hangs up on a silent client after the idle timeout, then serves the next', async () => {
    const { session, port, server, client, waitFor } = await startServer('sequential-server', {
      idleTimeoutMs: 100,
      maxClients: 2,
    })
    const silent = await rawClient(port)
    await waitFor((e) => e.op === 'accept')
    const next = client({ count: 2 })
    expect((await next.done).state).toBe('finished')
    expect((await server.done).state).toBe('finished')
    const timeout = session.trace.find((e) => e.op === 'timeout')!
    expect(timeout.message).toMatch(/sent nothing for 0.1 s/)
    expect(timeout.level).toBe('warn')
    expect(silent.destroyed || silent.readableEnded).toBe(true)
  })
})

describe('concurrent server', () => {
  it('serves several clients at the same time', async () => {
    const { session, port, server } = await startServer('concurrent-server')
    const clients = await Promise.all([rawClient(port), rawClient(port), rawClient(port)])
    // All three are answered while all three are still connected.
    for (const c of clients) c.write('PING\n')
    for (const c of clients) expect(await nextLines(c, 1)).toEqual(['PONG'])
    expect(check(session.trace, 'mc-concurrent-overlap', { count: 3 }).passed).toBe(false)
    for (const c of clients) c.end()
    await Promise.all(clients.map((c) => once(c, 'close')))
    await waitForEvent(session, { onEvents: [] }, () => true)
    const closes = () => session.trace.filter((e) => e.anchor?.name === 'close-conn').length
    while (closes() < 3) await new Promise((r) => setImmediate(r))
    const result = check(session.trace, 'mc-concurrent-overlap', { count: 3 })
    expect(result.reason).toMatch(/3 clients at the same time/)
    expect(result.passed).toBe(true)
    expect(check(session.trace, 'mc-sequential-served', { count: 3 }).passed).toBe(false)
    await session.stopActor('concurrent-server#1')
    expect((await server.done).state).toBe('stopped')
  })

  it('serves 500 clients × 10 PINGs at once, answers every PING and leaks nothing', async () => {
    const baseline = handleBaseline()
    const { session, server, client } = await startServer('concurrent-server')
    const runs = Array.from({ length: 500 }, () => client({ count: 10 }))
    const statuses = await Promise.all(runs.map((r) => r.done))
    expect(statuses.filter((s) => s.state !== 'finished')).toEqual([])
    const trace = session.trace
    const count = (kind: string, op: string, payload: string) =>
      trace.filter((e) => e.actorKind === kind && e.op === op && e.payload === payload).length
    expect(count('mc-client', 'recv', 'PONG\\n')).toBe(5000)
    expect(count('concurrent-server', 'send', 'PONG\\n')).toBe(5000)
    expect(trace.filter((e) => e.level === 'error')).toEqual([])
    await session.stopActor('concurrent-server#1')
    expect((await server.done).state).toBe('stopped')
    await session.dispose()
    expect(await waitForNoSocketHandles(baseline)).toEqual([])
  }, 60_000)
})

describe.each(['sequential-server', 'concurrent-server'] as const)(
  '%s with bad clients',
  (kind) => {
    it('logs a reset in the middle of a PING and goes on', async () => {
      const { session, port, client, waitFor } = await startServer(kind)
      const rude = await rawClient(port)
      rude.write('PING\n')
      expect(await nextLines(rude, 1)).toEqual(['PONG'])
      // Half a PING; once the server has read it, an RST instead of the rest.
      rude.write('PI')
      await waitFor((e) => e.role === 'server' && /without a newline so far/.test(e.message ?? ''))
      rude.resetAndDestroy()
      const error = await waitFor((e) => e.role === 'server' && e.op === 'error')
      expect(error.message).toMatch(/reset the connection in the middle of a message/)
      expect(error.message).toMatch(/2 bytes of an unfinished line dropped/)
      expect(error.message).toMatch(/the server goes on with the other clients/)
      const next = client({ count: 3 })
      expect((await next.done).state).toBe('finished')
      expect(
        session.trace.filter((e) => e.actor === 'mc-client#1' && e.op === 'recv'),
      ).toHaveLength(3)
    })

    it('answers garbage with an error line and keeps serving that client and others', async () => {
      const { session, port, client } = await startServer(kind)
      const odd = await rawClient(port)
      odd.write('HELLO\n')
      odd.write(Buffer.from([0xff, 0x00, 0x1b, 0x0a]))
      odd.write('PING\n')
      expect(await nextLines(odd, 3)).toEqual([
        'ERROR expected PING',
        'ERROR expected PING',
        'PONG',
      ])
      odd.end()
      const next = client({ count: 2 })
      expect((await next.done).state).toBe('finished')
      const warn = session.trace.filter((e) => e.role === 'server' && e.level === 'warn')
      expect(warn.map((e) => e.payload)).toEqual(['HELLO\\n', '\uFFFD\\x00\\x1b\\n'])
    })

    it('refuses a 1 MB line, disconnects only that client, and loses no count', async () => {
      const { session, port, client, server } = await startServer(kind, { maxClients: 2 })
      const huge = await rawClient(port)
      huge.write(Buffer.alloc(1024 * 1024, 0x41))
      expect(await nextLines(huge, 1)).toEqual(['ERROR line too long'])
      if (!huge.closed) await once(huge, 'close')
      const error = session.trace.find((e) => e.role === 'server' && e.op === 'error')!
      expect(error.message).toMatch(/longer than 1024 bytes/)
      const next = client({ count: 4 })
      expect((await next.done).state).toBe('finished')
      if (kind === 'sequential-server') {
        // Two clients came, two were counted: the server stops at its maximum.
        expect((await server.done).message).toBe('Served 2 clients, the maximum.')
      }
    })

    it('keeps serving others while a client connects and says nothing', async () => {
      const { port, client, waitFor } = await startServer(kind, { idleTimeoutMs: 200 })
      const silent = await rawClient(port)
      await waitFor((e) => e.op === 'accept')
      const next = client({ count: 2 })
      expect((await next.done).state).toBe('finished')
      const timeout = await waitFor((e) => e.op === 'timeout')
      expect(timeout.message).toMatch(/hangs up on it/)
      if (!silent.closed) await once(silent, 'close')
    })
  },
)

describe('the multi-client client', () => {
  it('traces a reply that is not PONG as a warning, each PONG as info', async () => {
    const { session } = newSession()
    const replies = ['PONG\n', 'NOPE\n', 'PONG\n', 'PONG\n']
    // A raw server that answers the client's PINGs, line by line, with the replies above.
    const server = createServer((socket) => {
      let buffered = ''
      socket.on('data', (chunk) => {
        buffered += chunk.toString()
        for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
          buffered = buffered.slice(nl + 1)
          socket.write(replies.shift() ?? 'PONG\n')
        }
      })
      socket.on('end', () => socket.end())
    })
    server.listen(0, HOST)
    await once(server, 'listening')
    const { port } = server.address() as AddressInfo
    try {
      const run = session.startActor({
        kind: 'mc-client',
        host: HOST,
        port,
        options: { count: 4, intervalMs: 0, framing: 'line' },
      })
      expect((await run.done).state).toBe('finished')
      const received = session.trace.filter((e) => e.op === 'recv')
      expect(received.map((e) => [e.payload, e.level])).toEqual([
        ['PONG\\n', 'info'],
        ['NOPE\\n', 'warn'],
        ['PONG\\n', 'info'],
        ['PONG\\n', 'info'],
      ])
      expect(received.every((e) => e.rttMs !== undefined && e.bytes === 5)).toBe(true)
    } finally {
      server.close()
    }
  })
})

describe('the course’s wire format (chunk framing, the default)', () => {
  /** A raw server that answers each chunk it reads with `answer(chunk)`, as recv(1024) would. */
  async function chunkServer(answer: (chunk: string) => string | undefined) {
    const server = createServer((socket) => {
      socket.on('data', (chunk) => {
        const reply = answer(chunk.toString())
        if (reply !== undefined) socket.write(reply)
      })
      socket.on('end', () => socket.end())
    })
    server.listen(0, HOST)
    await once(server, 'listening')
    return { server, port: (server.address() as AddressInfo).port }
  }

  it('answers a bare PING with a bare PONG, one reply per recv()', async () => {
    const { session, sink } = newSession()
    const port = await freePort()
    const run = session.startActor({ kind: 'concurrent-server', host: HOST, port })
    await run.ready
    const socket = connect({ host: HOST, port })
    sockets.push(socket)
    await once(socket, 'connect')
    socket.write('PING')
    const [reply] = (await once(socket, 'data')) as [Buffer]
    expect(reply.toString()).toBe('PONG')
    await waitForEvent(session, sink, (e) => e.op === 'send' && e.payload === 'PONG')
    expect(session.trace.some((e) => e.op === 'recv' && e.payload === 'PING')).toBe(true)
    socket.destroy()
    await session.stopActor('concurrent-server#1')
    await run.done
  })

  it('the app’s client sends PING with no newline and counts bare PONG replies', async () => {
    const { session } = newSession()
    const seen: string[] = []
    const { server, port } = await chunkServer((chunk) => {
      seen.push(chunk)
      return chunk === 'PING' ? 'PONG' : 'ERROR'
    })
    try {
      const run = session.startActor({
        kind: 'mc-client',
        host: HOST,
        port,
        options: { count: 3, intervalMs: 50 },
      })
      expect((await run.done).state).toBe('finished')
      expect(seen).toEqual(['PING', 'PING', 'PING'])
      const received = session.trace.filter((e) => e.op === 'recv')
      expect(received.map((e) => [e.payload, e.level])).toEqual([
        ['PONG', 'info'],
        ['PONG', 'info'],
        ['PONG', 'info'],
      ])
    } finally {
      server.close()
    }
  })

  it('in line mode, a bare PONG is shown with what was expected, then the client times out', async () => {
    const { session } = newSession()
    const { server, port } = await chunkServer(() => 'PONG')
    try {
      const run = session.startActor({
        kind: 'mc-client',
        host: HOST,
        port,
        options: { count: 2, framing: 'line', timeoutMs: 200 },
      })
      const outcome = await run.done
      expect(outcome.state).toBe('failed')
      expect(outcome.message).toContain('expected PONG\\n')
      const partial = session.trace.find((e) => e.op === 'note' && e.payload === 'PONG')
      expect(partial?.message).toContain('expected PONG\\n')
      const timeout = session.trace.find((e) => e.op === 'timeout')
      expect(timeout?.message).toContain('PONG')
    } finally {
      server.close()
    }
  })
})
