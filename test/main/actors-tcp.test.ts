import { once } from 'node:events'
import { connect, createServer, type Server } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { ActorOptions } from '@shared/actors'
import type { TraceEvent } from '@shared/trace'
import {
  anchorsOf,
  eventsOf,
  freePort,
  handleBaseline,
  HOST,
  opsOf,
  sessionFactory,
  waitForEvent,
  waitForNoSocketHandles,
} from './helpers'

const servers: Server[] = []

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
  )
})

const newSession = sessionFactory('ping-pong')

/** Start a TCP server, wait until it listens, then run a TCP client against it. */
async function tcpRun(options: Partial<ActorOptions> = {}) {
  const { session, sink } = newSession()
  const port = await freePort()
  const server = session.startActor({ kind: 'tcp-server', host: HOST, port })
  await server.ready
  const client = session.startActor({ kind: 'tcp-client', host: HOST, port, options })
  const [serverStatus, clientStatus] = await Promise.all([server.done, client.done])
  return { session, sink, port, server, client, serverStatus, clientStatus }
}

const rounds = (n: number, ...ops: TraceEvent['op'][]) =>
  Array.from({ length: n }, () => ops).flat()

describe('TCP server and client in one session', () => {
  it('perform exactly the calls of the Python programs, in order', async () => {
    const { session, serverStatus, clientStatus } = await tcpRun()
    const trace = session.trace

    expect(opsOf(trace, 'tcp-server#1')).toEqual([
      'socket',
      'bind',
      'listen',
      'note',
      'accept',
      ...rounds(5, 'recv', 'send'),
      'eof',
      'close',
      'close',
    ])
    expect(opsOf(trace, 'tcp-client#1')).toEqual([
      'socket',
      'connect',
      ...rounds(5, 'send', 'recv'),
      'close',
    ])
    expect(serverStatus).toMatchObject({ actorId: 'tcp-server#1', state: 'finished' })
    expect(clientStatus).toMatchObject({ actorId: 'tcp-client#1', state: 'finished' })
    expect(serverStatus.message).toBeUndefined()
    expect(clientStatus.message).toBeUndefined()
  })

  it('line up addresses and connection ids between the two ends', async () => {
    const { session, port } = await tcpRun()
    const server = eventsOf(session.trace, 'tcp-server#1')
    const client = eventsOf(session.trace, 'tcp-client#1')
    const serverAddr = `${HOST}:${port}`

    const accept = server.find((e) => e.op === 'accept')!
    const connected = client.find((e) => e.op === 'connect')!
    expect(connected.remote).toBe(serverAddr)
    expect(connected.local).toMatch(/^127\.0\.0\.1:\d+$/)
    expect(connected.local).not.toBe(serverAddr)
    // The client's own address is what the server's accept() returned.
    expect(accept.remote).toBe(connected.local)
    expect(accept.local).toBe(serverAddr)

    // One connection id, the same string at both ends.
    const conn = `${connected.local}->${serverAddr}`
    expect(connected.conn).toBe(conn)
    expect(accept.conn).toBe(conn)
    for (const e of [...server, ...client]) {
      if (['accept', 'connect', 'send', 'recv', 'eof'].includes(e.op)) expect(e.conn).toBe(conn)
    }
    expect(server.filter((e) => e.op === 'close').map((e) => e.conn)).toEqual([conn, undefined])

    // Every actor-side field is filled in.
    for (const e of server) {
      expect(e).toMatchObject({ actorKind: 'tcp-server', role: 'server', proto: 'tcp' })
    }
    for (const e of client) {
      expect(e).toMatchObject({ actorKind: 'tcp-client', role: 'client', proto: 'tcp' })
    }
  })

  it('carry PING and PONG payloads, byte counts and round-trip times', async () => {
    const { session } = await tcpRun()
    const server = eventsOf(session.trace, 'tcp-server#1')
    const client = eventsOf(session.trace, 'tcp-client#1')

    for (const e of server.filter((e) => e.op === 'recv')) {
      expect(e).toMatchObject({ payload: 'PING', bytes: 4, level: 'info' })
    }
    for (const e of server.filter((e) => e.op === 'send')) {
      expect(e).toMatchObject({ payload: 'PONG', bytes: 4 })
    }
    for (const e of client.filter((e) => e.op === 'send')) {
      expect(e).toMatchObject({ payload: 'PING', bytes: 4 })
      expect(e.rttMs).toBeUndefined()
    }
    const replies = client.filter((e) => e.op === 'recv')
    expect(replies).toHaveLength(5)
    for (const e of replies) {
      expect(e).toMatchObject({ payload: 'PONG', bytes: 4 })
      expect(e.rttMs).toBeTypeOf('number')
      expect(e.rttMs).toBeGreaterThanOrEqual(0)
      expect(e.rttMs).toBeLessThan(5000)
    }
    // Each PONG comes after the PING it answers, on both sides.
    const seqs = (list: TraceEvent[], op: string) =>
      list.filter((e) => e.op === op).map((e) => e.seq)
    const clientSends = seqs(client, 'send')
    const serverRecvs = seqs(server, 'recv')
    const serverSends = seqs(server, 'send')
    const clientRecvs = seqs(client, 'recv')
    for (let i = 0; i < 5; i++) {
      expect(clientSends[i]!).toBeLessThan(serverRecvs[i]!)
      expect(serverRecvs[i]!).toBeLessThan(serverSends[i]!)
      expect(serverSends[i]!).toBeLessThan(clientRecvs[i]!)
    }
    // The client's FIN comes before the server's end-of-stream.
    const clientClose = client.find((e) => e.op === 'close')!
    const eof = server.find((e) => e.op === 'eof')!
    expect(clientClose.seq).toBeLessThan(eof.seq)
    expect(clientClose.message).toBe('close() sends FIN')
    expect(eof.message).toContain('recv() returned b""')
  })

  it('anchor every event to the line of the Python reference program', async () => {
    const { session } = await tcpRun({ count: 1 })
    const anchors = (actor: string) => anchorsOf(session.trace, actor)

    expect(anchors('tcp-server#1')).toEqual([
      ['socket', 'tcp_server.py', 'socket'],
      ['bind', 'tcp_server.py', 'bind'],
      ['listen', 'tcp_server.py', 'listen'],
      ['note', 'tcp_server.py', 'accept'],
      ['accept', 'tcp_server.py', 'accept'],
      ['recv', 'tcp_server.py', 'recv'],
      ['send', 'tcp_server.py', 'send'],
      ['eof', 'tcp_server.py', 'eof'],
      ['close', 'tcp_server.py', 'close-conn'],
      ['close', 'tcp_server.py', 'close'],
    ])
    expect(anchors('tcp-client#1')).toEqual([
      ['socket', 'tcp_client.py', 'socket'],
      ['connect', 'tcp_client.py', 'connect'],
      ['send', 'tcp_client.py', 'send'],
      ['recv', 'tcp_client.py', 'recv'],
      ['close', 'tcp_client.py', 'close'],
    ])
    const note = session.trace.find((e) => e.op === 'note')!
    expect(note.message).toBe('accept() waits for a client')
  })

  it('report statuses starting → running → finished, each after the events that explain it', async () => {
    const { sink, session } = await tcpRun()
    const states = (id: string) => sink.statuses.filter((s) => s.actorId === id).map((s) => s.state)
    expect(states('tcp-server#1')).toEqual(['starting', 'running', 'finished'])
    expect(states('tcp-client#1')).toEqual(['starting', 'running', 'finished'])
    expect(session.statuses().map((s) => [s.actorId, s.state])).toEqual([
      ['tcp-server#1', 'finished'],
      ['tcp-client#1', 'finished'],
    ])
    // Every event was delivered in a batch by the time the last status went out.
    expect(sink.batches.flat().map((e) => e.seq)).toEqual(session.trace.map((e) => e.seq))
  })

  it('the server stops by itself once its client has left, and closes every handle', async () => {
    const baseline = handleBaseline()
    const { session, server, port } = await tcpRun({ count: 2 })
    // Nobody called stop(): `done` settled because the client hung up.
    expect((await server.done).state).toBe('finished')
    const last = session.trace.at(-1)!
    expect(last).toMatchObject({ actor: 'tcp-server#1', op: 'close', local: `${HOST}:${port}` })
    expect(last.message).toBe('listening socket closed')
    expect(await waitForNoSocketHandles(baseline)).toEqual([])

    // The port is free again.
    const probe = createServer()
    servers.push(probe)
    probe.listen({ host: HOST, port, exclusive: true })
    await once(probe, 'listening')
  })

  it('respects the count and intervalMs options', async () => {
    const { session, clientStatus } = await tcpRun({ count: 3, intervalMs: 60 })
    expect(clientStatus.state).toBe('finished')
    const client = eventsOf(session.trace, 'tcp-client#1')
    expect(opsOf(session.trace, 'tcp-client#1')).toEqual([
      'socket',
      'connect',
      ...rounds(3, 'send', 'recv'),
      'close',
    ])
    expect(eventsOf(session.trace, 'tcp-server#1').filter((e) => e.op === 'recv')).toHaveLength(3)

    // The pause sits between a PONG and the next PING, not after the last PONG.
    const sends = client.filter((e) => e.op === 'send')
    const recvs = client.filter((e) => e.op === 'recv')
    for (let i = 0; i < 2; i++) {
      expect(sends[i + 1]!.t - recvs[i]!.t).toBeGreaterThanOrEqual(55)
    }
    const close = client.find((e) => e.op === 'close')!
    expect(close.t - recvs[2]!.t).toBeLessThan(55)
  })
})

describe('TCP failures', () => {
  it('a refused connection is an error event and a failed status', async () => {
    const { session } = newSession()
    const port = await freePort()
    const client = session.startActor({ kind: 'tcp-client', host: HOST, port })
    const status = await client.done

    expect(status.state).toBe('failed')
    expect(status.message).toContain('Connection refused')
    expect(status.message).toContain(`${HOST}:${port}`)
    expect(opsOf(session.trace, 'tcp-client#1')).toEqual(['socket', 'error'])
    const error = session.trace.at(-1)!
    expect(error).toMatchObject({
      op: 'error',
      level: 'error',
      remote: `${HOST}:${port}`,
      anchor: { file: 'tcp_client.py', name: 'connect' },
    })
    expect(error.message).toBe(status.message)
    expect(error.message).toContain('Start the server first')
  })

  it('a port in use fails the server with a clear message, and the session keeps working', async () => {
    const busy = createServer()
    servers.push(busy)
    busy.listen({ host: HOST, port: 0, exclusive: true })
    await once(busy, 'listening')
    const port = (busy.address() as { port: number }).port

    const { session, sink } = newSession()
    const server = session.startActor({ kind: 'tcp-server', host: HOST, port })
    await expect(server.ready).rejects.toThrow(/already in use/)
    const status = await server.done
    expect(status.state).toBe('failed')
    expect(status.message).toContain(`Port ${port} is already in use`)
    expect(opsOf(session.trace, 'tcp-server#1')).toEqual(['error'])
    expect(session.trace[0]).toMatchObject({
      op: 'error',
      level: 'error',
      local: `${HOST}:${port}`,
      anchor: { file: 'tcp_server.py', name: 'bind' },
    })
    expect(sink.statuses.filter((s) => s.actorId === 'tcp-server#1').map((s) => s.state)).toEqual([
      'starting',
      'failed',
    ])

    // Another server on a free port starts and serves normally in the same session.
    const port2 = await freePort()
    const second = session.startActor({ kind: 'tcp-server', host: HOST, port: port2 })
    await second.ready
    expect(session.statuses().find((s) => s.actorId === 'tcp-server#2')?.state).toBe('running')
    const client = session.startActor({ kind: 'tcp-client', host: HOST, port: port2 })
    expect((await client.done).state).toBe('finished')
    expect((await second.done).state).toBe('finished')
  })

  it('a second client while the first is served is turned away with a warning', async () => {
    const { session, sink } = newSession()
    const port = await freePort()
    const server = session.startActor({ kind: 'tcp-server', host: HOST, port })
    await server.ready
    // The first client pauses after its first PONG, so it is still connected.
    session.startActor({ kind: 'tcp-client', host: HOST, port, options: { intervalMs: 10_000 } })
    await waitForEvent(session, sink, (e) => e.actor === 'tcp-client#1' && e.op === 'recv')

    const second = connect({ host: HOST, port })
    second.on('error', () => undefined)
    await once(second, 'connect')
    const secondAddr = `${HOST}:${second.localPort}`
    await once(second, 'close')

    const note = await waitForEvent(
      session,
      sink,
      (e) => e.actor === 'tcp-server#1' && e.op === 'note' && e.level === 'warn',
    )
    expect(note.remote).toBe(secondAddr)
    expect(note.message).toContain('a second client was turned away')
    // Only the first client was accepted, and it is still being served.
    expect(eventsOf(session.trace, 'tcp-server#1').filter((e) => e.op === 'accept')).toHaveLength(1)
    expect(session.statuses().map((s) => s.state)).toEqual(['running', 'running'])
  })

  it('stopping a server mid-conversation closes its connection and listening socket', async () => {
    const baseline = handleBaseline()
    const { session, sink } = newSession()
    const port = await freePort()
    const server = session.startActor({ kind: 'tcp-server', host: HOST, port })
    await server.ready
    const client = session.startActor({
      kind: 'tcp-client',
      host: HOST,
      port,
      options: { intervalMs: 300 },
    })
    await waitForEvent(session, sink, (e) => e.actor === 'tcp-client#1' && e.op === 'recv')

    expect(await session.stopActor(server.id)).toBe(true)
    const serverStatus = await server.done
    expect(serverStatus.state).toBe('stopped')
    const serverEvents = eventsOf(session.trace, 'tcp-server#1')
    expect(serverEvents.map((e) => e.op)).toEqual([
      'socket',
      'bind',
      'listen',
      'note',
      'accept',
      'recv',
      'send',
      'close',
      'close',
    ])
    const accept = serverEvents.find((e) => e.op === 'accept')!
    expect(serverEvents.at(-2)).toMatchObject({
      message: 'connection closed by Stop',
      remote: accept.remote,
      conn: accept.conn,
      anchor: { file: 'tcp_server.py', name: 'close-conn' },
    })
    expect(serverEvents.at(-1)!.message).toBe('listening socket closed')

    // The client, paused between PINGs, finds the connection closed under it.
    const clientStatus = await client.done
    expect(clientStatus.state).toBe('failed')
    expect(clientStatus.message).toBe('The server closed the connection after 1 PONG(s).')
    const clientEvents = eventsOf(session.trace, 'tcp-client#1')
    expect(clientEvents.filter((e) => e.op === 'recv')).toHaveLength(1)
    expect(clientEvents.slice(-2).map((e) => [e.op, e.level, e.message])).toEqual([
      ['eof', 'warn', 'the server closed the connection before replying'],
      ['close', 'info', undefined],
    ])
    expect(await waitForNoSocketHandles(baseline)).toEqual([])
  })

  it('stopping a server right after starting it (before listen completes) leaves nothing open', async () => {
    const baseline = handleBaseline()
    const { session } = newSession()
    const port = await freePort()
    const server = session.startActor({ kind: 'tcp-server', host: HOST, port })
    await session.stopActor(server.id)
    expect((await server.done).state).toBe('stopped')
    expect(await waitForNoSocketHandles(baseline)).toEqual([])
    await session.dispose()
    // Nothing is listening on the port any more.
    const probe = createServer()
    servers.push(probe)
    probe.listen({ host: HOST, port, exclusive: true })
    await once(probe, 'listening')
  })

  it('stopping a client while it connects settles it as stopped', async () => {
    const { session } = newSession()
    const port = await freePort()
    const server = session.startActor({ kind: 'tcp-server', host: HOST, port })
    await server.ready
    const client = session.startActor({ kind: 'tcp-client', host: HOST, port })
    await session.stopActor(client.id)
    expect((await client.done).state).toBe('stopped')
    expect(opsOf(session.trace, 'tcp-client#1')).toEqual(['socket'])
  })
})
