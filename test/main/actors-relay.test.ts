import type { Socket } from 'node:dgram'
import { describe, expect, it } from 'vitest'
import { ImpairmentSchema, type Impairment } from '@shared/actors'
import type { TraceEvent } from '@shared/trace'
import { ImpairmentEngine, type Fate } from '../../src/main/impair/engine'
import {
  closeRawUdp,
  eventsOf,
  freeUdpPort,
  handleBaseline,
  HOST,
  rawUdp,
  sessionFactory,
  waitForEvent,
  waitForNoSocketHandles,
} from './helpers'

const newSession = sessionFactory('lossy-udp')
const impairment = (settings: Partial<Impairment>) => ImpairmentSchema.parse(settings)

/** A raw server that echoes "PING n" as "PONG n" and records what it received, in order. */
async function echoServer() {
  const socket = await rawUdp()
  const received: { text: string; from: string }[] = []
  socket.on('message', (data, rinfo) => {
    const text = data.toString('utf8')
    received.push({ text, from: `${rinfo.address}:${rinfo.port}` })
    socket.send(text.replace('PING', 'PONG'), rinfo.port, rinfo.address)
  })
  return { socket, port: socket.address().port, received }
}

/** The first seed whose first fates satisfy `want`, for a test that needs a given fate. */
function seedWhere(settings: Impairment, want: (fates: Fate[]) => boolean, n = 4): number {
  for (let seed = 0; seed < 10_000; seed++) {
    if (want(new ImpairmentEngine(settings, seed).take(n))) return seed
  }
  throw new Error('no seed found')
}

/** Collect `n` datagrams arriving at `socket` as text. */
function collect(socket: Socket, n: number): Promise<string[]> {
  const texts: string[] = []
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      texts.push(data.toString('utf8'))
      if (texts.length === n) {
        socket.off('message', onMessage)
        resolve(texts)
      }
    }
    socket.on('message', onMessage)
  })
}

const relayed = (trace: readonly TraceEvent[], id: string) =>
  eventsOf(trace, id).filter((e) => e.op === 'sendto' || e.op === 'drop')

describe('the impairment relay', () => {
  it('forwards both ways from one upstream socket per client, like a NAT', async () => {
    const { session } = newSession()
    const server = await echoServer()
    const port = await freeUdpPort()
    const relay = session.startActor({
      kind: 'udp-relay',
      host: HOST,
      port,
      options: { targetPort: server.port, seed: 99 },
    })
    await relay.ready
    const a = await rawUdp()
    const b = await rawUdp()
    const aReplies = collect(a, 2)
    const bReplies = collect(b, 1)
    a.send('PING 1', port, HOST)
    b.send('PING 7', port, HOST)
    a.send('PING 2', port, HOST)
    expect((await aReplies).sort()).toEqual(['PONG 1', 'PONG 2'])
    expect(await bReplies).toEqual(['PONG 7'])

    // The server saw two senders, both the relay's upstream sockets, neither a client.
    const senders = [...new Set(server.received.map((r) => r.from))]
    expect(senders).toHaveLength(2)
    const aAddr = `${HOST}:${a.address().port}`
    const bAddr = `${HOST}:${b.address().port}`
    expect(senders).not.toContain(aAddr)
    expect(senders).not.toContain(bAddr)

    const events = eventsOf(session.trace, relay.id)
    expect(events.slice(0, 4).map((e) => [e.op, e.anchor?.name, e.message])).toEqual([
      ['note', 'seed', 'seed 99: drop 0, delay 0 ± 0 ms, duplicate 0, reorder 0'],
      ['socket', 'socket', 'socket(AF_INET, SOCK_DGRAM)'],
      ['bind', 'bind', undefined],
      [
        'note',
        'recvfrom',
        `forwarding to ${HOST}:${server.port}: recvfrom() waits for a datagram from a client`,
      ],
    ])
    const upstreamSockets = events.filter((e) => e.op === 'socket').slice(1)
    expect(upstreamSockets.map((e) => e.local).sort()).toEqual([...senders].sort())
    // Each client's datagrams went out from its own upstream socket, and the replies back to it.
    const relayAddr = `${HOST}:${port}`
    const sends = events.filter((e) => e.op === 'sendto')
    expect(sends.every((e) => e.tag === undefined && e.anchor?.name === 'forward')).toBe(true)
    const toServer = sends.filter((e) => e.remote === `${HOST}:${server.port}`)
    const toClients = sends.filter((e) => e.local === relayAddr)
    expect(toServer.map((e) => e.payload).sort()).toEqual(['PING 1', 'PING 2', 'PING 7'])
    expect(toClients.map((e) => [e.remote, e.payload]).sort()).toEqual(
      [
        [aAddr, 'PONG 1'],
        [aAddr, 'PONG 2'],
        [bAddr, 'PONG 7'],
      ].sort(),
    )
    const upstreamOf = (payload: string) => toServer.find((e) => e.payload === payload)!.local
    expect(upstreamOf('PING 1')).toBe(upstreamOf('PING 2'))
    expect(upstreamOf('PING 1')).not.toBe(upstreamOf('PING 7'))
    // recvfrom names the sender: a client on the listening socket, the server on an upstream one.
    const recvs = events.filter((e) => e.op === 'recvfrom')
    expect(recvs).toHaveLength(6)
    for (const e of recvs) {
      if (e.local === relayAddr) expect([aAddr, bAddr]).toContain(e.remote)
      else expect(e.remote).toBe(`${HOST}:${server.port}`)
    }
    expect(events.every((e) => e.role === 'relay' && e.anchor?.file === 'impair_relay.py')).toBe(
      true,
    )
  })

  it('lossy client through a dropping relay: every loss is a relay drop, the same seed drops the same', async () => {
    const { session } = newSession()
    const serverPort = await freeUdpPort()
    const server = session.startActor({ kind: 'lossy-server', host: HOST, port: serverPort })
    await server.ready
    const relayPort = await freeUdpPort()
    const run = async () => {
      const relay = session.startActor({
        kind: 'udp-relay',
        host: HOST,
        port: relayPort,
        options: { targetPort: serverPort, seed: 5, impair: impairment({ drop: 0.3 }) },
      })
      await relay.ready
      const client = session.startActor({
        kind: 'lossy-client',
        host: HOST,
        port: relayPort,
        options: { count: 20, timeoutMs: 100 },
      })
      const status = await client.done
      await session.stopActor(relay.id)
      const drops = eventsOf(session.trace, relay.id).filter((e) => e.op === 'drop')
      const timeouts = eventsOf(session.trace, client.id).filter((e) => e.op === 'timeout')
      return { status, drops, timeouts }
    }
    const first = await run()
    expect(first.drops.length).toBeGreaterThan(0)
    // A lost PING or a lost PONG: either way one timeout, and the client finished.
    expect(first.timeouts).toHaveLength(first.drops.length)
    expect(first.status).toMatchObject({
      state: 'finished',
      message: `20 PINGs: ${20 - first.drops.length} replies, ${first.drops.length} lost`,
    })
    expect(first.drops[0]).toMatchObject({
      tag: 'lost',
      level: 'warn',
      message: 'dropped by the relay',
      anchor: { name: 'drop' },
    })
    const second = await run()
    expect(second.drops.map((e) => e.payload)).toEqual(first.drops.map((e) => e.payload))
    await session.stopActor(server.id)
  })

  it('delays each datagram within delay ± jitter, badged "delayed"', async () => {
    const { session } = newSession()
    const server = await echoServer()
    const port = await freeUdpPort()
    const relay = session.startActor({
      kind: 'udp-relay',
      host: HOST,
      port,
      options: {
        targetPort: server.port,
        seed: 3,
        impair: impairment({ delayMs: 60, jitterMs: 30 }),
      },
    })
    await relay.ready
    const client = await rawUdp()
    for (let n = 1; n <= 3; n++) {
      const reply = collect(client, 1)
      const started = performance.now()
      client.send(`PING ${n}`, port, HOST)
      expect(await reply).toEqual([`PONG ${n}`])
      // Two held legs, each at least 30 ms.
      expect(performance.now() - started).toBeGreaterThanOrEqual(59)
    }
    const sends = relayed(session.trace, relay.id)
    expect(sends).toHaveLength(6)
    for (const e of sends) {
      expect(e).toMatchObject({ op: 'sendto', tag: 'delayed', anchor: { name: 'delay' } })
      const held = Number(/^held (\d+) ms$/.exec(e.message!)![1])
      expect(held).toBeGreaterThanOrEqual(30)
      expect(held).toBeLessThanOrEqual(90)
    }
    // Each sendto comes at least its hold after the recvfrom it forwards.
    const events = eventsOf(session.trace, relay.id)
    for (const send of sends) {
      const recv = events
        .filter((e) => e.op === 'recvfrom' && e.seq < send.seq && e.payload === send.payload)
        .at(-1)!
      expect(send.t - recv.t).toBeGreaterThanOrEqual(Number(/\d+/.exec(send.message!)![0]) - 1)
    }
  })

  it('duplicates a datagram: the copy is badged, and the lossy client calls the extra reply a duplicate', async () => {
    const { session } = newSession()
    const settings = impairment({ duplicate: 0.5 })
    // Datagram 1 (PING 1) is copied; the server's two replies then go through undisturbed.
    const seed = seedWhere(
      settings,
      ([a, b, c]) => a!.duplicate && !b!.duplicate && !c!.duplicate,
      3,
    )
    const serverPort = await freeUdpPort()
    const server = session.startActor({ kind: 'lossy-server', host: HOST, port: serverPort })
    await server.ready
    const relayPort = await freeUdpPort()
    const relay = session.startActor({
      kind: 'udp-relay',
      host: HOST,
      port: relayPort,
      options: { targetPort: serverPort, seed, impair: settings },
    })
    await relay.ready
    const client = session.startActor({
      kind: 'lossy-client',
      host: HOST,
      port: relayPort,
      options: { count: 2, timeoutMs: 1000 },
    })
    const status = await client.done
    const copies = eventsOf(session.trace, relay.id).filter((e) => e.tag === 'duplicated')
    expect(copies[0]).toMatchObject({
      op: 'sendto',
      payload: 'PING 1',
      anchor: { name: 'duplicate' },
      message: 'second copy of the same datagram',
    })
    const dup = eventsOf(session.trace, client.id).find((e) => e.tag === 'duplicate')
    expect(dup).toMatchObject({ payload: 'PONG 1', message: 'duplicate reply to PING 1 — ignored' })
    expect(status.state).toBe('finished')
    expect(status.message).toMatch(/^2 PINGs: 2 replies, 0 lost, \d+ duplicates?$/)
    await session.stopAll()
  })

  it('reorders: a held datagram goes out after the next one, or after 1 s if none comes', async () => {
    const { session, sink } = newSession()
    const settings = impairment({ reorder: 0.5 })
    // PING 1 is held, PING 2 is not; the two replies coming back are not held either.
    const seed = seedWhere(
      settings,
      ([a, b, c, d]) => a!.reorder && !b!.reorder && !c!.reorder && !d!.reorder,
    )
    const server = await echoServer()
    const port = await freeUdpPort()
    const relay = session.startActor({
      kind: 'udp-relay',
      host: HOST,
      port,
      options: { targetPort: server.port, seed, impair: settings },
    })
    await relay.ready
    const client = await rawUdp()
    const replies = collect(client, 2)
    client.send('PING 1', port, HOST)
    client.send('PING 2', port, HOST)
    await replies
    expect(server.received.slice(0, 2).map((r) => r.text)).toEqual(['PING 2', 'PING 1'])
    const toServer = relayed(session.trace, relay.id).filter(
      (e) => e.remote === `${HOST}:${server.port}`,
    )
    expect(toServer.map((e) => [e.payload, e.tag, e.anchor?.name, e.message])).toEqual([
      ['PING 2', undefined, 'forward', undefined],
      ['PING 1', 'reordered', 'reorder', 'sent after the next datagram'],
    ])
    await session.stopActor(relay.id)

    // Alone, a held datagram is not held forever.
    const lone = seedWhere(settings, ([a]) => a!.reorder, 1)
    const relay2 = session.startActor({
      kind: 'udp-relay',
      host: HOST,
      port,
      options: { targetPort: server.port, seed: lone, impair: settings },
    })
    await relay2.ready
    const started = performance.now()
    client.send('PING 9', port, HOST)
    await waitForEvent(session, sink, (e) => e.actor === relay2.id && e.tag === 'reordered')
    expect(performance.now() - started).toBeGreaterThanOrEqual(990)
    const held = relayed(session.trace, relay2.id)[0]!
    expect(held).toMatchObject({
      payload: 'PING 9',
      tag: 'reordered',
      message: 'sent after 1 s: no next datagram came to overtake it',
    })
    await session.stopActor(relay2.id)
  })

  it("a client whose timeout is shorter than the relay's delay recognises the late reply", async () => {
    const { session } = newSession()
    const serverPort = await freeUdpPort()
    const server = session.startActor({ kind: 'lossy-server', host: HOST, port: serverPort })
    await server.ready
    const relayPort = await freeUdpPort()
    // 200 ms each way: PONG 1 comes 400 ms after PING 1, while the client waits for PONG 2.
    const relay = session.startActor({
      kind: 'udp-relay',
      host: HOST,
      port: relayPort,
      options: { targetPort: serverPort, seed: 1, impair: impairment({ delayMs: 200 }) },
    })
    await relay.ready
    const client = session.startActor({
      kind: 'lossy-client',
      host: HOST,
      port: relayPort,
      options: { count: 3, timeoutMs: 300 },
    })
    const status = await client.done
    const events = eventsOf(session.trace, client.id)
    expect(events.filter((e) => e.op === 'timeout')).toHaveLength(3)
    const late = events.filter((e) => e.tag === 'late')
    expect(late.length).toBeGreaterThanOrEqual(1)
    expect(late[0]).toMatchObject({
      op: 'recvfrom',
      payload: 'PONG 1',
      level: 'warn',
      message: 'late reply to PING 1 (already timed out) — ignored',
    })
    expect(status.message).toMatch(/^3 PINGs: 0 replies, 3 lost, [12] late$/)
    await session.stopAll()
  })

  it('stop closes every socket and clears every pending timer at once', async () => {
    const baseline = handleBaseline()
    const { session, sink } = newSession()
    const server = await echoServer()
    const port = await freeUdpPort()
    const relay = session.startActor({
      kind: 'udp-relay',
      host: HOST,
      port,
      options: { targetPort: server.port, seed: 1, impair: impairment({ delayMs: 10_000 }) },
    })
    await relay.ready
    const a = await rawUdp()
    const b = await rawUdp()
    a.send('PING 1', port, HOST)
    b.send('PING 1', port, HOST)
    // Both clients have their upstream socket, and both datagrams sit in 10 s timers.
    await waitForEvent(
      session,
      sink,
      (e) =>
        e.actor === relay.id && e.op === 'socket' && e.message!.includes(`${a.address().port}`),
    )
    await waitForEvent(
      session,
      sink,
      (e) =>
        e.actor === relay.id && e.op === 'socket' && e.message!.includes(`${b.address().port}`),
    )
    const started = performance.now()
    await session.stopActor(relay.id)
    expect(performance.now() - started).toBeLessThan(1000)
    expect((await relay.done).state).toBe('stopped')
    const closes = eventsOf(session.trace, relay.id).filter((e) => e.op === 'close')
    expect(closes).toHaveLength(3)
    expect(relayed(session.trace, relay.id)).toEqual([])
    for (const s of [server.socket, a, b]) await closeRawUdp(s)
    expect(await waitForNoSocketHandles(baseline)).toEqual([])
  })

  it('refuses to start without a target port, or when its port is taken, with a clear message', async () => {
    const { session } = newSession()
    const port = await freeUdpPort()
    const noTarget = session.startActor({ kind: 'udp-relay', host: HOST, port })
    await expect(noTarget.ready).rejects.toThrow(/needs a target port/)
    expect(await noTarget.done).toMatchObject({ state: 'failed' })
    const loop = session.startActor({
      kind: 'udp-relay',
      host: HOST,
      port,
      options: { targetPort: port },
    })
    expect((await loop.done).message).toMatch(/cannot forward to that same address/)

    const busy = await rawUdp()
    const taken = session.startActor({
      kind: 'udp-relay',
      host: HOST,
      port: busy.address().port,
      options: { targetPort: port },
    })
    await expect(taken.ready).rejects.toThrow(/already in use/)
    expect((await taken.done).state).toBe('failed')
  })
})
