import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import type { TraceEvent } from '@shared/trace'
import {
  anchorsOf,
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

const newSession = sessionFactory('lossy-udp')

/** The PING numbers of the events that match, in trace order. */
const numbers = (events: TraceEvent[], pick: (e: TraceEvent) => boolean, re: RegExp) =>
  events.filter(pick).map((e) => Number(re.exec(e.payload ?? e.message ?? '')?.[1]))

const droppedBy = (trace: readonly TraceEvent[], actor: string) =>
  numbers(eventsOf(trace, actor), (e) => e.op === 'drop', /PONG (\d+)/)
const timedOutAt = (trace: readonly TraceEvent[], actor: string) =>
  numbers(eventsOf(trace, actor), (e) => e.op === 'timeout', /PING (\d+)/)

describe('lossy server and lossy client', () => {
  it('drops exactly the replies in the drop list; the client reports each as lost and finishes', async () => {
    const { session } = newSession()
    const port = await freeUdpPort()
    const server = session.startActor({
      kind: 'lossy-server',
      host: HOST,
      port,
      options: { dropList: [3, 7], seed: 42 },
    })
    await server.ready
    const client = session.startActor({
      kind: 'lossy-client',
      host: HOST,
      port,
      options: { count: 10, timeoutMs: 100 },
    })
    expect(await client.done).toMatchObject({
      state: 'finished',
      message: '10 PINGs: 8 replies, 2 lost',
    })
    await session.stopActor(server.id)

    const serverEvents = eventsOf(session.trace, 'lossy-server#1')
    expect(serverEvents[0]).toMatchObject({
      op: 'note',
      anchor: { file: 'lossy_server.py', name: 'seed' },
      message: 'seed 42, dropping replies to PING 3, 7',
    })
    expect(serverEvents.map((e) => e.op).slice(1, 4)).toEqual(['socket', 'bind', 'note'])
    expect(droppedBy(session.trace, 'lossy-server#1')).toEqual([3, 7])
    expect(timedOutAt(session.trace, 'lossy-client#1')).toEqual([3, 7])
    const drop = serverEvents.find((e) => e.op === 'drop')!
    expect(drop).toMatchObject({
      tag: 'lost',
      level: 'warn',
      payload: 'PONG 3',
      anchor: { file: 'lossy_server.py', name: 'drop' },
      message: 'dropped reply to PING 3 — simulated loss',
    })
    // Every PING got exactly one outcome in the client's trace: an answer or a timeout.
    const clientEvents = eventsOf(session.trace, 'lossy-client#1')
    const outcomes = clientEvents.filter(
      (e) => e.op === 'timeout' || (e.op === 'recvfrom' && !e.tag),
    )
    expect(outcomes.map((e) => (e.op === 'timeout' ? 'lost' : e.payload))).toEqual([
      'PONG 1',
      'PONG 2',
      'lost',
      'PONG 4',
      'PONG 5',
      'PONG 6',
      'lost',
      'PONG 8',
      'PONG 9',
      'PONG 10',
    ])
    for (const e of outcomes.filter((e) => e.op === 'recvfrom'))
      expect(e.rttMs).toBeTypeOf('number')
    expect(clientEvents.find((e) => e.op === 'timeout')).toMatchObject({
      level: 'warn',
      anchor: { file: 'lossy_client.py', name: 'timeout' },
      message: 'no reply to PING 3 within 0.1 s — counted as lost, going on',
    })
    expect(clientEvents.at(-1)).toMatchObject({ op: 'close' })
  })

  it("at drop 0.3 over 20 PINGs the client finishes all 20 and each loss is the server's drop", async () => {
    const { session } = newSession()
    const port = await freeUdpPort()
    const server = session.startActor({
      kind: 'lossy-server',
      host: HOST,
      port,
      options: { dropRate: 0.3, seed: 1234 },
    })
    await server.ready
    const client = session.startActor({
      kind: 'lossy-client',
      host: HOST,
      port,
      options: { count: 20, timeoutMs: 60 },
    })
    const status = await client.done
    const drops = droppedBy(session.trace, 'lossy-server#1')
    expect(drops.length).toBeGreaterThan(0)
    expect(status).toMatchObject({
      state: 'finished',
      message: `20 PINGs: ${20 - drops.length} replies, ${drops.length} lost`,
    })
    expect(timedOutAt(session.trace, 'lossy-client#1')).toEqual(drops)
    expect(eventsOf(session.trace, 'lossy-server#1')[0]!.message).toBe(
      'seed 1234, drop probability 0.3',
    )
    const sends = eventsOf(session.trace, 'lossy-client#1').filter((e) => e.op === 'sendto')
    expect(sends.map((e) => e.payload)).toEqual(
      Array.from({ length: 20 }, (_, i) => `PING ${i + 1}`),
    )
  })

  it('the same seed drops the same replies twice; with no seed one is picked and shown', async () => {
    const { session } = newSession()
    const port = await freeUdpPort()
    const run = async (options: { seed?: number }) => {
      const server = session.startActor({
        kind: 'lossy-server',
        host: HOST,
        port,
        options: { dropRate: 0.5, ...options },
      })
      await server.ready
      await session.startActor({
        kind: 'lossy-client',
        host: HOST,
        port,
        options: { count: 12, timeoutMs: 40 },
      }).done
      await session.stopActor(server.id)
      return server.id
    }
    const first = await run({ seed: 777 })
    const second = await run({ seed: 777 })
    const third = await run({})
    expect(droppedBy(session.trace, first).length).toBeGreaterThan(0)
    expect(droppedBy(session.trace, second)).toEqual(droppedBy(session.trace, first))
    const note = eventsOf(session.trace, third)[0]!.message!
    expect(note).toMatch(/^seed \d+, drop probability 0\.5$/)
  })

  it('answers a plain PING with PONG, "PING n" with "PONG n", anything else with an error', async () => {
    const { session, sink } = newSession()
    const port = await freeUdpPort()
    const server = session.startActor({ kind: 'lossy-server', host: HOST, port })
    await server.ready
    const probe = await rawUdp()
    const replies: string[] = []
    for (const text of ['PING', 'PING x', 'PONG 1', 'PING 12\n', 'PING']) {
      const reply = once(probe, 'message')
      probe.send(text, port, HOST)
      replies.push(((await reply) as [Buffer])[0].toString('utf8'))
    }
    expect(replies).toEqual([
      'PONG',
      'ERROR expected PING or PING <n>',
      'ERROR expected PING or PING <n>',
      'PONG 12',
      'PONG',
    ])
    await waitForEvent(session, sink, (e) => e.op === 'sendto' && e.payload === 'PONG 12')
  })

  it('with no timeout the client blocks in recvfrom() until Stop cancels it, leaving nothing open', async () => {
    const baseline = handleBaseline()
    const { session, sink } = newSession()
    const port = await freeUdpPort()
    const server = session.startActor({
      kind: 'lossy-server',
      host: HOST,
      port,
      options: { dropList: [2] },
    })
    await server.ready
    const client = session.startActor({
      kind: 'lossy-client',
      host: HOST,
      port,
      options: { count: 5, timeoutMs: 0 },
    })
    // PONG 2 never comes: the client sits in recvfrom() with no timer to wake it.
    await waitForEvent(session, sink, (e) => e.op === 'drop')
    await waitForEvent(
      session,
      sink,
      (e) => e.actor === client.id && e.op === 'sendto' && e.payload === 'PING 2',
    )
    expect(session.statuses().find((s) => s.actorId === client.id)?.state).toBe('running')
    expect(await session.stopActor(client.id)).toBe(true)
    expect(await client.done).toMatchObject({ state: 'stopped' })

    const events = eventsOf(session.trace, client.id)
    expect(events.map((e) => e.op)).toEqual([
      'socket',
      'note',
      'sendto',
      'recvfrom',
      'sendto',
      'note',
      'close',
    ])
    expect(events[1]!.message).toBe('settimeout(None): recvfrom() waits until a reply comes')
    expect(events[5]).toMatchObject({
      level: 'warn',
      anchor: { file: 'lossy_client.py', name: 'recvfrom' },
      message: 'cancelled while blocked in recvfrom() waiting for PONG 2',
    })
    await session.stopActor(server.id)
    expect(await waitForNoSocketHandles(baseline)).toEqual([])
  })

  it('a second copy of a reply is a duplicate, traced and ignored', async () => {
    const { session } = newSession()
    // A server that answers every PING twice, as if the network had copied the reply.
    const doubler = await rawUdp()
    doubler.on('message', (data, rinfo) => {
      const reply = data.toString('utf8').replace('PING', 'PONG')
      doubler.send(reply, rinfo.port, rinfo.address)
      doubler.send(reply, rinfo.port, rinfo.address)
    })
    const client = session.startActor({
      kind: 'lossy-client',
      host: HOST,
      port: doubler.address().port,
      options: { count: 3, timeoutMs: 1000 },
    })
    const status = await client.done
    const received = eventsOf(session.trace, client.id).filter((e) => e.op === 'recvfrom')
    const answers = received.filter((e) => !e.tag)
    expect(answers.map((e) => e.payload)).toEqual(['PONG 1', 'PONG 2', 'PONG 3'])
    // The copy of PONG n is read while waiting for PONG n+1; the last copy is never read.
    const duplicates = received.filter((e) => e.tag === 'duplicate')
    expect(duplicates.map((e) => e.payload)).toEqual(['PONG 1', 'PONG 2'])
    expect(duplicates[0]).toMatchObject({
      level: 'warn',
      message: 'duplicate reply to PING 1 — ignored',
    })
    expect(duplicates.every((e) => e.rttMs === undefined)).toBe(true)
    expect(status.message).toBe('3 PINGs: 3 replies, 0 lost, 2 duplicates')
  })

  it('a reply to an earlier PING that timed out is late: ignored, and the current PING still gets its answer', async () => {
    const { session } = newSession()
    // A server that holds PONG 1 back until PING 2 arrives, then sends both.
    const slow = await rawUdp()
    slow.on('message', (data, rinfo) => {
      const text = data.toString('utf8')
      if (text === 'PING 2') slow.send('PONG 1', rinfo.port, rinfo.address)
      if (text !== 'PING 1') slow.send(text.replace('PING', 'PONG'), rinfo.port, rinfo.address)
    })
    const client = session.startActor({
      kind: 'lossy-client',
      host: HOST,
      port: slow.address().port,
      options: { count: 3, timeoutMs: 200 },
    })
    const status = await client.done
    const events = eventsOf(session.trace, client.id)
    expect(
      events
        .filter((e) => e.op === 'timeout' || e.op === 'recvfrom')
        .map((e) => [e.op, e.payload, e.tag]),
    ).toEqual([
      ['timeout', undefined, undefined],
      ['recvfrom', 'PONG 1', 'late'],
      ['recvfrom', 'PONG 2', undefined],
      ['recvfrom', 'PONG 3', undefined],
    ])
    expect(events.find((e) => e.tag === 'late')).toMatchObject({
      level: 'warn',
      message: 'late reply to PING 1 (already timed out) — ignored',
    })
    expect(events.find((e) => e.tag === 'late')!.rttMs).toBeUndefined()
    expect(status.message).toBe('3 PINGs: 2 replies, 1 lost, 1 late')
  })

  it('anchors events to lossy_server.py and lossy_client.py, timeout shown as Python prints it', async () => {
    const { session } = newSession()
    const port = await freeUdpPort()
    const server = session.startActor({
      kind: 'lossy-server',
      host: HOST,
      port,
      options: { seed: 1 },
    })
    await server.ready
    await session.startActor({
      kind: 'lossy-client',
      host: HOST,
      port,
      options: { count: 1, timeoutMs: 1500 },
    }).done
    await session.stopActor(server.id)
    const anchors = (actor: string) => anchorsOf(session.trace, actor)
    expect(anchors('lossy-server#1')).toEqual([
      ['note', 'lossy_server.py', 'seed'],
      ['socket', 'lossy_server.py', 'socket'],
      ['bind', 'lossy_server.py', 'bind'],
      ['note', 'lossy_server.py', 'recvfrom'],
      ['recvfrom', 'lossy_server.py', 'recvfrom'],
      ['sendto', 'lossy_server.py', 'sendto'],
      ['close', 'lossy_server.py', 'close'],
    ])
    expect(anchors('lossy-client#1')).toEqual([
      ['socket', 'lossy_client.py', 'socket'],
      ['note', 'lossy_client.py', 'settimeout'],
      ['sendto', 'lossy_client.py', 'sendto'],
      ['recvfrom', 'lossy_client.py', 'recvfrom'],
      ['close', 'lossy_client.py', 'close'],
    ])
    expect(eventsOf(session.trace, 'lossy-client#1')[1]!.message).toBe(
      'settimeout(1.5): recvfrom() gives up after 1.5 s',
    )
    expect(opsOf(session.trace, 'lossy-server#1')).not.toContain('drop')
  })
})

describe('the ping-pong UDP client with timeout 0', () => {
  it('waits with no timer until Stop, then closes its socket', async () => {
    // Sockets the previous test closed leave the handle list a loop turn later: let them go.
    for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve))
    const baseline = handleBaseline()
    const { session, sink } = newSession()
    const client = session.startActor({
      kind: 'udp-client',
      host: HOST,
      port: await freeUdpPort(),
      options: { timeoutMs: 0 },
    })
    await waitForEvent(session, sink, (e) => e.actor === client.id && e.op === 'sendto')
    expect(eventsOf(session.trace, client.id)[1]!.message).toBe(
      'settimeout(None): recvfrom() waits until a reply comes',
    )
    // Blocked with no timer: only its socket is open, no Timeout handle.
    const open = await waitForNoSocketHandles(baseline, 5)
    expect(open).toEqual(['UDPWrap'])
    await session.stopActor(client.id)
    expect((await client.done).state).toBe('stopped')
    expect(await waitForNoSocketHandles(baseline)).toEqual([])
  })

  it('applies the drop decision to plain PINGs too: the drop list names them by arrival', async () => {
    const { session, sink } = newSession()
    const port = await freeUdpPort()
    const server = session.startActor({
      kind: 'lossy-server',
      host: HOST,
      port,
      options: { dropList: [2] },
    })
    await server.ready
    const probe = await rawUdp()
    const got: string[] = []
    probe.on('message', (data: Buffer) => got.push(data.toString('utf8')))
    for (let i = 0; i < 3; i++) probe.send('PING', port, HOST)
    await waitForEvent(
      session,
      sink,
      (e) =>
        e.op === 'recvfrom' &&
        e.remote !== undefined &&
        session.trace.filter((x) => x.op === 'recvfrom').length === 3,
    )
    await session.stopActor(server.id)
    const drops = session.trace.filter((e) => e.op === 'drop')
    expect(drops[0]).toMatchObject({ payload: 'PONG' })
    expect(drops.map((e) => e.message)).toEqual([
      'dropped reply to PING (the 2nd) — simulated loss',
    ])
    expect(session.trace.filter((e) => e.op === 'sendto').map((e) => e.payload)).toEqual([
      'PONG',
      'PONG',
    ])
  })

  it('the client counts a course-style server’s plain PONG replies', async () => {
    const { session } = newSession()
    const plainServer = await rawUdp()
    plainServer.on('message', (_data: Buffer, from: { port: number; address: string }) =>
      plainServer.send('PONG', from.port, from.address),
    )
    const port = plainServer.address().port
    const client = session.startActor({
      kind: 'lossy-client',
      host: HOST,
      port,
      options: { count: 4, timeoutMs: 500 },
    })
    expect(await client.done).toMatchObject({
      state: 'finished',
      message: '4 PINGs: 4 replies, 0 lost',
    })
  })
})
