import { describe, expect, it } from 'vitest'
import type { TraceEvent } from '@shared/trace'
import { knownRuleKinds } from '../../src/main/checkpoints'
import {
  lossyBlockedCancelled,
  lossyDropList,
  lossyGoesOn,
  lossyLateReply,
  lossySameSeed,
} from '../../src/main/checkpoints/lossy-rules'
import { describeWithSockets, freeUdpPort, HOST, sessionFactory, waitForEvent } from './helpers'

// ---- Hand-made traces, in the shape of lab 4's trace contract ----------------------------

const SERVER = '127.0.0.1:50011'

function traceBuilder() {
  const trace: TraceEvent[] = []
  const add = (e: Partial<TraceEvent> & Pick<TraceEvent, 'actor' | 'op'>): TraceEvent => {
    const [kind] = e.actor.split('#') as [string]
    const role = kind === 'udp-relay' ? 'relay' : kind.endsWith('server') ? 'server' : 'client'
    const full: TraceEvent = {
      seq: trace.length + 1,
      t: trace.length,
      actorKind: kind,
      role,
      proto: 'udp',
      level: 'info',
      ...e,
    }
    trace.push(full)
    return full
  }
  const server = (actor: string, note: string) => add({ actor, op: 'note', message: note })
  const client = (actor: string, timeout: 'None' | string) =>
    add({
      actor,
      op: 'note',
      message:
        timeout === 'None'
          ? 'settimeout(None): recvfrom() waits until a reply comes'
          : `settimeout(${timeout}): recvfrom() gives up`,
    })
  /** PING n from a client (port) to a server; answered unless `drop`. Both ends traced. */
  const ping = (
    c: { actor: string; addr: string },
    s: string | undefined,
    n: number,
    drop = false,
  ) => {
    add({ actor: c.actor, op: 'sendto', local: c.addr, remote: SERVER, payload: `PING ${n}` })
    if (s) add({ actor: s, op: 'recvfrom', local: SERVER, remote: c.addr, payload: `PING ${n}` })
    if (drop) {
      if (s) add({ actor: s, op: 'drop', tag: 'lost', level: 'warn', payload: `PONG ${n}` })
      add({ actor: c.actor, op: 'timeout', level: 'warn', message: `no reply to PING ${n}` })
      return
    }
    if (s) add({ actor: s, op: 'sendto', local: SERVER, remote: c.addr, payload: `PONG ${n}` })
    add({
      actor: c.actor,
      op: 'recvfrom',
      local: c.addr,
      remote: SERVER,
      payload: `PONG ${n}`,
      rttMs: 1,
    })
  }
  const close = (actor: string) => add({ actor, op: 'close' })
  return { trace, add, server, client, ping, close }
}

const A = { actor: 'lossy-client#1', addr: '127.0.0.1:41000' }
const B = { actor: 'lossy-client#2', addr: '127.0.0.1:42000' }

/** A client run of `count` PINGs against `server`, dropping the numbers in `lost`. */
function clientRun(
  b: ReturnType<typeof traceBuilder>,
  c: typeof A,
  server: string | undefined,
  count: number,
  lost: number[],
) {
  b.client(c.actor, '2.0')
  for (let n = 1; n <= count; n++) b.ping(c, server, n, lost.includes(n))
  b.close(c.actor)
}

describe('lossy-goes-on', () => {
  const params = { count: 20, dropRate: 0.3 }
  it('passes for 20 PINGs through a server at 0.3, each ending in one outcome', () => {
    const b = traceBuilder()
    b.server('lossy-server#1', 'seed 7, drop probability 0.3')
    clientRun(b, A, 'lossy-server#1', 20, [2, 5, 9, 14])
    const r = lossyGoesOn.evaluate(b.trace, params)
    expect(r.passed, r.reason).toBe(true)
    expect(r.reason).toContain('4 timed out (2, 5, 9, 14)')
    expect(r.evidence[0]).toBe(1)
  })

  it('passes against a server the trace does not show when a PING timed out', () => {
    const b = traceBuilder()
    clientRun(b, A, undefined, 20, [3])
    expect(lossyGoesOn.evaluate(b.trace, params).passed).toBe(true)
  })

  it('says what is missing: too few PINGs, too low a rate, no loss, not finished', () => {
    const few = traceBuilder()
    few.server('lossy-server#1', 'seed 7, drop probability 0.3')
    clientRun(few, A, 'lossy-server#1', 5, [2])
    expect(lossyGoesOn.evaluate(few.trace, params).reason).toMatch(/sent 5 PINGs; 20 are needed/)

    const low = traceBuilder()
    low.server('lossy-server#1', 'seed 7, drop probability 0.1')
    clientRun(low, A, 'lossy-server#1', 20, [4])
    expect(lossyGoesOn.evaluate(low.trace, params).reason).toMatch(/probability 0\.1.*0\.3 or more/)

    const none = traceBuilder()
    clientRun(none, A, undefined, 20, [])
    expect(lossyGoesOn.evaluate(none.trace, params).reason).toMatch(/without losing a single reply/)

    const running = traceBuilder()
    running.client(A.actor, '2.0')
    running.ping(A, undefined, 1)
    expect(lossyGoesOn.evaluate(running.trace, params).reason).toMatch(/has finished yet/)

    expect(lossyGoesOn.evaluate([], params).reason).toMatch(/No lossy client/)
  })

  it('fails a run where a PING has two outcomes', () => {
    const b = traceBuilder()
    b.client(A.actor, '2.0')
    for (let n = 1; n <= 20; n++) b.ping(A, undefined, n, n === 4)
    b.add({ actor: A.actor, op: 'timeout', message: 'no reply to PING 20' })
    b.close(A.actor)
    const r = lossyGoesOn.evaluate(b.trace, params)
    expect(r.passed).toBe(false)
    expect(r.reason).toMatch(/PING 20 did not end in exactly one/)
  })
})

describe('lossy-blocked-cancelled', () => {
  it('passes on the cancelled-while-blocked note', () => {
    const b = traceBuilder()
    b.client(A.actor, 'None')
    b.ping(A, undefined, 1)
    b.add({ actor: A.actor, op: 'sendto', local: A.addr, payload: 'PING 2' })
    b.add({
      actor: A.actor,
      op: 'note',
      level: 'warn',
      message: 'cancelled while blocked in recvfrom() waiting for PONG 2',
    })
    b.close(A.actor)
    const r = lossyBlockedCancelled.evaluate(b.trace, {})
    expect(r.passed, r.reason).toBe(true)
    expect(r.reason).toContain('PONG 2')
  })

  it('tells a client with a timeout, one still blocked, and one that got every reply apart', () => {
    const timed = traceBuilder()
    clientRun(timed, A, undefined, 5, [2])
    expect(lossyBlockedCancelled.evaluate(timed.trace, {}).reason).toMatch(/None \(wait forever\)/)

    const blocked = traceBuilder()
    blocked.client(A.actor, 'None')
    blocked.ping(A, undefined, 1)
    expect(lossyBlockedCancelled.evaluate(blocked.trace, {}).reason).toMatch(/click Stop/i)

    const lucky = traceBuilder()
    lucky.client(A.actor, 'None')
    lucky.ping(A, undefined, 1)
    lucky.close(A.actor)
    expect(lossyBlockedCancelled.evaluate(lucky.trace, {}).reason).toMatch(/never blocked/)
  })
})

describe('lossy-same-seed', () => {
  it('passes when two runs with one seed drop the same PINGs', () => {
    const b = traceBuilder()
    b.server('lossy-server#1', 'seed 42, drop probability 0.3')
    clientRun(b, A, 'lossy-server#1', 10, [3, 8])
    b.server('lossy-server#2', 'seed 42, drop probability 0.3')
    clientRun(b, B, 'lossy-server#2', 10, [3, 8])
    const r = lossySameSeed.evaluate(b.trace, {})
    expect(r.passed, r.reason).toBe(true)
    expect(r.reason).toContain('PING 3, 8')
  })

  it('compares only the PINGs both runs received', () => {
    const b = traceBuilder()
    b.server('lossy-server#1', 'seed 42, drop probability 0.3')
    clientRun(b, A, 'lossy-server#1', 10, [3, 8])
    b.server('lossy-server#2', 'seed 42, drop probability 0.3')
    clientRun(b, B, 'lossy-server#2', 5, [3])
    expect(lossySameSeed.evaluate(b.trace, {}).passed).toBe(true)
  })

  it('says what is missing', () => {
    expect(lossySameSeed.evaluate([], {}).reason).toMatch(/No lossy server/)

    const once = traceBuilder()
    once.server('lossy-server#1', 'seed 42, drop probability 0.3')
    clientRun(once, A, 'lossy-server#1', 10, [3])
    expect(lossySameSeed.evaluate(once.trace, {}).reason).toMatch(/Seed 42 .* one server run only/)

    const other = traceBuilder()
    other.server('lossy-server#1', 'seed 42, drop probability 0.3')
    clientRun(other, A, 'lossy-server#1', 10, [3])
    other.server('lossy-server#2', 'seed 43, drop probability 0.3')
    clientRun(other, B, 'lossy-server#2', 10, [5])
    expect(lossySameSeed.evaluate(other.trace, {}).passed).toBe(false)

    const differ = traceBuilder()
    differ.server('lossy-server#1', 'seed 42, drop probability 0.3')
    clientRun(differ, A, 'lossy-server#1', 10, [3])
    differ.server('lossy-server#2', 'seed 42, drop probability 0.3')
    clientRun(differ, B, 'lossy-server#2', 10, [4])
    expect(lossySameSeed.evaluate(differ.trace, {}).reason).toMatch(/dropped different replies/)

    const list = traceBuilder()
    list.server('lossy-server#1', 'seed 42, dropping replies to PING 3, 7')
    expect(lossySameSeed.evaluate(list.trace, {}).reason).toMatch(/drop list/)
  })
})

describe('lossy-drop-list', () => {
  it('passes when exactly the listed replies were dropped and each was a timeout', () => {
    const b = traceBuilder()
    b.server('lossy-server#1', 'seed 1, dropping replies to PING 3, 7')
    clientRun(b, A, 'lossy-server#1', 10, [3, 7])
    const r = lossyDropList.evaluate(b.trace, {})
    expect(r.passed, r.reason).toBe(true)
    expect(r.evidence).toHaveLength(1 + 2 + 2)
  })

  it('says what is missing: no list, too few PINGs, the wrong drops, no client', () => {
    const plain = traceBuilder()
    plain.server('lossy-server#1', 'seed 1, drop probability 0.3')
    expect(lossyDropList.evaluate(plain.trace, {}).reason).toMatch(/Drop exactly these PINGs/)

    const few = traceBuilder()
    few.server('lossy-server#1', 'seed 1, dropping replies to PING 3, 7')
    clientRun(few, A, 'lossy-server#1', 5, [3])
    expect(lossyDropList.evaluate(few.trace, {}).reason).toMatch(/at least 7 PINGs/)

    const wrong = traceBuilder()
    wrong.server('lossy-server#1', 'seed 1, dropping replies to PING 3, 7')
    clientRun(wrong, A, 'lossy-server#1', 8, [3, 5, 7])
    expect(lossyDropList.evaluate(wrong.trace, {}).reason).toMatch(/3, 5, 7, not exactly 3, 7/)

    const python = traceBuilder()
    python.server('lossy-server#1', 'seed 1, dropping replies to PING 3, 7')
    for (let n = 1; n <= 8; n++) {
      python.add({ actor: 'lossy-server#1', op: 'recvfrom', remote: A.addr, payload: `PING ${n}` })
      if (n === 3 || n === 7)
        python.add({ actor: 'lossy-server#1', op: 'drop', payload: `PONG ${n}` })
    }
    expect(lossyDropList.evaluate(python.trace, {}).reason).toMatch(/no lossy client run/)
  })
})

describe('lossy-late-reply', () => {
  it('passes on a late-tagged reply, with the timeout and the relay’s delay as evidence', () => {
    const b = traceBuilder()
    b.client(A.actor, '2.0')
    b.add({ actor: A.actor, op: 'sendto', local: A.addr, payload: 'PING 1' })
    const timeout = b.add({ actor: A.actor, op: 'timeout', message: 'no reply to PING 1' })
    b.add({ actor: A.actor, op: 'sendto', local: A.addr, payload: 'PING 2' })
    const held = b.add({ actor: 'udp-relay#1', op: 'sendto', tag: 'delayed', payload: 'PONG 1' })
    const late = b.add({ actor: A.actor, op: 'recvfrom', tag: 'late', payload: 'PONG 1' })
    const r = lossyLateReply.evaluate(b.trace, {})
    expect(r.passed, r.reason).toBe(true)
    expect(r.evidence).toEqual([timeout.seq, held.seq, late.seq])
  })

  it('says what is missing: no relay, nothing through it, no timeout, no late reply yet', () => {
    expect(lossyLateReply.evaluate([], {}).reason).toMatch(/No relay/)

    const idle = traceBuilder()
    idle.add({ actor: 'udp-relay#1', op: 'note', message: 'seed 1: drop 0' })
    expect(lossyLateReply.evaluate(idle.trace, {}).reason).toMatch(/relay’s port/)

    const fast = traceBuilder()
    fast.add({ actor: 'udp-relay#1', op: 'sendto', payload: 'PING 1' })
    clientRun(fast, A, undefined, 3, [])
    expect(lossyLateReply.evaluate(fast.trace, {}).reason).toMatch(/twice the delay/)

    const short = traceBuilder()
    short.add({ actor: 'udp-relay#1', op: 'sendto', payload: 'PING 1' })
    clientRun(short, A, undefined, 1, [1])
    expect(lossyLateReply.evaluate(short.trace, {}).reason).toMatch(/no late reply/)
  })
})

it('registers the five lab 4 rule kinds', () => {
  for (const kind of [
    'lossy-goes-on',
    'lossy-blocked-cancelled',
    'lossy-same-seed',
    'lossy-drop-list',
    'lossy-late-reply',
  ]) {
    expect(knownRuleKinds()).toContain(kind)
  }
})

// ---- Real runs of the app's lossy actors --------------------------------------------------

describeWithSockets("over real runs of the app's lossy actors", () => {
  const newSession = sessionFactory('lossy-udp')

  it('lossy-goes-on: 20 PINGs at drop 0.3 pass; the same at drop 0 do not', async () => {
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
      options: { count: 20, timeoutMs: 50 },
    })
    expect((await client.done).state).toBe('finished')
    const r = lossyGoesOn.evaluate(session.trace, { count: 20, dropRate: 0.3 })
    expect(r.passed, r.reason).toBe(true)
    const drops = session.trace.filter((e) => e.op === 'drop').length
    expect(drops).toBeGreaterThan(0)
    // Each drop is a timeout; on a loaded machine a reply slower than 50 ms is one more.
    const timeouts = session.trace.filter((e) => e.op === 'timeout').length
    expect(timeouts).toBeGreaterThanOrEqual(drops)
    expect(r.reason).toContain(`${timeouts} timed out`)

    const { session: clean } = newSession()
    const port2 = await freeUdpPort()
    await clean.startActor({ kind: 'lossy-server', host: HOST, port: port2 }).ready
    const c2 = clean.startActor({
      kind: 'lossy-client',
      host: HOST,
      port: port2,
      options: { count: 20, timeoutMs: 50 },
    })
    await c2.done
    const r2 = lossyGoesOn.evaluate(clean.trace, { count: 20, dropRate: 0.3 })
    expect(r2.passed).toBe(false)
    expect(r2.reason).toMatch(/probability 0\b/)
  })

  it('lossy-blocked-cancelled: a client with no timeout, stopped while blocked', async () => {
    const { session, sink } = newSession()
    const port = await freeUdpPort()
    await session.startActor({
      kind: 'lossy-server',
      host: HOST,
      port,
      options: { dropList: [2] },
    }).ready
    const client = session.startActor({
      kind: 'lossy-client',
      host: HOST,
      port,
      options: { count: 5, timeoutMs: 0 },
    })
    await waitForEvent(session, sink, (e) => e.op === 'drop')
    expect(lossyBlockedCancelled.evaluate(session.trace, {}).reason).toMatch(/click Stop/i)
    await session.stopActor(client.id)
    await client.done
    const r = lossyBlockedCancelled.evaluate(session.trace, {})
    expect(r.passed, r.reason).toBe(true)
    expect(r.reason).toContain('PONG 2')
  })

  it('lossy-same-seed and lossy-drop-list over server restarts', async () => {
    const { session } = newSession()
    const run = async (options: { seed?: number; dropRate?: number; dropList?: number[] }) => {
      const port = await freeUdpPort()
      const server = session.startActor({ kind: 'lossy-server', host: HOST, port, options })
      await server.ready
      const client = session.startActor({
        kind: 'lossy-client',
        host: HOST,
        port,
        options: { count: 20, timeoutMs: 50 },
      })
      await client.done
      await session.stopActor(server.id)
    }
    await run({ seed: 42, dropRate: 0.5 })
    expect(lossySameSeed.evaluate(session.trace, {}).reason).toMatch(/one server run only/)
    await run({ seed: 42, dropRate: 0.5 })
    const same = lossySameSeed.evaluate(session.trace, {})
    expect(same.passed, same.reason).toBe(true)

    expect(lossyDropList.evaluate(session.trace, {}).passed).toBe(false)
    await run({ dropList: [3, 7] })
    const listed = lossyDropList.evaluate(session.trace, {})
    expect(listed.passed, listed.reason).toBe(true)
    expect(listed.reason).toContain('PING 3, 7')
  })

  it('lossy-late-reply: through the app relay with a delay longer than the timeout', async () => {
    const { session } = newSession()
    const [serverPort, relayPort] = [await freeUdpPort(), await freeUdpPort()]
    await session.startActor({ kind: 'lossy-server', host: HOST, port: serverPort }).ready
    await session.startActor({
      kind: 'udp-relay',
      host: HOST,
      port: relayPort,
      options: {
        targetPort: serverPort,
        seed: 99,
        impair: { drop: 0, delayMs: 100, jitterMs: 0, duplicate: 0, reorder: 0 },
      },
    }).ready
    const client = session.startActor({
      kind: 'lossy-client',
      host: HOST,
      port: relayPort,
      options: { count: 8, timeoutMs: 150 },
    })
    await client.done
    const r = lossyLateReply.evaluate(session.trace, {})
    expect(r.passed, r.reason).toBe(true)
    const evidence = session.trace.filter((e) => r.evidence.includes(e.seq))
    expect(evidence.map((e) => e.op)).toContain('timeout')
    expect(evidence.at(-1)!.tag).toBe('late')
  })
})
