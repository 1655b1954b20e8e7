import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { ActorOptions } from '@shared/actors'
import type { TraceEvent } from '@shared/trace'
import { evaluateCheckpoints } from '../../src/main/checkpoints'
import { calcRequest } from '../../src/main/net/framing/framing-reads'
import {
  eventsOf,
  freePort,
  handleBaseline,
  HOST,
  sessionFactory,
  waitForEvent,
  waitForNoSocketHandles,
} from './helpers'

const servers: Server[] = []
const sockets: Socket[] = []

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy()
  await Promise.all(
    servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
  )
})

const newSession = sessionFactory('protocol')

interface TestServer {
  port: number
  /** Every chunk the server's socket read, in order. */
  chunks: Buffer[]
  /** Resolves when a client has closed its side. */
  ended: Promise<void>
}

/**
 * A server written for these tests. `lines`: answers each line with `OK <line>\n` in one
 * write (a stand-in for the calculator). `echo`: writes back each chunk as it came.
 * Either way it closes its side when the client does.
 */
async function testServer(mode: 'lines' | 'echo'): Promise<TestServer> {
  const chunks: Buffer[] = []
  let endedResolve!: () => void
  const ended = new Promise<void>((resolve) => (endedResolve = resolve))
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    socket.setNoDelay(true)
    let pending = ''
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      if (mode === 'echo') return void socket.write(chunk)
      pending += chunk.toString('utf8')
      for (let nl = pending.indexOf('\n'); nl !== -1; nl = pending.indexOf('\n')) {
        socket.write(`OK ${pending.slice(0, nl)}\n`)
        pending = pending.slice(nl + 1)
      }
    })
    socket.on('end', () => {
      endedResolve()
      socket.end()
    })
    socket.on('error', () => undefined)
  })
  servers.push(server)
  server.listen({ host: HOST, port: 0 })
  await once(server, 'listening')
  const address = server.address()
  return { port: typeof address === 'object' && address ? address.port : 0, chunks, ended }
}

/** A session with a test server behind a framing relay started with `options`. */
async function relayed(mode: 'lines' | 'echo', options: Partial<ActorOptions> = {}) {
  const { session, sink } = newSession()
  const backend = await testServer(mode)
  const port = await freePort()
  const relay = session.startActor({
    kind: 'framing-relay',
    host: HOST,
    port,
    options: { targetPort: backend.port, ...options },
  })
  await relay.ready
  const waitFor = (match: (e: TraceEvent) => boolean) => waitForEvent(session, sink, match)
  const run = (kind: 'naive-client' | 'line-client', opts: Partial<ActorOptions> = {}) =>
    session.startActor({ kind, host: HOST, port, options: opts })
  return { session, backend, port, relay, waitFor, run }
}

/** A raw client of the relay, collecting everything it receives. */
async function rawClient(port: number) {
  const socket = connect({ host: HOST, port, noDelay: true })
  sockets.push(socket)
  const received: Buffer[] = []
  socket.on('data', (chunk: Buffer) => received.push(chunk))
  socket.on('error', () => undefined)
  await once(socket, 'connect')
  const bytes = () => Buffer.concat(received)
  /** Resolves once `n` bytes in all have arrived. */
  const receivedBytes = async (n: number) => {
    while (bytes().length < n) await once(socket, 'data')
    return bytes()
  }
  return { socket, received, bytes, receivedBytes }
}

/** Resolves once the socket is closed (at once if it already is). */
async function closed(socket: Socket): Promise<void> {
  if (!socket.closed) await once(socket, 'close')
}

const sendsOf = (trace: readonly TraceEvent[], conn: string | undefined) =>
  trace.filter((e) => e.actorKind === 'framing-relay' && e.op === 'send' && e.conn === conn)

describe('framing relay', () => {
  it('cuts what it forwards into pieces of at most splitBytes, and says how', async () => {
    const { session, backend, port } = await relayed('echo', { splitBytes: 3 })
    const client = await rawClient(port)
    client.socket.write('hello world\n')
    expect((await client.receivedBytes(12)).toString()).toBe('hello world\n')

    const trace = session.trace
    const upstream = trace.find((e) => e.actorKind === 'framing-relay' && e.op === 'connect')!
    const toServer = sendsOf(trace, upstream.conn)
    expect(toServer.map((e) => e.bytes)).toEqual([3, 3, 3, 3])
    expect(toServer.map((e) => e.payload)).toEqual(['hel', 'lo ', 'wor', 'ld\\n'])
    expect(toServer[0]!.message).toBe('split 12 bytes into 3+3+3+3: piece 1 of 4')
    expect(toServer[3]!.message).toBe('split 12 bytes into 3+3+3+3: piece 4 of 4')
    // The pieces are paced, so the server reads them one at a time, not as one chunk.
    expect(backend.chunks.length).toBeGreaterThan(1)
    expect(Math.max(...backend.chunks.map((c) => c.length))).toBeLessThanOrEqual(3)
    // And back: the echoed pieces go to the client no larger than they came.
    // (Each send is traced as it is written, so all are in the trace once the client has them.)
    const toClient = session.trace.filter(
      (e) => e.actorKind === 'framing-relay' && e.op === 'send' && e.conn !== upstream.conn,
    )
    expect(toClient.map((e) => e.payload).join('')).toBe('hello world\\n')
    expect(toClient.every((e) => e.bytes! <= 3)).toBe(true)
    const recv = trace.find((e) => e.actorKind === 'framing-relay' && e.op === 'recv')!
    expect(recv).toMatchObject({
      bytes: 12,
      payload: 'hello world\\n',
      anchor: { file: 'framing_relay.py', name: 'recv' },
    })
  })

  it('merges what arrives within mergeMs into one write', async () => {
    const { session, backend, waitFor, port } = await relayed('echo', { mergeMs: 150 })
    const client = await rawClient(port)
    client.socket.write('1+1\n')
    // The second message leaves only once the relay has read the first: two separate chunks.
    await waitFor((e) => e.actorKind === 'framing-relay' && e.op === 'recv')
    client.socket.write('2*3\n')
    expect((await client.receivedBytes(8)).toString()).toBe('1+1\n2*3\n')
    expect(Buffer.concat(backend.chunks).toString()).toBe('1+1\n2*3\n')
    expect(backend.chunks).toHaveLength(1)

    const relayEvents = session.trace.filter((e) => e.actorKind === 'framing-relay')
    const recvs = relayEvents.filter((e) => e.op === 'recv')
    expect(recvs[0]!.anchor?.name).toBe('recv')
    expect(recvs[1]).toMatchObject({ bytes: 4, anchor: { name: 'merge' } })
    const merged = relayEvents.find((e) => e.op === 'send')!
    expect(merged).toMatchObject({ bytes: 8, payload: '1+1\\n2*3\\n' })
    expect(merged.message).toBe('merged 2 chunks into one 8-byte write')
  })

  it('forwards both ways and keeps every byte in order, whatever it splits or merges', async () => {
    for (const options of [{ splitBytes: 1000 }, { mergeMs: 20, splitBytes: 4096 }, {}]) {
      const { port } = await relayed('echo', options)
      const client = await rawClient(port)
      const data = randomBytes(40_000)
      client.socket.write(data.subarray(0, 15_000))
      client.socket.write(data.subarray(15_000))
      const back = await client.receivedBytes(data.length)
      expect(back.equals(data), JSON.stringify(options)).toBe(true)
    }
  })

  it('passes a FIN on, and closes both connections when both sides are done', async () => {
    const { session, backend, waitFor, port } = await relayed('echo', { splitBytes: 2 })
    const client = await rawClient(port)
    client.socket.end('bye\n')
    await backend.ended
    await closed(client.socket)
    expect(client.bytes().toString()).toBe('bye\n')
    await waitFor((e) => e.op === 'close' && e.anchor?.name === 'close-conn')
    const ops = eventsOf(session.trace, 'framing-relay#1').map((e) => `${e.op}:${e.anchor?.name}`)
    // The FIN is passed on only after the last piece.
    const lastPieceUp = ops.indexOf('send:send') + 1
    expect(ops.indexOf('note:shutdown')).toBeGreaterThan(lastPieceUp)
    expect(ops.filter((o) => o === 'eof:eof')).toHaveLength(2)
    expect(ops.filter((o) => o === 'note:shutdown')).toHaveLength(2)
    expect(ops.at(-1)).toBe('close:close-conn')
  })

  it('refuses to start without a port to forward to, or forwarding to itself', async () => {
    const { session } = newSession()
    const port = await freePort()
    const missing = session.startActor({ kind: 'framing-relay', host: HOST, port })
    await expect(missing.ready).rejects.toThrow(/Forward to port/)
    expect(await missing.done).toMatchObject({ state: 'failed' })
    const itself = session.startActor({
      kind: 'framing-relay',
      host: HOST,
      port,
      options: { targetPort: port },
    })
    expect((await itself.done).message).toMatch(/cannot forward to that same address/)
  })

  it('hangs up on the client when nothing listens at the target', async () => {
    const { session, sink } = newSession()
    const [port, target] = [await freePort(), await freePort()]
    const relay = session.startActor({
      kind: 'framing-relay',
      host: HOST,
      port,
      options: { targetPort: target },
    })
    await relay.ready
    const client = await rawClient(port)
    await closed(client.socket)
    const error = await waitForEvent(session, sink, (e) => e.op === 'error')
    expect(error).toMatchObject({ level: 'error', anchor: { name: 'connect' } })
    expect(error.message).toMatch(/Connection refused .* The relay hangs up on its client\./)
    // The relay itself goes on serving.
    expect(session.trace.some((e) => e.op === 'close' && e.anchor?.name === 'close')).toBe(false)
  })

  it('Stop closes the listener, every connection and every timer', async () => {
    const baseline = handleBaseline()
    const { session, relay, waitFor, port } = await relayed('echo', { splitBytes: 1, mergeMs: 50 })
    const client = await rawClient(port)
    client.socket.write('a long message that takes a while to trickle through\n')
    await waitFor((e) => e.actorKind === 'framing-relay' && e.op === 'send')
    await session.stopActor(relay.id)
    expect(await relay.done).toMatchObject({ state: 'stopped' })
    await closed(client.socket)
    const tail = eventsOf(session.trace, relay.id).slice(-2)
    expect(tail.map((e) => e.message)).toEqual([
      'both connections closed: closed by Stop',
      'listening socket closed',
    ])
    for (const s of sockets.splice(0)) s.destroy()
    await Promise.all(
      servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
    )
    expect(await waitForNoSocketHandles(baseline)).toEqual([])
  })
})

const notes = (trace: readonly TraceEvent[], actor: string) =>
  eventsOf(trace, actor).filter((e) => e.op === 'note')

describe('naive client and line client', () => {
  it('the naive client pairs every reply correctly when the relay neither splits nor merges', async () => {
    const { session, run } = await relayed('lines')
    const naive = run('naive-client')
    const status = await naive.done
    expect(status).toMatchObject({ state: 'finished' })
    expect(status.message).toBe(
      'All 5 replies matched their requests: each recv() happened to hold exactly one reply.',
    )
    const events = eventsOf(session.trace, naive.id)
    expect(events.map((e) => e.op)).toEqual([
      'socket',
      'connect',
      ...Array.from({ length: 5 }, () => ['send', 'recv', 'note']).flat(),
      'close',
    ])
    expect(events.filter((e) => e.op === 'send').map((e) => e.payload)).toEqual(
      [0, 1, 2, 3, 4].map((n) => `${calcRequest(n)}\\n`),
    )
    expect(notes(session.trace, naive.id)[1]!.message).toBe(
      'the reply to "2*3" is "OK 2*3\\n": one read, one whole reply',
    )
    expect(events.every((e) => e.level === 'info')).toBe(true)
  })

  it('the naive client takes parts of replies for replies when the relay splits', async () => {
    const { session, run } = await relayed('lines', { splitBytes: 3 })
    const naive = run('naive-client')
    const status = await naive.done
    expect(status.state).toBe('finished')
    const warnings = notes(session.trace, naive.id).filter((e) => e.level === 'warn')
    expect(warnings.length).toBeGreaterThan(0)
    expect(status.message).toBe(
      `${warnings.length} of 5 replies were mismatched: recv(1024) returned part of a reply or several at once.`,
    )
    // The first read holds at most 3 bytes: the start of the reply to "1+1".
    const first = notes(session.trace, naive.id)[0]!
    expect(first.message).toMatch(
      /^expected the reply to "1\+1", got "OK ?" \(the start of the reply to "1\+1": part of a reply\)$/,
    )
    // It reads honestly: together its reads are a prefix of the replies in order.
    const reads = eventsOf(session.trace, naive.id).filter((e) => e.op === 'recv')
    expect(reads).toHaveLength(5)
    const all = [0, 1, 2, 3, 4].map((n) => `OK ${calcRequest(n)}\\n`).join('')
    expect(all.startsWith(reads.map((e) => e.payload).join(''))).toBe(true)
    expect(reads.every((e) => e.bytes! <= 3)).toBe(true)
  })

  it('the line client pairs every reply with its request however the relay cuts them', async () => {
    for (const options of [{ splitBytes: 3 }, { splitBytes: 2, mergeMs: 30 }, { mergeMs: 40 }]) {
      const { session, run } = await relayed('lines', options)
      const line = run('line-client', { count: 7 })
      const status = await line.done
      expect(status.state, JSON.stringify(options)).toBe('finished')
      expect(status.message).toMatch(
        /^All 7 replies matched their requests, read line by line from \d+ chunks\.$/,
      )
      const lines = notes(session.trace, line.id)
      expect(lines.map((e) => e.message)).toEqual(
        [0, 1, 2, 3, 4, 5, 6].map(
          (n) => `a whole line: the reply to "${calcRequest(n)}" is "OK ${calcRequest(n)}"`,
        ),
      )
      expect(lines.every((e) => e.anchor?.name === 'line')).toBe(true)
      const chunks = eventsOf(session.trace, line.id).filter((e) => e.op === 'recv')
      if (options.splitBytes) {
        expect(chunks.length).toBeGreaterThan(7)
        expect(chunks.some((e) => /no "\\n" yet/.test(e.message ?? ''))).toBe(true)
      }
    }
  })

  it('gives the framing checkpoint what it reads: the naive client broke, the line client coped', async () => {
    const { session, run } = await relayed('lines', { splitBytes: 3 })
    await run('naive-client').done
    await run('line-client').done
    const [result] = evaluateCheckpoints(
      [{ id: 'x', title: 'x', hint: 'x', rule: { kind: 'framing-naive-broke-line-coped' } }],
      session.trace,
    )
    expect(result!.passed).toBe(true)
  })

  it('a client reports a server that closes before replying', async () => {
    const { session, sink } = newSession()
    // Reads (and drops) what comes, so that it sees the client's FIN; says nothing back.
    const server = createServer((socket) => socket.resume().end())
    servers.push(server)
    server.listen({ host: HOST, port: 0 })
    await once(server, 'listening')
    const address = server.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const naive = session.startActor({ kind: 'naive-client', host: HOST, port })
    expect(await naive.done).toMatchObject({
      state: 'failed',
      message: 'The server closed the connection after 0 of 5 replies.',
    })
    const eof = await waitForEvent(session, sink, (e) => e.op === 'eof')
    expect(eof.level).toBe('warn')
  })
})
