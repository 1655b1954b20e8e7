import { fileURLToPath } from 'node:url'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { CheckpointSpec } from '@shared/lab'
import type { TraceEvent } from '@shared/trace'
import { evaluateCheckpoints, knownRuleKinds } from '../../src/main/checkpoints'
import {
  counterPerClientTwoClients,
  counterRepliesInOrder,
  counterRestarted,
  counterSharedTwoClients,
} from '../../src/main/checkpoints/counter-rules'
import { loadLab } from '../../src/main/labs/load-labs'
import { LabSession } from '../../src/main/session/lab-session'
import { describeWithSockets, freeUdpPort, HOST, sessionHooks, waitForEvent } from './helpers'

// ---- Hand-made traces -------------------------------------------------------------------

const SERVER = '127.0.0.1:50008'
const A = '127.0.0.1:41000'
const B = '127.0.0.1:42000'
const PARAMS = { count: 5 }

/**
 * Builds counter traces by hand, numbered as the recorder would. An exchange is drawn from
 * both ends when both programs are the app's; pass `undefined` for a side that is the
 * student's own Python program (it leaves no trace).
 */
function traceBuilder() {
  const trace: TraceEvent[] = []
  const add = (e: Partial<TraceEvent> & Pick<TraceEvent, 'actor' | 'op'>): TraceEvent => {
    const [kind] = e.actor.split('#') as [string]
    const full: TraceEvent = {
      seq: trace.length + 1,
      t: trace.length,
      actorKind: kind,
      role: kind.endsWith('server') ? 'server' : 'client',
      proto: 'udp',
      level: 'info',
      ...e,
    }
    trace.push(full)
    return full
  }
  /** One PING and its reply `PONG #n` (or any reply text). */
  const exchange = (
    client: { actor?: string; addr: string },
    server: { actor?: string; addr?: string },
    reply: number | string,
  ) => {
    const payload = typeof reply === 'number' ? `PONG #${reply}` : reply
    const at = server.addr ?? SERVER
    if (client.actor) add({ actor: client.actor, op: 'sendto', local: client.addr, remote: at })
    if (server.actor) {
      add({ actor: server.actor, op: 'recvfrom', local: at, remote: client.addr, payload: 'PING' })
      add({ actor: server.actor, op: 'sendto', local: at, remote: client.addr, payload })
    }
    if (client.actor) {
      return add({ actor: client.actor, op: 'recvfrom', local: client.addr, remote: at, payload })
    }
    return trace.at(-1)!
  }
  const timeout = (actor: string, addr: string) => {
    add({ actor, op: 'sendto', local: addr, remote: SERVER, payload: 'PING' })
    return add({ actor, op: 'timeout', local: addr, remote: SERVER, level: 'warn' })
  }
  return { trace, add, exchange, timeout }
}

const clientA = { actor: 'counter-client#1', addr: A }
const clientB = { actor: 'counter-client#2', addr: B }
const server1 = { actor: 'counter-server#1' }
const server2 = { actor: 'counter-server#2' }
/** The student's own programs: only the other end is traced. */
const pythonA = { addr: A }
const pythonB = { addr: B }
const pythonServer = {}

/** Two clients pinging in turn: A, B, A, B…, with the numbers `numberA`/`numberB` give. */
function interleaved(
  b: ReturnType<typeof traceBuilder>,
  rounds: number,
  numberA: (i: number) => number,
  numberB: (i: number) => number,
  who: { a: typeof clientA | typeof pythonA; b: typeof clientB | typeof pythonB } = {
    a: clientA,
    b: clientB,
  },
  server: typeof server1 | typeof pythonServer = server1,
) {
  for (let i = 0; i < rounds; i++) {
    b.exchange(who.a, server, numberA(i))
    b.exchange(who.b, server, numberB(i))
  }
}

describe('the counter rules are registered', () => {
  it('under their kinds', () => {
    expect(knownRuleKinds()).toEqual(
      expect.arrayContaining([
        'counter-replies-in-order',
        'counter-restarted',
        'counter-shared-two-clients',
        'counter-per-client-two-clients',
      ]),
    )
  })
})

describe('counter-replies-in-order', () => {
  const evaluate = (trace: TraceEvent[]) => counterRepliesInOrder.evaluate(trace, PARAMS)

  it('has not passed before any counted reply; a plain PONG does not count', () => {
    const b = traceBuilder()
    expect(evaluate(b.trace).passed).toBe(false)
    b.exchange(clientA, server1, 'PONG')
    expect(evaluate(b.trace)).toEqual({
      passed: false,
      reason:
        'No counted reply (PONG #n) yet: start the counter server, then run the counter client.',
      evidence: [],
    })
  })

  it('passes on PONG #1 … #5 received by one client, with those five as evidence', () => {
    const b = traceBuilder()
    const got = [1, 2, 3, 4].map((n) => b.exchange(clientA, server1, n))
    expect(evaluate(b.trace)).toMatchObject({
      passed: false,
      reason:
        'Best so far: PONG #1 to PONG #4 in order to one client; 5 are needed. Let the client run to the end.',
    })
    got.push(b.exchange(clientA, server1, 5))
    expect(evaluate(b.trace)).toEqual({
      passed: true,
      reason: 'PONG #1 to PONG #5 received by the client, in order.',
      evidence: got.map((e) => e.seq),
    })
  })

  it("checks the student's own client from the server's side, and own server from the client's", () => {
    const serverSide = traceBuilder()
    for (let n = 1; n <= 5; n++) serverSide.exchange(pythonA, server1, n)
    expect(evaluate(serverSide.trace)).toMatchObject({
      passed: true,
      reason: 'PONG #1 to PONG #5 sent to one client, in order.',
    })
    const clientSide = traceBuilder()
    for (let n = 1; n <= 5; n++) clientSide.exchange(clientA, pythonServer, n)
    expect(evaluate(clientSide.trace).passed).toBe(true)
  })

  it('does not pass when the count had started before this client, and says why', () => {
    const b = traceBuilder()
    for (let n = 6; n <= 10; n++) b.exchange(clientA, server1, n)
    expect(evaluate(b.trace)).toMatchObject({
      passed: false,
      reason:
        'The replies started at PONG #6, not #1: the server had counted PINGs before this client. Stop and start the counter server, then run the client again.',
    })
  })

  it('does not pass with a gap or a repeat in the numbers', () => {
    const gap = traceBuilder()
    for (const n of [1, 2, 4, 5, 6]) gap.exchange(clientA, server1, n)
    expect(evaluate(gap.trace)).toMatchObject({
      passed: false,
      reason: expect.stringMatching(/PONG #1 to PONG #2 /),
    })
    const repeat = traceBuilder()
    for (const n of [1, 2, 3, 3, 4]) repeat.exchange(clientA, pythonServer, n)
    expect(evaluate(repeat.trace).passed).toBe(false)
  })

  it('does not pass when two clients share the count, and suggests one client alone', () => {
    const b = traceBuilder()
    interleaved(
      b,
      5,
      (i) => 2 * i + 1,
      (i) => 2 * i + 2,
    )
    expect(evaluate(b.trace)).toMatchObject({
      passed: false,
      reason: expect.stringMatching(/another client share/),
    })
  })
})

describe('counter-restarted', () => {
  const evaluate = (trace: TraceEvent[]) => counterRestarted.evaluate(trace, {})

  it('says what to do before any reply, and while the count only goes up', () => {
    const b = traceBuilder()
    expect(evaluate(b.trace)).toMatchObject({
      passed: false,
      reason: expect.stringMatching(/^No counted reply/),
    })
    for (let n = 1; n <= 7; n++) b.exchange(clientA, server1, n)
    expect(evaluate(b.trace)).toEqual({
      passed: false,
      reason:
        'The count has reached PONG #7 and never started again. While the client is still pinging, click Stop on the counter server, then Start it again.',
      evidence: [],
    })
  })

  it('passes when one client run gets PONG #n and later PONG #1, the timeouts in between as evidence', () => {
    const b = traceBuilder()
    b.exchange(clientA, server1, 6)
    const peak = b.exchange(clientA, server1, 7)
    b.add({ actor: 'counter-server#1', op: 'close', local: SERVER })
    const missed = b.timeout('counter-client#1', A)
    const first = b.exchange(clientA, server2, 1)
    b.exchange(clientA, server2, 2)
    const result = evaluate(b.trace)
    expect(result).toEqual({
      passed: true,
      reason:
        'One client run got PONG #7, then PONG #1: the count was lost when the server stopped and started again from 1.',
      evidence: [peak.seq, missed.seq, first.seq],
    })
  })

  it("sees a restart of the student's own server from the app client's side", () => {
    const b = traceBuilder()
    b.exchange(clientA, pythonServer, 3)
    b.timeout('counter-client#1', A)
    b.exchange(clientA, pythonServer, 1)
    expect(evaluate(b.trace).passed).toBe(true)
  })

  it("sees a restart from the server's side when the client is the student's own", () => {
    const b = traceBuilder()
    for (let n = 1; n <= 3; n++) b.exchange(pythonA, server1, n)
    const last = b.trace.at(-1)!
    const first = b.exchange(pythonA, server2, 1)
    expect(evaluate(b.trace)).toEqual({
      passed: true,
      reason: `The restarted server answered ${A} with PONG #1 after the earlier run had reached PONG #3: the count started again.`,
      evidence: [last.seq, first.seq, first.seq],
    })
  })

  it('does not pass when no client was pinging across the restart', () => {
    const b = traceBuilder()
    for (let n = 1; n <= 5; n++) b.exchange(clientA, server1, n)
    b.exchange(clientB, server2, 1)
    b.exchange(clientB, server2, 2)
    expect(evaluate(b.trace)).toMatchObject({
      passed: false,
      reason: expect.stringMatching(
        /^The server was restarted and counted from #1 again, but no client was pinging/,
      ),
    })
  })

  it('does not pass when the first run never got past #1', () => {
    const b = traceBuilder()
    b.exchange(clientA, server1, 1)
    b.timeout('counter-client#1', A)
    b.exchange(clientA, server2, 1)
    expect(evaluate(b.trace)).toMatchObject({
      passed: false,
      reason: expect.stringMatching(/^The count has not gone past PONG #1 yet/),
    })
  })
})

describe('counter-shared-two-clients', () => {
  const evaluate = (trace: TraceEvent[]) => counterSharedTwoClients.evaluate(trace, PARAMS)

  it('asks for two clients first', () => {
    const b = traceBuilder()
    for (let n = 1; n <= 5; n++) b.exchange(clientA, server1, n)
    expect(evaluate(b.trace)).toEqual({
      passed: false,
      reason:
        'No server has answered two clients yet: start the counter server with Shared count, set Pace to Slow, then click Run counter client twice.',
      evidence: [],
    })
  })

  it('does not pass for two clients one after the other', () => {
    const b = traceBuilder()
    for (let n = 1; n <= 5; n++) b.exchange(clientA, server1, n)
    for (let n = 6; n <= 10; n++) b.exchange(clientB, server1, n)
    expect(evaluate(b.trace)).toMatchObject({
      passed: false,
      reason: expect.stringMatching(/one after the other/),
    })
  })

  it('passes when the numbers interleave with no gap and no repeat', () => {
    const b = traceBuilder()
    b.exchange(clientA, server1, 1)
    const firstOfPair = b.trace.length
    interleaved(
      b,
      5,
      (i) => 2 * i + 2,
      (i) => 2 * i + 3,
    )
    b.exchange(clientA, server1, 12)
    const result = evaluate(b.trace)
    expect(result).toMatchObject({
      passed: true,
      reason:
        'Two clients shared one count: PONG #1 to PONG #12 went to both in turn, no gap, no repeat.',
    })
    // The two replies that open and close the range the text names: PONG #1 and PONG #12.
    const cited = result.evidence.map((seq) => b.trace[seq - 1]!)
    expect(cited.map((e) => [e.actor, e.op, e.payload])).toStrictEqual([
      ['counter-server#1', 'sendto', 'PONG #1'],
      ['counter-server#1', 'sendto', 'PONG #12'],
    ])
    expect(result.evidence[0]).toBeLessThan(firstOfPair)
  })

  it("checks the student's server from the app clients' side, and their clients from the server's", () => {
    for (const [who, server] of [
      [{ a: clientA, b: clientB }, pythonServer],
      [{ a: pythonA, b: pythonB }, server1],
    ] as const) {
      const b = traceBuilder()
      interleaved(
        b,
        5,
        (i) => 2 * i + 1,
        (i) => 2 * i + 2,
        who,
        server,
      )
      expect(evaluate(b.trace).passed).toBe(true)
    }
  })

  it('does not pass for a per-client count, and says that is what it saw', () => {
    const b = traceBuilder()
    interleaved(
      b,
      5,
      (i) => i + 1,
      (i) => i + 1,
    )
    expect(evaluate(b.trace)).toMatchObject({
      passed: false,
      reason: expect.stringMatching(/^Both clients got the same numbers \(each its own PONG #1\)/),
    })
  })

  it('does not pass when numbers are missing between the two clients', () => {
    const b = traceBuilder()
    interleaved(
      b,
      5,
      (i) => 3 * i + 1,
      (i) => 3 * i + 2,
      { a: clientA, b: clientB },
      pythonServer,
    )
    expect(evaluate(b.trace)).toMatchObject({
      passed: false,
      reason: expect.stringMatching(/with a gap/),
    })
  })

  it('needs enough replies from each client', () => {
    const b = traceBuilder()
    interleaved(
      b,
      2,
      (i) => 2 * i + 1,
      (i) => 2 * i + 2,
    )
    expect(evaluate(b.trace)).toMatchObject({
      passed: false,
      reason:
        'Two clients pinged at the same time, but one of them got only 2 replies: each needs at least 5. Set PINGs to 5 or more.',
    })
  })
})

describe('counter-per-client-two-clients', () => {
  const evaluate = (trace: TraceEvent[]) => counterPerClientTwoClients.evaluate(trace, PARAMS)

  it('passes when two clients pinging at once each get 1, 2, 3…', () => {
    const b = traceBuilder()
    interleaved(
      b,
      5,
      (i) => i + 1,
      (i) => i + 1,
    )
    expect(evaluate(b.trace)).toMatchObject({
      passed: true,
      reason:
        'Two clients pinged at the same time and each counted on its own: PONG #1 to #5 and PONG #1 to #5.',
    })
  })

  it("passes from either side when the other side is the student's program", () => {
    const clientSide = traceBuilder()
    interleaved(
      clientSide,
      5,
      (i) => i + 1,
      (i) => i + 1,
      { a: clientA, b: clientB },
      pythonServer,
    )
    expect(evaluate(clientSide.trace).passed).toBe(true)
    const serverSide = traceBuilder()
    interleaved(
      serverSide,
      5,
      (i) => i + 1,
      (i) => i + 1,
      { a: pythonA, b: pythonB },
    )
    expect(evaluate(serverSide.trace).passed).toBe(true)
  })

  it('does not pass for a shared count, and says so', () => {
    const b = traceBuilder()
    interleaved(
      b,
      5,
      (i) => 2 * i + 1,
      (i) => 2 * i + 2,
    )
    expect(evaluate(b.trace)).toMatchObject({
      passed: false,
      reason: expect.stringMatching(/that server shares one count. Choose Per-client count/),
    })
  })

  it('does not pass for two clients one after the other (a restart between would look the same)', () => {
    const b = traceBuilder()
    for (let n = 1; n <= 5; n++) b.exchange(clientA, pythonServer, n)
    for (let n = 1; n <= 5; n++) b.exchange(clientB, pythonServer, n)
    expect(evaluate(b.trace)).toMatchObject({
      passed: false,
      reason: expect.stringMatching(/one after the other/),
    })
  })
})

// ---- Near misses: a student's "almost right" runs --------------------------------------

const OTHER_SERVER = '127.0.0.1:50009'
const C = '127.0.0.1:43000'
const D = '127.0.0.1:44000'

describe('counted replies: what is a PONG #n, and whose', () => {
  const evaluate = (trace: TraceEvent[]) => counterRepliesInOrder.evaluate(trace, PARAMS)
  const NONE =
    'No counted reply (PONG #n) yet: start the counter server, then run the counter client.'

  it('a reply that only contains "PONG #n" is not a counted reply', () => {
    for (const wrap of [(n: number) => `OLD PONG #${n}`, (n: number) => `PONG #${n}!`]) {
      const b = traceBuilder()
      for (let n = 1; n <= 5; n++) b.exchange(clientA, server1, wrap(n))
      expect(evaluate(b.trace).reason, wrap(1)).toBe(NONE)
    }
  })

  it('counts a PONG #n with a trailing space, and skips datagrams the recorder could not show', () => {
    const b = traceBuilder()
    b.add({ actor: 'counter-server#1', op: 'sendto', local: SERVER, remote: A })
    b.add({ actor: 'counter-client#1', op: 'recvfrom', local: A, remote: SERVER })
    for (let n = 1; n <= 5; n++) b.exchange(clientA, server1, `PONG #${n} `)
    expect(evaluate(b.trace).passed).toBe(true)
  })

  it('TCP, a relay, replies received by the server or sent by the client, and datagrams without an address do not count', () => {
    type Sketch = Partial<TraceEvent> & Pick<TraceEvent, 'actor' | 'op'>
    const cases: [string, (n: number) => Sketch][] = [
      // A TCP counter server (sendto on a connected stream socket) is not this lab's server.
      [
        'tcp server',
        (n) => ({
          actor: 'counter-server#1',
          proto: 'tcp',
          op: 'sendto',
          remote: A,
          payload: `PONG #${n}`,
        }),
      ],
      [
        'tcp client',
        (n) => ({
          actor: 'counter-client#1',
          proto: 'tcp',
          op: 'recvfrom',
          remote: SERVER,
          payload: `PONG #${n}`,
        }),
      ],
      // A relay forwards the replies: neither the server that counted nor the client.
      [
        'relay sends',
        (n) => ({
          actor: 'relay#1',
          role: 'relay',
          op: 'sendto',
          remote: A,
          payload: `PONG #${n}`,
        }),
      ],
      [
        'relay receives',
        (n) => ({
          actor: 'relay#1',
          role: 'relay',
          op: 'recvfrom',
          remote: SERVER,
          payload: `PONG #${n}`,
        }),
      ],
      // A client that echoes the replies back: the server receives them, the client sends them.
      [
        'server receives',
        (n) => ({ actor: 'counter-server#1', op: 'recvfrom', remote: A, payload: `PONG #${n}` }),
      ],
      [
        'client sends',
        (n) => ({ actor: 'counter-client#1', op: 'sendto', remote: SERVER, payload: `PONG #${n}` }),
      ],
      // No address: no client (or server) it was for.
      [
        'server, no address',
        (n) => ({ actor: 'counter-server#1', op: 'sendto', payload: `PONG #${n}` }),
      ],
      [
        'client, no address',
        (n) => ({ actor: 'counter-client#1', op: 'recvfrom', payload: `PONG #${n}` }),
      ],
    ]
    for (const [name, event] of cases) {
      const b = traceBuilder()
      for (let n = 1; n <= 5; n++) b.add(event(n))
      expect(evaluate(b.trace).reason, name).toBe(NONE)
    }
  })
})

describe('counter-replies-in-order: near misses', () => {
  const evaluate = (trace: TraceEvent[]) => counterRepliesInOrder.evaluate(trace, PARAMS)

  it('names and cites the whole run from #1 when it went on past five (issue 16)', () => {
    const b = traceBuilder()
    b.exchange(clientA, pythonServer, 9)
    const got = [1, 2, 3, 4, 5, 6, 7].map((n) => b.exchange(clientA, pythonServer, n))
    expect(evaluate(b.trace)).toEqual({
      passed: true,
      reason: 'PONG #1 to PONG #7 received by the client, in order.',
      evidence: got.map((e) => e.seq),
    })
  })

  it('one client in order only as far as #1 is told to run alone', () => {
    const b = traceBuilder()
    for (const n of [1, 3, 5, 7, 9]) b.exchange(clientA, pythonServer, n)
    expect(evaluate(b.trace).reason).toBe(
      'A client got PONG #1, but its next reply was not PONG #2: did another client share the count? Run one client on its own.',
    )
  })

  it('tells where the longest late-started run began, the first one on a tie', () => {
    const late = (runs: [typeof clientA, number[]][]) => {
      const b = traceBuilder()
      for (const [client, numbers] of runs)
        for (const n of numbers) b.exchange(client, pythonServer, n)
      return evaluate(b.trace).reason
    }
    const said = (n: number) =>
      `The replies started at PONG #${n}, not #1: the server had counted PINGs before this client. Stop and start the counter server, then run the client again.`
    // The longer run first, then a shorter one.
    expect(
      late([
        [clientA, [6, 7, 8]],
        [clientB, [3, 4]],
      ]),
    ).toBe(said(6))
    // A shorter run first, then the longer one.
    expect(
      late([
        [clientA, [8, 9]],
        [clientB, [3, 4, 5]],
      ]),
    ).toBe(said(3))
    // A tie: the first.
    expect(
      late([
        [clientA, [6, 7]],
        [clientB, [3, 4]],
      ]),
    ).toBe(said(6))
  })
})

describe('counter-restarted: near misses', () => {
  const evaluate = (trace: TraceEvent[]) => counterRestarted.evaluate(trace, {})
  const neverRestarted = (n: number) =>
    `The count has reached PONG #${n} and never started again. While the client is still pinging, click Stop on the counter server, then Start it again.`

  it('evidence: the highest reply, only this client’s timeouts between it and #1, then #1', () => {
    const b = traceBuilder()
    b.timeout('counter-client#1', A) // before the peak: not part of the story
    b.exchange(clientA, server1, 2)
    const peak = b.exchange(clientA, server1, 5)
    b.exchange(clientA, server1, 5) // the same number again (a duplicate) is not a new peak
    b.exchange(clientA, server1, 3) // a late reply, lower than the peak
    const missed = b.timeout('counter-client#1', A)
    b.timeout('counter-client#2', B) // another client's timeout
    const first = b.exchange(clientA, server2, 1)
    b.timeout('counter-client#1', A) // after #1
    expect(evaluate(b.trace)).toEqual({
      passed: true,
      reason:
        'One client run got PONG #5, then PONG #1: the count was lost when the server stopped and started again from 1.',
      evidence: [peak.seq, missed.seq, first.seq],
    })
  })

  it('PONG #1 from another address is not a restart of the server that counted', () => {
    const b = traceBuilder()
    b.exchange(clientA, pythonServer, 3)
    b.exchange(clientA, { addr: OTHER_SERVER }, 1)
    expect(evaluate(b.trace)).toMatchObject({ passed: false, reason: neverRestarted(3) })
  })

  it('a server that kept its count across the restart (from a file) did not start again', () => {
    const b = traceBuilder()
    for (let n = 1; n <= 3; n++) b.exchange(pythonA, server1, n)
    for (let n = 4; n <= 6; n++) b.exchange(pythonA, server2, n)
    expect(evaluate(b.trace)).toMatchObject({ passed: false, reason: neverRestarted(6) })
  })

  it('from the server: an earlier run that only got to #1 is not enough; one that got to #2 is', () => {
    const one = traceBuilder()
    one.exchange(pythonA, server1, 1)
    one.exchange(pythonA, server2, 1)
    expect(evaluate(one.trace).reason).toBe(
      'The count has not gone past PONG #1 yet: let the client get a few replies before you stop and start the server.',
    )
    const two = traceBuilder()
    two.exchange(pythonA, server1, 1)
    two.exchange(pythonA, server1, 2)
    two.exchange(pythonA, server2, 1)
    expect(evaluate(two.trace).passed).toBe(true)
  })

  it('from the server: the client answered after the restart must have been past #1 before it', () => {
    const b = traceBuilder()
    // A got PONG #1 only; B took the count to #3; after the restart only A pings.
    b.exchange(pythonA, server1, 1)
    b.exchange(pythonB, server1, 2)
    b.exchange(pythonB, server1, 3)
    b.exchange(pythonA, server2, 1)
    expect(evaluate(b.trace).reason).toBe(
      'The server was restarted and counted from #1 again, but no client was pinging across the restart. Run the client with 10 PINGs at the Slow pace, and stop and start the server while it runs.',
    )
  })

  it("from the server: the evidence is that client's last reply before the restart", () => {
    const b = traceBuilder()
    for (let n = 1; n <= 3; n++) b.exchange(pythonA, server1, n)
    const last = b.exchange(pythonA, server1, 4)
    const first = b.exchange(pythonA, server2, 1)
    expect(evaluate(b.trace).evidence).toEqual([last.seq, first.seq, first.seq])
  })

  it('tells the highest count any run reached, and that #2 is already past #1', () => {
    const b = traceBuilder()
    for (let n = 1; n <= 7; n++) b.exchange(clientA, pythonServer, n)
    for (let n = 1; n <= 3; n++) b.exchange(clientB, pythonServer, n)
    expect(evaluate(b.trace).reason).toBe(neverRestarted(7))
    const two = traceBuilder()
    two.exchange(clientA, pythonServer, 1)
    two.exchange(clientA, pythonServer, 2)
    expect(evaluate(two.trace).reason).toBe(neverRestarted(2))
  })
})

/** Replies to clients in the order given: `[client, n]`, one exchange each. */
function replies(
  b: ReturnType<typeof traceBuilder>,
  order: [typeof clientA | typeof pythonA, number][],
  server: typeof server1 | typeof pythonServer = server1,
) {
  for (const [client, n] of order) b.exchange(client, server, n)
}

describe('two clients: near misses', () => {
  const shared = (trace: TraceEvent[]) => counterSharedTwoClients.evaluate(trace, PARAMS)
  const perClient = (trace: TraceEvent[]) => counterPerClientTwoClients.evaluate(trace, PARAMS)
  const tooFew = (got: string) =>
    `Two clients pinged at the same time, but one of them got only ${got}: each needs at least 5. Set PINGs to 5 or more.`

  it('one client with enough replies is not enough, whichever of the two came first', () => {
    // One client six times, the other three times, overlapping: the numbers are shared and whole.
    for (const shortOne of [1, 2]) {
      const b = traceBuilder()
      for (let n = 1; n <= 9; n++) b.exchange(n % 3 === shortOne ? clientB : clientA, server1, n)
      expect(shared(b.trace).reason, `short one at ${shortOne}`).toBe(tooFew('3 replies'))
    }
    const one = traceBuilder()
    replies(one, [
      [clientA, 1],
      [clientB, 2],
      [clientA, 3],
    ])
    expect(shared(one.trace).reason).toBe(tooFew('1 reply'))
  })

  it('from the clients: both got PONG #1 and a number is missing is a repeat, not a shared count', () => {
    const b = traceBuilder()
    const numbersA = [1, 3, 5, 7, 9]
    const numbersB = [1, 4, 6, 8, 10]
    interleaved(
      b,
      5,
      (i) => numbersA[i]!,
      (i) => numbersB[i]!,
      { a: clientA, b: clientB },
      pythonServer,
    )
    expect(shared(b.trace).reason).toBe(
      'Both clients got the same numbers (each its own PONG #1): that server counts per client. Choose Shared count, stop and start the server, and run two clients again.',
    )
  })

  it('a third client that got too few does not hide a good pair', () => {
    const b = traceBuilder()
    const clientC = { actor: 'counter-client#3', addr: C }
    replies(b, [
      [clientA, 1],
      [clientC, 2],
      [clientA, 3],
    ])
    for (let n = 4; n <= 13; n++) b.exchange(n % 2 === 0 ? clientB : clientA, server1, n)
    expect(shared(b.trace).passed).toBe(true)
  })

  it("from the server: the count shown is the pair's, not other clients' before or after", () => {
    const b = traceBuilder()
    const clientC = { actor: 'counter-client#3', addr: C }
    const clientD = { actor: 'counter-client#4', addr: D }
    for (let n = 1; n <= 3; n++) b.exchange(clientC, server1, n)
    for (let n = 4; n <= 13; n++) b.exchange(n % 2 === 0 ? clientA : clientB, server1, n)
    for (let n = 14; n <= 15; n++) b.exchange(clientD, server1, n)
    // Only the server's view: the clients are the student's.
    const serverOnly = b.trace.filter((e) => e.role === 'server')
    expect(shared(serverOnly).reason).toBe(
      'Two clients shared one count: PONG #4 to PONG #13 went to both in turn, no gap, no repeat.',
    )
  })

  it('two switches are enough to call it overlapping (A, B, A)', () => {
    const b = traceBuilder()
    replies(b, [
      ...[1, 2, 3].map((n): [typeof clientA, number] => [clientA, n]),
      ...[4, 5, 6, 7, 8].map((n): [typeof clientA, number] => [clientB, n]),
      ...[9, 10].map((n): [typeof clientA, number] => [clientA, n]),
    ])
    expect(shared(b.trace).reason).toBe(
      'Two clients shared one count: PONG #1 to PONG #10 went to both in turn, no gap, no repeat.',
    )
  })

  it('from the clients, replies may arrive out of order; from the server, the count must go up by one', () => {
    const order: [typeof clientA, number][] = [
      [clientA, 1],
      [clientB, 3],
      [clientA, 2],
      [clientB, 4],
      [clientA, 5],
      [clientB, 6],
      [clientA, 8],
      [clientB, 7],
      [clientA, 9],
      [clientB, 10],
    ]
    const clientView = traceBuilder()
    replies(clientView, order, pythonServer)
    expect(shared(clientView.trace).passed).toBe(true)
    const serverView = traceBuilder()
    replies(
      serverView,
      order.map(([c, n]) => [c === clientA ? pythonA : pythonB, n]),
    )
    expect(shared(serverView.trace).reason).toBe(
      'The two clients got numbers with a gap between them: was a third client pinging too? Run exactly two clients at the same time.',
    )
  })

  it('from the server: a count that goes up by two is not one shared count', () => {
    const b = traceBuilder()
    interleaved(
      b,
      5,
      (i) => 4 * i + 1,
      (i) => 4 * i + 3,
      { a: pythonA, b: pythonB },
    )
    expect(shared(b.trace).reason).toBe(
      'The two clients got numbers with a gap between them: was a third client pinging too? Run exactly two clients at the same time.',
    )
  })

  it('asks for two clients first, naming the Per-client count mode', () => {
    const b = traceBuilder()
    for (let n = 1; n <= 5; n++) b.exchange(clientA, server1, n)
    expect(perClient(b.trace)).toEqual({
      passed: false,
      reason:
        'No server has answered two clients yet: start the counter server with Per-client count, set Pace to Slow, then click Run counter client twice.',
      evidence: [],
    })
  })

  it('two clients each counting from #1 against two different servers are not one server answering two', () => {
    const b = traceBuilder()
    for (let n = 1; n <= 5; n++) {
      b.exchange(clientA, pythonServer, n)
      b.exchange(clientB, { addr: OTHER_SERVER }, n)
    }
    expect(perClient(b.trace).reason).toBe(
      'No server has answered two clients yet: start the counter server with Per-client count, set Pace to Slow, then click Run counter client twice.',
    )
  })

  const sharesOneCount =
    'The two clients did not each get their own PONG #1, #2, #3…: that server shares one count. Choose Per-client count, stop and start the server, and run two clients again.'

  it('only one of the two counting from #1 is not a per-client count', () => {
    const b = traceBuilder()
    interleaved(
      b,
      5,
      (i) => i + 1,
      (i) => i + 6,
    )
    expect(perClient(b.trace).reason).toBe(sharesOneCount)
    const other = traceBuilder()
    interleaved(
      other,
      5,
      (i) => i + 6,
      (i) => i + 1,
    )
    expect(perClient(other.trace).reason).toBe(sharesOneCount)
  })

  it('a per-client count that restarts for one client is not 1, 2, 3…', () => {
    const b = traceBuilder()
    const bNumbers = [1, 2, 1, 2, 3]
    interleaved(
      b,
      5,
      (i) => i + 1,
      (i) => bNumbers[i]!,
    )
    expect(perClient(b.trace).reason).toBe(sharesOneCount)
  })
})

// ---- Real runs, with the lab's own checkpoint specs ----------------------------------------

describeWithSockets('the Counter lab, run through in one session', () => {
  let checkpoints: CheckpointSpec[] = []
  const sessions: LabSession[] = []

  beforeAll(async () => {
    const labs = fileURLToPath(new URL('../../labs/', import.meta.url))
    const loaded = await loadLab(labs, 'counter')
    if (!('lab' in loaded)) throw new Error(JSON.stringify(loaded.errors))
    checkpoints = loaded.lab.checkpoints
  })

  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.dispose()))
  })

  const passed = (trace: readonly TraceEvent[]) =>
    evaluateCheckpoints(checkpoints, trace)
      .filter((r) => r.passed)
      .map((r) => r.id)

  it('passes each checkpoint once its step has been done, and not before', async () => {
    const { sink, hooks } = sessionHooks()
    const session = new LabSession('counter', hooks)
    sessions.push(session)
    const port = await freeUdpPort()
    const start = (kind: 'counter-server' | 'counter-client', options = {}) =>
      session.startActor({ kind, host: HOST, port, options })
    expect(passed(session.trace)).toEqual([])

    // Step 1: one client, PONG #1 to #5.
    let server = start('counter-server')
    await server.ready
    await start('counter-client').done
    expect(passed(session.trace)).toEqual(['counter-five-in-order'])

    // Step 2: a restart while a slow client pings.
    const slow = start('counter-client', { count: 8, intervalMs: 150, timeoutMs: 300 })
    await waitForEvent(session, sink, (e) => e.actor === slow.id && e.op === 'recvfrom')
    await session.stopActor(server.id)
    await waitForEvent(session, sink, (e) => e.actor === slow.id && e.op === 'timeout')
    server = start('counter-server')
    await server.ready
    await slow.done
    expect(passed(session.trace)).toEqual(['counter-five-in-order', 'counter-restarted'])

    // Steps 3 and 4: two clients at once, shared then per-client.
    for (const countMode of ['shared', 'per-client'] as const) {
      await session.stopActor(server.id)
      server = start('counter-server', { countMode })
      await server.ready
      const a = start('counter-client', { intervalMs: 200 })
      await waitForEvent(session, sink, (e) => e.actor === a.id && e.op === 'recvfrom')
      const b = start('counter-client', { intervalMs: 200 })
      await Promise.all([a.done, b.done])
    }
    // Every checkpoint but the last step's, which only the student's own server can pass.
    expect(passed(session.trace)).toEqual(
      checkpoints.map((c) => c.id).filter((id) => id !== 'counter-your-server'),
    )
  })
})
