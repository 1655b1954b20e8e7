import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import type { TraceEvent } from '@shared/trace'
import {
  anchorsOf,
  closeRawUdp,
  eventsOf,
  freeUdpPort,
  handleBaseline,
  HOST,
  rawUdp,
  opsOf,
  sessionFactory,
  waitForEvent,
  waitForNoSocketHandles,
} from './helpers'

const newSession = sessionFactory('ping-pong')

const rounds = (n: number, ...ops: TraceEvent['op'][]) =>
  Array.from({ length: n }, () => ops).flat()

describe('UDP server and client in one session', () => {
  it('perform the calls of the Python programs, and each reply goes where recvfrom() said', async () => {
    const { session, sink } = newSession()
    const port = await freeUdpPort()
    const server = session.startActor({ kind: 'udp-server', host: HOST, port })
    await server.ready
    const client = session.startActor({ kind: 'udp-client', host: HOST, port })
    const clientStatus = await client.done
    expect(clientStatus).toMatchObject({ state: 'finished', actorId: 'udp-client#1' })
    expect(clientStatus.message).toBeUndefined()

    // The UDP server runs until stopped.
    expect(session.statuses().find((s) => s.actorId === 'udp-server#1')?.state).toBe('running')
    await session.stopActor(server.id)
    expect((await server.done).state).toBe('stopped')

    expect(opsOf(session.trace, 'udp-server#1')).toEqual([
      'socket',
      'bind',
      'note',
      ...rounds(5, 'recvfrom', 'sendto'),
      'close',
    ])
    expect(opsOf(session.trace, 'udp-client#1')).toEqual([
      'socket',
      'note',
      ...rounds(5, 'sendto', 'recvfrom'),
      'close',
    ])

    const serverAddr = `${HOST}:${port}`
    const serverEvents = eventsOf(session.trace, 'udp-server#1')
    const clientEvents = eventsOf(session.trace, 'udp-client#1')
    const clientAddr = clientEvents[0]!.local!
    expect(clientAddr).toMatch(/^127\.0\.0\.1:\d+$/)
    expect(clientAddr).not.toBe(serverAddr)

    const recvs = serverEvents.filter((e) => e.op === 'recvfrom')
    const sends = serverEvents.filter((e) => e.op === 'sendto')
    for (let i = 0; i < 5; i++) {
      // recvfrom() gave the client's address; sendto() replied to exactly that address.
      expect(recvs[i]).toMatchObject({ local: serverAddr, remote: clientAddr, payload: 'PING' })
      expect(sends[i]).toMatchObject({
        local: serverAddr,
        remote: recvs[i]!.remote,
        payload: 'PONG',
      })
      expect(sends[i]!.seq).toBeGreaterThan(recvs[i]!.seq)
    }
    for (const e of clientEvents.filter((e) => e.op === 'sendto')) {
      expect(e).toMatchObject({ local: clientAddr, remote: serverAddr, payload: 'PING', bytes: 4 })
    }
    const replies = clientEvents.filter((e) => e.op === 'recvfrom')
    expect(replies).toHaveLength(5)
    for (const e of replies) {
      expect(e).toMatchObject({ local: clientAddr, remote: serverAddr, payload: 'PONG', bytes: 4 })
      expect(e.rttMs).toBeTypeOf('number')
      expect(e.rttMs).toBeGreaterThanOrEqual(0)
    }
    // No TCP-only fields on datagrams.
    expect(session.trace.every((e) => e.conn === undefined && e.proto === 'udp')).toBe(true)
    expect(sink.statuses.filter((s) => s.actorId === 'udp-client#1').map((s) => s.state)).toEqual([
      'starting',
      'running',
      'finished',
    ])
  })

  it('anchor events to the UDP reference programs', async () => {
    const { session } = newSession()
    const port = await freeUdpPort()
    const server = session.startActor({ kind: 'udp-server', host: HOST, port })
    await server.ready
    await session.startActor({ kind: 'udp-client', host: HOST, port, options: { count: 1 } }).done
    await session.stopActor(server.id)

    const anchors = (actor: string) => anchorsOf(session.trace, actor)
    expect(anchors('udp-server#1')).toEqual([
      ['socket', 'udp_server.py', 'socket'],
      ['bind', 'udp_server.py', 'bind'],
      ['note', 'udp_server.py', 'recvfrom'],
      ['recvfrom', 'udp_server.py', 'recvfrom'],
      ['sendto', 'udp_server.py', 'sendto'],
      ['close', 'udp_server.py', 'close'],
    ])
    expect(anchors('udp-client#1')).toEqual([
      ['socket', 'udp_client.py', 'socket'],
      ['note', 'udp_client.py', 'settimeout'],
      ['sendto', 'udp_client.py', 'sendto'],
      ['recvfrom', 'udp_client.py', 'recvfrom'],
      ['close', 'udp_client.py', 'close'],
    ])
    expect(session.trace.find((e) => e.actor === 'udp-client#1' && e.op === 'note')?.message).toBe(
      'settimeout(2): recvfrom() gives up after that',
    )
  })

  it('with no server, the client times out on every PING and still finishes', async () => {
    const { session } = newSession()
    const port = await freeUdpPort()
    const client = session.startActor({
      kind: 'udp-client',
      host: HOST,
      port,
      options: { timeoutMs: 100 },
    })
    const status = await client.done

    expect(status).toMatchObject({ state: 'finished', message: '5 of 5 PINGs got no reply' })
    expect(opsOf(session.trace, 'udp-client#1')).toEqual([
      'socket',
      'note',
      ...rounds(5, 'sendto', 'timeout'),
      'close',
    ])
    const timeouts = session.trace.filter((e) => e.op === 'timeout')
    timeouts.forEach((e, i) => {
      expect(e).toMatchObject({
        level: 'warn',
        remote: `${HOST}:${port}`,
        anchor: { file: 'udp_client.py', name: 'timeout' },
        message: `no reply to PING ${i + 1} within 0.1 s — going on`,
      })
    })
    // Each timeout comes about timeoutMs after its PING.
    const sends = session.trace.filter((e) => e.op === 'sendto')
    for (let i = 0; i < 5; i++) {
      expect(timeouts[i]!.t - sends[i]!.t).toBeGreaterThanOrEqual(95)
    }
    expect(session.trace.at(-1)).toMatchObject({ op: 'close', level: 'info' })
  })

  it('answers a datagram that is not PING with "ERROR expected PING"', async () => {
    const { session, sink } = newSession()
    const port = await freeUdpPort()
    const server = session.startActor({ kind: 'udp-server', host: HOST, port })
    await server.ready

    const probe = await rawUdp()
    const probeAddr = `${HOST}:${probe.address().port}`
    const replies: string[] = []
    for (const text of ['HELLO', 'PING\n']) {
      const reply = once(probe, 'message')
      probe.send(text, port, HOST)
      const [data, rinfo] = (await reply) as [Buffer, { port: number }]
      expect(rinfo.port).toBe(port)
      replies.push(data.toString('utf8'))
    }
    expect(replies).toEqual(['ERROR expected PING', 'PONG'])

    await waitForEvent(session, sink, (e) => e.op === 'sendto' && e.payload === 'PONG')
    const exchange = eventsOf(session.trace, 'udp-server#1').filter((e) => e.remote === probeAddr)
    expect(exchange.map((e) => [e.op, e.payload, e.bytes])).toEqual([
      ['recvfrom', 'HELLO', 5],
      ['sendto', 'ERROR expected PING', 19],
      // The preview shows the newline instead of printing it.
      ['recvfrom', 'PING\\n', 5],
      ['sendto', 'PONG', 4],
    ])
  })

  it('a UDP port in use fails the server with a clear message', async () => {
    const baseline = handleBaseline()
    const busy = await rawUdp()
    const port = busy.address().port
    const { session } = newSession()
    const server = session.startActor({ kind: 'udp-server', host: HOST, port })
    await expect(server.ready).rejects.toThrow(/already in use/)
    const status = await server.done
    expect(status.state).toBe('failed')
    expect(status.message).toContain(`Port ${port} is already in use on ${HOST}`)
    expect(session.trace.map((e) => [e.op, e.level, e.anchor?.name])).toEqual([
      ['error', 'error', 'bind'],
    ])

    // The session still works: a server on another port starts.
    const other = session.startActor({ kind: 'udp-server', host: HOST, port: await freeUdpPort() })
    await other.ready
    await session.stopActor(other.id)
    await closeRawUdp(busy)
    expect(await waitForNoSocketHandles(baseline)).toEqual([])
  })

  it('stop() closes a running UDP server and frees its port', async () => {
    const { session, sink } = newSession()
    const port = await freeUdpPort()
    const server = session.startActor({ kind: 'udp-server', host: HOST, port })
    await server.ready
    expect(await session.stopActor(server.id)).toBe(true)
    const status = await server.done
    expect(status.state).toBe('stopped')
    expect(opsOf(session.trace, 'udp-server#1')).toEqual(['socket', 'bind', 'note', 'close'])
    expect(sink.statuses.map((s) => s.state)).toEqual(['starting', 'running', 'stopped'])
    // Stopping again is harmless, and the port can be bound again.
    await session.stopActor(server.id)
    await rawUdp(port)
    expect(await session.stopActor('udp-server#99')).toBe(false)
  })
})
