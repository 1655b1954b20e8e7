import type { Socket } from 'node:dgram'
import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import { parseInvokeArgs } from '@shared/ipc'
import { ActorOptionsSchema } from '@shared/actors'
import { actorCatalogue } from '@shared/actor-catalogue'
import type { TraceEvent } from '@shared/trace'
import { evaluateCheckpoints } from '../../src/main/checkpoints'
import { makeCounter } from '../../src/main/net/counter/counter-server'
import { actorDefinitions } from '../../src/main/net'
import {
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

const newSession = sessionFactory('counter')

/** Send one datagram from `socket` and resolve with the reply's text. */
async function ask(socket: Socket, port: number, text: string): Promise<string> {
  const reply = once(socket, 'message')
  socket.send(text, port, HOST)
  const [data] = (await reply) as [Buffer]
  return data.toString('utf8')
}

const replies = (trace: readonly TraceEvent[], actor: string) =>
  eventsOf(trace, actor)
    .filter((e) => e.op === 'recvfrom')
    .map((e) => e.payload)

const pongs = (...numbers: number[]) => numbers.map((n) => `PONG #${n}`)

function rule(kind: string, trace: readonly TraceEvent[]) {
  return evaluateCheckpoints(
    [{ id: kind, title: kind, hint: kind, rule: { kind, count: 5 } }],
    trace,
  )[0]!
}

describe('makeCounter: the counting rule of counter_server.py', () => {
  it('shared: every sender moves one count on', () => {
    const respond = makeCounter('shared')
    expect(respond('PING', 'a:1').reply).toBe('PONG #1')
    expect(respond('PING', 'b:2').reply).toBe('PONG #2')
    expect(respond('PING', 'a:1')).toEqual({ reply: 'PONG #3', message: 'shared count is now 3' })
  })

  it('per-client: one count per sender address', () => {
    const respond = makeCounter('per-client')
    expect(respond('PING', 'a:1').reply).toBe('PONG #1')
    expect(respond('PING', 'a:1').reply).toBe('PONG #2')
    expect(respond('PING', 'b:2')).toEqual({ reply: 'PONG #1', message: 'count for b:2 is now 1' })
    expect(respond('PING', 'a:1').reply).toBe('PONG #3')
  })

  it('answers anything but PING with an error and does not count it', () => {
    const respond = makeCounter('shared')
    expect(respond('HELLO', 'a:1').reply).toBe('ERROR expected PING')
    expect(respond(' PING\n', 'a:1').reply).toBe('PONG #1')
  })

  it('each counter starts from nothing: two runs never share a count', () => {
    const first = makeCounter('shared')
    first('PING', 'a:1')
    first('PING', 'a:1')
    expect(makeCounter('shared')('PING', 'a:1').reply).toBe('PONG #1')
  })
})

describe('counter server and client over loopback', () => {
  it('make the calls of the Python programs, and the client traces each full reply', async () => {
    const { session, sink } = newSession()
    const port = await freeUdpPort()
    const server = session.startActor({ kind: 'counter-server', host: HOST, port })
    await server.ready
    const client = session.startActor({ kind: 'counter-client', host: HOST, port })
    expect(await client.done).toMatchObject({ state: 'finished', actorId: 'counter-client#1' })
    await session.stopActor(server.id)
    expect((await server.done).state).toBe('stopped')

    const rounds = Array.from({ length: 5 }, () => ['recvfrom', 'sendto']).flat()
    expect(opsOf(session.trace, server.id)).toEqual([
      'note',
      'socket',
      'bind',
      'note',
      ...rounds,
      'close',
    ])
    const serverEvents = eventsOf(session.trace, server.id)
    expect(serverEvents[0]).toMatchObject({
      op: 'note',
      local: `${HOST}:${port}`,
      anchor: { file: 'counter_server.py', name: 'counts' },
    })
    expect(serverEvents[0]!.message).toMatch(/^count mode: shared/)
    const sent = serverEvents.filter((e) => e.op === 'sendto')
    expect(sent.map((e) => [e.payload, e.bytes, e.message])).toEqual(
      [1, 2, 3, 4, 5].map((n) => [`PONG #${n}`, 7, `shared count is now ${n}`]),
    )

    expect(replies(session.trace, client.id)).toEqual(pongs(1, 2, 3, 4, 5))
    const clientEvents = eventsOf(session.trace, client.id)
    expect(clientEvents.map((e) => [e.op, e.anchor?.file, e.anchor?.name]).slice(0, 4)).toEqual([
      ['socket', 'counter_client.py', 'socket'],
      ['note', 'counter_client.py', 'settimeout'],
      ['sendto', 'counter_client.py', 'sendto'],
      ['recvfrom', 'counter_client.py', 'recvfrom'],
    ])
    for (const e of clientEvents.filter((e) => e.op === 'recvfrom')) {
      expect(e).toMatchObject({ remote: `${HOST}:${port}`, bytes: 7, actorKind: 'counter-client' })
    }
    expect(sink.statuses.filter((s) => s.actorId === client.id).map((s) => s.state)).toEqual([
      'starting',
      'running',
      'finished',
    ])
    expect(rule('counter-replies-in-order', session.trace).passed).toBe(true)
  })

  it('shared: a second client run goes on from the first run’s count', async () => {
    const { session } = newSession()
    const port = await freeUdpPort()
    await session.startActor({ kind: 'counter-server', host: HOST, port }).ready
    const first = session.startActor({ kind: 'counter-client', host: HOST, port })
    await first.done
    const second = session.startActor({ kind: 'counter-client', host: HOST, port })
    await second.done
    expect(replies(session.trace, first.id)).toEqual(pongs(1, 2, 3, 4, 5))
    expect(replies(session.trace, second.id)).toEqual(pongs(6, 7, 8, 9, 10))
  })

  it('per-client: each client address has a count of its own', async () => {
    const { session } = newSession()
    const port = await freeUdpPort()
    const server = session.startActor({
      kind: 'counter-server',
      host: HOST,
      port,
      options: { countMode: 'per-client' },
    })
    await server.ready
    const [a, b] = [await rawUdp(), await rawUdp()]
    expect(await ask(a, port, 'PING')).toBe('PONG #1')
    expect(await ask(a, port, 'PING')).toBe('PONG #2')
    expect(await ask(b, port, 'PING')).toBe('PONG #1')
    expect(await ask(a, port, 'HELLO')).toBe('ERROR expected PING')
    expect(await ask(a, port, 'PING')).toBe('PONG #3')
    expect(await ask(b, port, 'PING')).toBe('PONG #2')

    const events = eventsOf(session.trace, server.id)
    expect(events[0]!.message).toMatch(/^count mode: per-client/)
    const bAddr = `${HOST}:${b.address().port}`
    expect(
      events.filter((e) => e.op === 'sendto' && e.remote === bAddr).map((e) => e.message),
    ).toEqual([`count for ${bAddr} is now 1`, `count for ${bAddr} is now 2`])
  })

  it('shared, with raw sockets: one count whoever sends', async () => {
    const { session } = newSession()
    const port = await freeUdpPort()
    await session.startActor({ kind: 'counter-server', host: HOST, port }).ready
    const [a, b] = [await rawUdp(), await rawUdp()]
    expect(await ask(a, port, 'PING')).toBe('PONG #1')
    expect(await ask(b, port, 'PING')).toBe('PONG #2')
    expect(await ask(b, port, 'nope')).toBe('ERROR expected PING')
    expect(await ask(a, port, 'PING')).toBe('PONG #3')
  })

  it('two clients pinging at once: shared numbers interleave, per-client numbers repeat', async () => {
    for (const countMode of ['shared', 'per-client'] as const) {
      const { session, sink } = newSession()
      const port = await freeUdpPort()
      await session.startActor({
        kind: 'counter-server',
        host: HOST,
        port,
        options: { countMode },
      }).ready
      const options = { count: 5, intervalMs: 200 }
      const a = session.startActor({ kind: 'counter-client', host: HOST, port, options })
      // B starts once A has its first reply, so A's next four PINGs come while B pings.
      await waitForEvent(session, sink, (e) => e.actor === a.id && e.op === 'recvfrom')
      const b = session.startActor({ kind: 'counter-client', host: HOST, port, options })
      await Promise.all([a.done, b.done])

      const numbers = (id: string) =>
        replies(session.trace, id).map((p) => Number(/^PONG #(\d+)$/.exec(p ?? '')?.[1]))
      if (countMode === 'shared') {
        const all = [...numbers(a.id), ...numbers(b.id)].sort((x, y) => x - y)
        expect(all).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        expect(numbers(a.id)[0]).toBe(1)
        expect(rule('counter-shared-two-clients', session.trace).passed).toBe(true)
        expect(rule('counter-per-client-two-clients', session.trace).passed).toBe(false)
      } else {
        expect(numbers(a.id)).toEqual([1, 2, 3, 4, 5])
        expect(numbers(b.id)).toEqual([1, 2, 3, 4, 5])
        expect(rule('counter-per-client-two-clients', session.trace).passed).toBe(true)
        expect(rule('counter-shared-two-clients', session.trace).passed).toBe(false)
      }
      await session.dispose()
    }
  })

  it('a restart in the middle of a client run starts the count again at #1', async () => {
    const { session, sink } = newSession()
    const port = await freeUdpPort()
    const first = session.startActor({ kind: 'counter-server', host: HOST, port })
    await first.ready
    const client = session.startActor({
      kind: 'counter-client',
      host: HOST,
      port,
      options: { count: 8, intervalMs: 150, timeoutMs: 300 },
    })
    await waitForEvent(
      session,
      sink,
      (e) => e.actor === client.id && e.op === 'recvfrom' && e.payload === 'PONG #2',
    )
    await session.stopActor(first.id)
    // Nobody is bound to the port now: the client's next PING goes unanswered.
    await waitForEvent(session, sink, (e) => e.actor === client.id && e.op === 'timeout')
    const second = session.startActor({ kind: 'counter-server', host: HOST, port })
    await second.ready
    expect((await client.done).state).toBe('finished')

    const got = eventsOf(session.trace, client.id)
      .filter((e) => e.op === 'recvfrom' || e.op === 'timeout')
      .map((e) => (e.op === 'timeout' ? 'timeout' : e.payload))
    const afterLastTimeout = got.slice(got.lastIndexOf('timeout') + 1)
    expect(got.slice(0, 2)).toEqual(pongs(1, 2))
    expect(afterLastTimeout.length).toBeGreaterThan(0)
    expect(afterLastTimeout).toEqual(pongs(...afterLastTimeout.map((_, i) => i + 1)))
    // The second run is a new actor, a new lifeline: its own trace starts with an empty count.
    expect(opsOf(session.trace, second.id).slice(0, 3)).toEqual(['note', 'socket', 'bind'])
    expect(eventsOf(session.trace, second.id).find((e) => e.op === 'sendto')?.payload).toBe(
      'PONG #1',
    )
    const restarted = rule('counter-restarted', session.trace)
    expect(restarted.passed, restarted.reason).toBe(true)
  })

  it('stopping closes every socket; a port in use fails with a clear message', async () => {
    const baseline = handleBaseline()
    const { session } = newSession()
    const port = await freeUdpPort()
    const server = session.startActor({ kind: 'counter-server', host: HOST, port })
    await server.ready
    const again = session.startActor({ kind: 'counter-server', host: HOST, port })
    await expect(again.ready).rejects.toThrow(/already in use/)
    expect((await again.done).state).toBe('failed')
    await session.startActor({ kind: 'counter-client', host: HOST, port, options: { count: 2 } })
      .done
    await session.dispose()
    expect(await waitForNoSocketHandles(baseline)).toEqual([])
  })
})

describe('the countMode option', () => {
  it('is registered with the two new actor kinds, and defaults to shared', () => {
    expect(actorDefinitions['counter-server'].file).toBe('counter_server.py')
    expect(actorCatalogue['counter-server']).toMatchObject({ role: 'server', proto: 'udp' })
    expect(actorDefinitions['counter-client'].file).toBe('counter_client.py')
    expect(actorCatalogue['counter-client']).toMatchObject({ role: 'client', proto: 'udp' })
    expect(ActorOptionsSchema.parse({}).countMode).toBe('shared')
  })

  it('is validated at the IPC edge', () => {
    const args = { labId: 'counter', kind: 'counter-server', host: HOST, port: 50008 }
    const ok = parseInvokeArgs('actor:start', { ...args, options: { countMode: 'per-client' } })
    expect(ok).toMatchObject({ ok: true, value: { options: { countMode: 'per-client' } } })
    const bad = parseInvokeArgs('actor:start', { ...args, options: { countMode: 'global' } })
    expect(bad).toEqual({
      ok: false,
      error: {
        code: 'bad-request',
        message: 'options.countMode: Count mode must be "shared" or "per-client"',
      },
    })
    const badKind = parseInvokeArgs('actor:start', { ...args, kind: 'counter-serve' })
    expect(badKind.ok).toBe(false)
  })
})
