import { describe, expect, it } from 'vitest'
import { eventsOf, freePort, freeUdpPort, HOST, sessionFactory, waitForEvent } from './helpers'

// The raw console's actors against the ping-pong servers, over real loopback sockets.

const newSession = sessionFactory('protocol')

describe('tcp-console', () => {
  it('connects, sends what it is given, traces every chunk back, and closes on Stop', async () => {
    const { session, sink } = newSession()
    const port = await freePort()
    await session.startActor({ kind: 'tcp-server', host: HOST, port }).ready
    const console = session.startActor({ kind: 'tcp-console', host: HOST, port })
    await console.ready
    expect(session.statuses().find((s) => s.actorId === console.id)?.state).toBe('running')

    expect(await session.sendToActor(console.id, 'PING\r\n')).toBe(6)
    const reply = await waitForEvent(
      session,
      sink,
      (e) => e.actor === console.id && e.op === 'recv',
    )
    // The ping-pong server trims the line: PING with \r\n is still a PING.
    expect(reply).toMatchObject({ payload: 'PONG', bytes: 4, role: 'client', proto: 'tcp' })
    expect(reply.rttMs).toBeGreaterThanOrEqual(0)
    const sent = eventsOf(session.trace, console.id).find((e) => e.op === 'send')
    expect(sent).toMatchObject({ payload: 'PING\\r\\n', bytes: 6 })

    await session.stopActor(console.id)
    const status = await console.done
    expect(status.state).toBe('stopped')
    expect(eventsOf(session.trace, console.id).map((e) => e.op)).toEqual([
      'socket',
      'connect',
      'send',
      'recv',
      'close',
    ])
    await expect(session.sendToActor(console.id, 'PING')).rejects.toThrow(
      'This connection is closed',
    )
  })

  it('ends, finished, when the server closes its side', async () => {
    const { session, sink } = newSession()
    const port = await freePort()
    const server = session.startActor({ kind: 'tcp-server', host: HOST, port })
    await server.ready
    const console = session.startActor({ kind: 'tcp-console', host: HOST, port })
    await console.ready
    await session.stopActor(server.id)
    const status = await console.done
    expect(status).toMatchObject({
      state: 'finished',
      message: 'The server closed the connection.',
    })
    await waitForEvent(session, sink, (e) => e.actor === console.id && e.op === 'eof')
  })

  it('fails to start with a sentence when nothing listens', async () => {
    const { session } = newSession()
    const port = await freePort()
    const console = session.startActor({ kind: 'tcp-console', host: HOST, port })
    await expect(console.ready).rejects.toThrow(/Connection refused by 127\.0\.0\.1/)
    expect((await console.done).state).toBe('failed')
  })

  it('is refused text by actors that do not take any', async () => {
    const { session } = newSession()
    const server = session.startActor({ kind: 'tcp-server', host: HOST, port: await freePort() })
    await server.ready
    await expect(session.sendToActor(server.id, 'x')).rejects.toThrow(
      'tcp-server#1 does not take typed messages',
    )
    await expect(session.sendToActor('nobody#1', 'x')).rejects.toThrow('No actor nobody#1')
  })
})

describe('udp-console', () => {
  it('binds, sends datagrams to host:port and traces what comes back from whom', async () => {
    const { session, sink } = newSession()
    const port = await freeUdpPort()
    await session.startActor({ kind: 'udp-server', host: HOST, port }).ready
    const console = session.startActor({ kind: 'udp-console', host: HOST, port })
    await console.ready
    expect(await session.sendToActor(console.id, 'PING')).toBe(4)
    const reply = await waitForEvent(
      session,
      sink,
      (e) => e.actor === console.id && e.op === 'recvfrom',
    )
    expect(reply).toMatchObject({ payload: 'PONG', remote: `127.0.0.1:${port}`, proto: 'udp' })
    await session.sendToActor(console.id, 'hello\tthere\n')
    const error = await waitForEvent(
      session,
      sink,
      (e) => e.actor === console.id && e.op === 'recvfrom' && e.seq > reply.seq,
    )
    expect(error.payload).toBe('ERROR expected PING')
    expect(eventsOf(session.trace, console.id).filter((e) => e.op === 'sendto')[1]!.payload).toBe(
      'hello\\tthere\\n',
    )
    await session.stopActor(console.id)
    expect((await console.done).state).toBe('stopped')
    expect(eventsOf(session.trace, console.id).at(-1)!.op).toBe('close')
  })
})
