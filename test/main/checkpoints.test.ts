import { afterEach, describe, expect, it } from 'vitest'
import type { ActorOptions } from '@shared/actors'
import type { CheckpointSpec } from '@shared/lab'
import type { TraceEvent } from '@shared/trace'
import { evaluateCheckpoints, knownRuleKinds } from '../../src/main/checkpoints'
import {
  bothProtocolsCompared,
  tcpRoundTrips,
  tcpServerSawEof,
  udpRepliesToSender,
  udpTimeoutsFinished,
} from '../../src/main/checkpoints/ping-pong-rules'
import { LabSession } from '../../src/main/session/lab-session'
import { describeWithSockets, freePort, freeUdpPort, HOST } from './helpers'

// ---- Hand-made traces -------------------------------------------------------------------

const SERVER = '127.0.0.1:50007'
const CLIENT = '127.0.0.1:41000'
const CONN = `${CLIENT}->${SERVER}`

/** Builds a trace by hand, numbering events as the recorder would. */
function traceBuilder() {
  const trace: TraceEvent[] = []
  const add = (e: Partial<TraceEvent> & Pick<TraceEvent, 'actor' | 'op'>): TraceEvent => {
    const [kind] = e.actor.split('#') as [string]
    const full: TraceEvent = {
      seq: trace.length + 1,
      t: trace.length,
      actorKind: kind,
      role: kind.endsWith('server') ? 'server' : 'client',
      proto: kind.startsWith('udp') ? 'udp' : 'tcp',
      level: 'info',
      ...e,
    }
    trace.push(full)
    return full
  }
  /** `n` TCP round trips on one connection, seen by both the app's client and server. */
  const tcpRounds = (n: number, conn = CONN, client = 'tcp-client#1', server = 'tcp-server#1') => {
    const pongs: { sent: TraceEvent; received: TraceEvent }[] = []
    for (let i = 0; i < n; i++) {
      add({ actor: client, op: 'send', conn, payload: 'PING' })
      add({ actor: server, op: 'recv', conn, payload: 'PING' })
      const sent = add({ actor: server, op: 'send', conn, payload: 'PONG' })
      const received = add({ actor: client, op: 'recv', conn, payload: 'PONG', rttMs: 0.2 })
      pongs.push({ sent, received })
    }
    return pongs
  }
  return { trace, add, tcpRounds }
}

describe('tcp-round-trips', () => {
  it('has not passed before any PONG, and says so', () => {
    const { trace, add } = traceBuilder()
    add({ actor: 'tcp-client#1', op: 'connect', conn: CONN })
    expect(tcpRoundTrips.evaluate(trace, {})).toEqual({
      passed: false,
      reason: 'No PONG has crossed a TCP connection yet.',
      evidence: [],
    })
  })

  it('tells the best count so far after 3 of 5', () => {
    const { trace, tcpRounds } = traceBuilder()
    tcpRounds(3)
    expect(tcpRoundTrips.evaluate(trace, { count: 5 })).toEqual({
      passed: false,
      reason: 'Best so far: 3 of 5 PONGs on one connection.',
      evidence: [],
    })
  })

  it('passes with 5 PONGs on one connection, giving every PONG it counts as evidence', () => {
    const { trace, add } = traceBuilder()
    // Only the app's client took part here (the server is the student's own program).
    const pongs: number[] = []
    for (let i = 0; i < 6; i++) {
      add({ actor: 'tcp-client#1', op: 'send', conn: CONN, payload: 'PING' })
      pongs.push(add({ actor: 'tcp-client#1', op: 'recv', conn: CONN, payload: 'PONG' }).seq)
    }
    expect(tcpRoundTrips.evaluate(trace, { count: 5 })).toEqual({
      passed: true,
      reason: `6 PONGs received by the client over one connection (${CONN})`,
      evidence: pongs,
    })
  })

  it('counts PONGs sent by the app server when the client is a student program', () => {
    const { trace, add } = traceBuilder()
    const sent: number[] = []
    for (let i = 0; i < 5; i++) {
      add({ actor: 'tcp-server#1', op: 'recv', conn: CONN, payload: 'PING\n' })
      sent.push(add({ actor: 'tcp-server#1', op: 'send', conn: CONN, payload: 'PONG' }).seq)
    }
    expect(tcpRoundTrips.evaluate(trace, {})).toEqual({
      passed: true,
      reason: `5 PONGs sent by the server over one connection (${CONN})`,
      evidence: sent,
    })
  })

  it('does not add up PONGs from different connections or from UDP', () => {
    const { trace, add, tcpRounds } = traceBuilder()
    tcpRounds(3, 'a->b', 'tcp-client#1', 'tcp-server#1')
    tcpRounds(2, 'c->b', 'tcp-client#2', 'tcp-server#2')
    for (let i = 0; i < 5; i++) add({ actor: 'udp-client#1', op: 'recvfrom', payload: 'PONG' })
    expect(tcpRoundTrips.evaluate(trace, { count: 5 }).reason).toBe(
      'Best so far: 3 of 5 PONGs on one connection.',
    )
  })

  it('takes its count from the rule parameters, falling back to 5 for nonsense', () => {
    const { trace, tcpRounds } = traceBuilder()
    tcpRounds(2)
    expect(tcpRoundTrips.evaluate(trace, { count: 2 }).passed).toBe(true)
    for (const count of ['2', -1, 0, 2.5, null]) {
      expect(tcpRoundTrips.evaluate(trace, { count }).reason).toBe(
        'Best so far: 2 of 5 PONGs on one connection.',
      )
    }
  })
})

describe('tcp-server-saw-eof', () => {
  it('passes when the server saw end-of-stream and then closed that connection', () => {
    const { trace, add, tcpRounds } = traceBuilder()
    tcpRounds(1)
    add({ actor: 'tcp-client#1', op: 'close', conn: CONN })
    const eof = add({ actor: 'tcp-server#1', op: 'eof', conn: CONN })
    const closed = add({ actor: 'tcp-server#1', op: 'close', conn: CONN })
    add({ actor: 'tcp-server#1', op: 'close' })
    expect(tcpServerSawEof.evaluate(trace, {})).toEqual({
      passed: true,
      reason: 'The server saw end-of-stream and closed the connection.',
      evidence: [eof.seq, closed.seq],
    })
  })

  it('explains what is missing', () => {
    const { trace, add, tcpRounds } = traceBuilder()
    tcpRounds(5)
    // A client that sees end-of-stream is not the server.
    add({ actor: 'tcp-client#1', op: 'eof', conn: CONN })
    expect(tcpServerSawEof.evaluate(trace, {}).reason).toBe(
      'The TCP server has not yet seen end-of-stream: a client has to close its connection.',
    )
    add({ actor: 'tcp-server#1', op: 'eof', conn: CONN })
    // Closing the listening socket is not closing the connection.
    add({ actor: 'tcp-server#1', op: 'close' })
    expect(tcpServerSawEof.evaluate(trace, {})).toEqual({
      passed: false,
      reason: 'The server saw end-of-stream but has not closed the connection yet.',
      evidence: [],
    })
  })

  it('a later connection can still prove it after an earlier one never closed', () => {
    const { trace, add } = traceBuilder()
    add({ actor: 'tcp-server#1', op: 'eof', conn: 'a->s' })
    add({ actor: 'tcp-server#1', op: 'close' })
    const eof = add({ actor: 'tcp-server#2', op: 'eof', conn: 'b->s' })
    const closed = add({ actor: 'tcp-server#2', op: 'close', conn: 'b->s' })
    expect(tcpServerSawEof.evaluate(trace, {})).toMatchObject({
      passed: true,
      evidence: [eof.seq, closed.seq],
    })
  })
})

describe('udp-replies-to-sender', () => {
  function udpRound(
    b: ReturnType<typeof traceBuilder>,
    from: string,
    replyTo = from,
    server = 'udp-server#1',
  ) {
    const recv = b.add({ actor: server, op: 'recvfrom', remote: from, payload: 'PING' })
    const send = b.add({ actor: server, op: 'sendto', remote: replyTo, payload: 'PONG' })
    return [recv.seq, send.seq]
  }

  it('passes with 5 PONGs each sent where recvfrom() said, evidence in pairs', () => {
    const b = traceBuilder()
    const seqs = Array.from({ length: 5 }, () => udpRound(b, CLIENT)).flat()
    expect(udpRepliesToSender.evaluate(b.trace, { count: 5 })).toEqual({
      passed: true,
      reason: '5 PONGs, each sent to the address recvfrom() returned.',
      evidence: seqs,
    })
  })

  it('refuses replies sent to a different address than recvfrom() returned', () => {
    const b = traceBuilder()
    for (let i = 0; i < 4; i++) udpRound(b, CLIENT)
    udpRound(b, CLIENT, '127.0.0.1:9999')
    expect(udpRepliesToSender.evaluate(b.trace, { count: 5 })).toEqual({
      passed: false,
      reason: '4 of 5 PONGs sent back to their senders so far (1 went to another address).',
      evidence: [],
    })

    const wrong = traceBuilder()
    for (let i = 0; i < 5; i++) udpRound(wrong, CLIENT, SERVER)
    expect(udpRepliesToSender.evaluate(wrong.trace, {}).reason).toBe(
      'No UDP server has answered a PING yet (5 went to another address).',
    )
  })

  it('counts only server replies to PINGs', () => {
    const b = traceBuilder()
    expect(udpRepliesToSender.evaluate(b.trace, {}).reason).toBe(
      'No UDP server has answered a PING yet.',
    )
    // The client's own datagrams are not replies.
    for (let i = 0; i < 5; i++) {
      b.add({ actor: 'udp-client#1', op: 'sendto', remote: SERVER, payload: 'PING' })
      b.add({ actor: 'udp-client#1', op: 'recvfrom', remote: SERVER, payload: 'PONG' })
    }
    // An answer to a malformed message is not a PONG.
    b.add({ actor: 'udp-server#1', op: 'recvfrom', remote: CLIENT, payload: 'HELLO' })
    b.add({ actor: 'udp-server#1', op: 'sendto', remote: CLIENT, payload: 'ERROR expected PING' })
    udpRound(b, CLIENT)
    expect(udpRepliesToSender.evaluate(b.trace, { count: 5 }).reason).toBe(
      '1 of 5 PONGs sent back to their senders so far.',
    )
  })
})

describe('udp-timeouts-finished', () => {
  function udpTimeouts(b: ReturnType<typeof traceBuilder>, n: number, actor = 'udp-client#1') {
    const seqs: number[] = []
    for (let i = 0; i < n; i++) {
      b.add({ actor, op: 'sendto', remote: SERVER, payload: 'PING' })
      seqs.push(b.add({ actor, op: 'timeout', remote: SERVER, level: 'warn' }).seq)
    }
    return seqs
  }

  it('passes once a client timed out 5 times and closed its socket', () => {
    const b = traceBuilder()
    const timeouts = udpTimeouts(b, 5)
    const close = b.add({ actor: 'udp-client#1', op: 'close' })
    expect(udpTimeoutsFinished.evaluate(b.trace, {})).toEqual({
      passed: true,
      reason: 'The UDP client timed out 5 times and still finished.',
      evidence: [...timeouts, close.seq],
    })
  })

  it('needs the run to have finished', () => {
    const b = traceBuilder()
    udpTimeouts(b, 5)
    const outcome = udpTimeoutsFinished.evaluate(b.trace, {})
    expect(outcome.passed).toBe(false)
    expect(outcome.reason).toBe(
      'The UDP client timed out 5 times but did not finish its run: let it run to the end.',
    )
  })

  it('does not add up timeouts of different runs, and says how far the best got', () => {
    const b = traceBuilder()
    expect(udpTimeoutsFinished.evaluate(b.trace, {}).reason).toBe(
      'No UDP client has timed out yet: stop the UDP server, then run the UDP client.',
    )
    udpTimeouts(b, 3, 'udp-client#1')
    b.add({ actor: 'udp-client#1', op: 'close' })
    udpTimeouts(b, 2, 'udp-client#2')
    b.add({ actor: 'udp-client#2', op: 'close' })
    expect(udpTimeoutsFinished.evaluate(b.trace, { count: 5 }).reason).toBe(
      'Best run so far: 3 of 5 timeouts. Keep the server down for the whole run.',
    )
    expect(udpTimeoutsFinished.evaluate(b.trace, { count: 3 }).passed).toBe(true)
  })
})

describe('both-protocols-compared', () => {
  it('needs a finished TCP client and a finished UDP client', () => {
    const b = traceBuilder()
    expect(bothProtocolsCompared.evaluate(b.trace, {}).reason).toBe(
      'Run a TCP client and a UDP client (each with its server running).',
    )
    const [first] = b.tcpRounds(2)
    const tcpClose = b.add({ actor: 'tcp-client#1', op: 'close', conn: CONN })
    expect(bothProtocolsCompared.evaluate(b.trace, {})).toEqual({
      passed: false,
      reason: 'The TCP run is done; now run a UDP client against a UDP server.',
      evidence: [],
    })
    // A UDP client that got a PONG but has not closed yet does not count.
    const pong = b.add({ actor: 'udp-client#1', op: 'recvfrom', remote: SERVER, payload: 'PONG' })
    expect(bothProtocolsCompared.evaluate(b.trace, {}).passed).toBe(false)
    const udpClose = b.add({ actor: 'udp-client#1', op: 'close' })
    expect(bothProtocolsCompared.evaluate(b.trace, {})).toEqual({
      passed: true,
      reason: 'A TCP client and a UDP client both got PONGs and closed.',
      evidence: [first!.received.seq, tcpClose.seq, pong.seq, udpClose.seq],
    })
  })

  it('a UDP run that only timed out is not a comparison', () => {
    const b = traceBuilder()
    b.add({ actor: 'udp-client#1', op: 'timeout', level: 'warn' })
    b.add({ actor: 'udp-client#1', op: 'close' })
    b.add({ actor: 'udp-client#2', op: 'recvfrom', payload: 'PONG' })
    b.add({ actor: 'udp-client#2', op: 'close' })
    expect(bothProtocolsCompared.evaluate(b.trace, {}).reason).toBe(
      'The UDP run is done; now run a TCP client against a TCP server.',
    )
  })
})

describe('evaluateCheckpoints', () => {
  const spec = (id: string, rule: CheckpointSpec['rule']): CheckpointSpec => ({
    id,
    title: id,
    hint: 'do it',
    rule,
  })

  it('knows the five ping-pong rule kinds (other labs add their own)', () => {
    expect(knownRuleKinds()).toEqual(
      expect.arrayContaining([
        'both-protocols-compared',
        'tcp-round-trips',
        'tcp-server-saw-eof',
        'udp-replies-to-sender',
        'udp-timeouts-finished',
      ]),
    )
  })

  it('registers each rule kind once, so a kind names exactly one rule', () => {
    const kinds = knownRuleKinds()
    expect(new Set(kinds).size).toBe(kinds.length)
  })

  it('evaluates each spec with its parameters, and an unknown kind never passes', () => {
    const b = traceBuilder()
    b.tcpRounds(2)
    const results = evaluateCheckpoints(
      [
        spec('two', { kind: 'tcp-round-trips', count: 2 }),
        spec('five', { kind: 'tcp-round-trips' }),
        spec('mystery', { kind: 'tcp-round-trip', count: 1 }),
      ],
      b.trace,
    )
    expect(results.map((r) => [r.id, r.passed])).toEqual([
      ['two', true],
      ['five', false],
      ['mystery', false],
    ])
    expect(results[2]).toEqual({
      id: 'mystery',
      passed: false,
      reason: 'Unknown checkpoint rule "tcp-round-trip"',
      evidence: [],
    })
  })
})

// ---- Near misses: a student's "almost right" runs --------------------------------------

describe('tcp-round-trips: near misses', () => {
  const UDP_CONN = 'udp-pseudo-conn'

  it('counts a PONG with spaces around it, like the one a student server may send', () => {
    const { trace, add } = traceBuilder()
    for (let i = 0; i < 5; i++)
      add({ actor: 'tcp-client#1', op: 'recv', conn: CONN, payload: ' PONG ' })
    expect(tcpRoundTrips.evaluate(trace, {}).passed).toBe(true)
  })

  it('PONGs over UDP, without a connection, sent by the client or received by the server do not count', () => {
    const cases: Partial<TraceEvent>[] = [
      // UDP, even when something gives it a connection id
      { actor: 'tcp-client#1', proto: 'udp', op: 'recv', conn: UDP_CONN },
      // a TCP receive with no connection to tie it to
      { actor: 'tcp-client#1', op: 'recv' },
      // the client sent PONG (a student client that answers instead of asking)
      { actor: 'tcp-client#1', op: 'send', conn: CONN },
      // the server received PONG: same mistake, seen from the app's server
      { actor: 'tcp-server#1', op: 'recv', conn: CONN },
      // a relay forwarding PONGs is neither end
      { actor: 'tcp-relay#1', role: 'relay', op: 'send', conn: CONN },
      { actor: 'tcp-relay#1', role: 'relay', op: 'recv', conn: CONN },
    ]
    for (const c of cases) {
      const { trace, add } = traceBuilder()
      for (let i = 0; i < 5; i++) add({ actor: c.actor!, op: c.op!, ...c, payload: 'PONG' })
      expect(tcpRoundTrips.evaluate(trace, {}), JSON.stringify(c)).toEqual({
        passed: false,
        reason: 'No PONG has crossed a TCP connection yet.',
        evidence: [],
      })
    }
  })

  /** `n` PONGs on `conn`, seen only by the app's client (or only by the app's server). */
  function pongs(
    b: ReturnType<typeof traceBuilder>,
    n: number,
    side: 'client' | 'server',
    conn: string,
  ) {
    for (let i = 0; i < n; i++) {
      if (side === 'client') b.add({ actor: 'tcp-client#1', op: 'recv', conn, payload: 'PONG' })
      else b.add({ actor: 'tcp-server#1', op: 'send', conn, payload: 'PONG' })
    }
  }

  it("on a tie the client's view wins, whichever connection came first", () => {
    for (const order of [
      ['server', 'client'],
      ['client', 'server'],
    ] as const) {
      const b = traceBuilder()
      pongs(b, 5, order[0], `${order[0]}-conn`)
      pongs(b, 5, order[1], `${order[1]}-conn`)
      expect(tcpRoundTrips.evaluate(b.trace, {}).reason).toBe(
        '5 PONGs received by the client over one connection (client-conn)',
      )
    }
  })

  it('quotes the newest connection with enough PONGs, not an older run’s ports (issue 16)', () => {
    for (const side of ['client', 'server'] as const) {
      const b = traceBuilder()
      pongs(b, 6, side, 'first')
      pongs(b, 5, side, 'second')
      expect(tcpRoundTrips.evaluate(b.trace, {}).reason).toMatch(/^5 PONGs .* \(second\)$/)
    }
  })

  it('a shorter run seen by the client does not beat a longer one seen by the server', () => {
    const b = traceBuilder()
    pongs(b, 5, 'server', 'long')
    pongs(b, 3, 'client', 'short')
    expect(tcpRoundTrips.evaluate(b.trace, {}).reason).toBe(
      '5 PONGs sent by the server over one connection (long)',
    )
    const notYet = traceBuilder()
    pongs(notYet, 4, 'server', 'long')
    pongs(notYet, 3, 'client', 'short')
    expect(tcpRoundTrips.evaluate(notYet.trace, {}).reason).toBe(
      'Best so far: 4 of 5 PONGs on one connection.',
    )
  })
})

describe('tcp-server-saw-eof: near misses', () => {
  it("the client's own close after the server's end-of-stream is not the server closing", () => {
    const { trace, add } = traceBuilder()
    // The client shut down its sending side, the server saw EOF, then the client closed.
    add({ actor: 'tcp-server#1', op: 'eof', conn: CONN })
    add({ actor: 'tcp-client#1', op: 'close', conn: CONN })
    expect(tcpServerSawEof.evaluate(trace, {}).reason).toBe(
      'The server saw end-of-stream but has not closed the connection yet.',
    )
  })

  it('a close before the end-of-stream does not count, nor one of another connection', () => {
    const { trace, add } = traceBuilder()
    add({ actor: 'tcp-server#1', op: 'close', conn: CONN })
    add({ actor: 'tcp-server#1', op: 'eof', conn: CONN })
    add({ actor: 'tcp-server#1', op: 'close', conn: 'other->conn' })
    expect(tcpServerSawEof.evaluate(trace, {}).reason).toBe(
      'The server saw end-of-stream but has not closed the connection yet.',
    )
  })

  it('answering after end-of-stream (a half-closed connection) is not closing it', () => {
    const { trace, add } = traceBuilder()
    add({ actor: 'tcp-server#1', op: 'eof', conn: CONN })
    add({ actor: 'tcp-server#1', op: 'send', conn: CONN, payload: 'BYE' })
    expect(tcpServerSawEof.evaluate(trace, {}).reason).toBe(
      'The server saw end-of-stream but has not closed the connection yet.',
    )
  })

  it('an empty UDP datagram is not end-of-stream', () => {
    const { trace, add } = traceBuilder()
    add({ actor: 'udp-server#1', op: 'eof', conn: CONN })
    add({ actor: 'udp-server#1', op: 'close', conn: CONN })
    expect(tcpServerSawEof.evaluate(trace, {}).reason).toBe(
      'The TCP server has not yet seen end-of-stream: a client has to close its connection.',
    )
  })
})

describe('udp-replies-to-sender: near misses', () => {
  const OTHER = '127.0.0.1:42000'

  it('counts PING and PONG with spaces around them', () => {
    const b = traceBuilder()
    for (let i = 0; i < 5; i++) {
      b.add({ actor: 'udp-server#1', op: 'recvfrom', remote: CLIENT, payload: 'PING ' })
      b.add({ actor: 'udp-server#1', op: 'sendto', remote: CLIENT, payload: ' PONG' })
    }
    expect(udpRepliesToSender.evaluate(b.trace, {}).passed).toBe(true)
  })

  it('a PONG to whoever sent the last datagram that was not a PING goes to another address', () => {
    const b = traceBuilder()
    b.add({ actor: 'udp-server#1', op: 'recvfrom', remote: CLIENT, payload: 'PING' })
    // An empty or unprintable datagram from someone else, then one that is not a PING.
    b.add({ actor: 'udp-server#1', op: 'recvfrom', remote: OTHER })
    b.add({ actor: 'udp-server#1', op: 'recvfrom', remote: OTHER, payload: 'HELLO' })
    // The server sending a PING of its own does not make the next PONG an answer.
    b.add({ actor: 'udp-server#1', op: 'sendto', remote: OTHER, payload: 'PING' })
    b.add({ actor: 'udp-server#1', op: 'sendto', remote: OTHER, payload: 'PONG' })
    expect(udpRepliesToSender.evaluate(b.trace, {}).reason).toBe(
      'No UDP server has answered a PING yet (1 went to another address).',
    )
  })

  it('a server that receives PONGs has not answered anything', () => {
    const b = traceBuilder()
    for (let i = 0; i < 5; i++) {
      b.add({ actor: 'udp-server#1', op: 'recvfrom', remote: CLIENT, payload: 'PING' })
      b.add({ actor: 'udp-server#1', op: 'recvfrom', remote: CLIENT, payload: 'PONG' })
    }
    expect(udpRepliesToSender.evaluate(b.trace, {}).reason).toBe(
      'No UDP server has answered a PING yet.',
    )
  })

  it('a relay passing PING and PONG along, or a TCP server, is not the UDP server answering', () => {
    for (const who of [
      { actor: 'udp-relay#1', role: 'relay' },
      { actor: 'tcp-server#1', proto: 'tcp' },
    ] as const) {
      const b = traceBuilder()
      for (let i = 0; i < 5; i++) {
        b.add({ ...who, op: 'recvfrom', remote: CLIENT, payload: 'PING' })
        b.add({ ...who, op: 'sendto', remote: CLIENT, payload: 'PONG' })
      }
      expect(udpRepliesToSender.evaluate(b.trace, {}).reason, who.actor).toBe(
        'No UDP server has answered a PING yet.',
      )
    }
  })

  it('gives every pair the text counts as evidence', () => {
    const b = traceBuilder()
    const seqs: number[] = []
    for (let i = 0; i < 7; i++) {
      seqs.push(
        b.add({ actor: 'udp-server#1', op: 'recvfrom', remote: CLIENT, payload: 'PING' }).seq,
      )
      seqs.push(b.add({ actor: 'udp-server#1', op: 'sendto', remote: CLIENT, payload: 'PONG' }).seq)
    }
    expect(udpRepliesToSender.evaluate(b.trace, {})).toEqual({
      passed: true,
      reason: '7 PONGs, each sent to the address recvfrom() returned.',
      evidence: seqs,
    })
  })
})

describe('udp-timeouts-finished: near misses', () => {
  const timedOutRun = (
    b: ReturnType<typeof traceBuilder>,
    who: Partial<TraceEvent> & { actor: string },
    n: number,
  ) => {
    const seqs: number[] = []
    for (let i = 0; i < n; i++) seqs.push(b.add({ ...who, op: 'timeout', level: 'warn' }).seq)
    return [seqs, b.add({ ...who, op: 'close' }).seq] as const
  }

  it('timeouts of a TCP client or of a UDP server do not count', () => {
    for (const who of [{ actor: 'tcp-client#1' }, { actor: 'udp-server#1' }]) {
      const b = traceBuilder()
      timedOutRun(b, who, 5)
      expect(udpTimeoutsFinished.evaluate(b.trace, {}).reason, who.actor).toBe(
        'No UDP client has timed out yet: stop the UDP server, then run the UDP client.',
      )
    }
  })

  it('gives every timeout the text counts and the close as evidence', () => {
    const b = traceBuilder()
    const [timeouts, close] = timedOutRun(b, { actor: 'udp-client#1' }, 7)
    expect(udpTimeoutsFinished.evaluate(b.trace, {})).toEqual({
      passed: true,
      reason: 'The UDP client timed out 7 times and still finished.',
      evidence: [...timeouts, close],
    })
  })
})

describe('both-protocols-compared: near misses', () => {
  const tcpDone = (b: ReturnType<typeof traceBuilder>) => {
    b.tcpRounds(1)
    b.add({ actor: 'tcp-client#1', op: 'close', conn: CONN })
  }

  it('a UDP client that closed without any PONG is not a finished run', () => {
    const b = traceBuilder()
    b.add({ actor: 'udp-client#1', op: 'timeout', level: 'warn' })
    b.add({ actor: 'udp-client#1', op: 'close' })
    expect(bothProtocolsCompared.evaluate(b.trace, {}).reason).toBe(
      'Run a TCP client and a UDP client (each with its server running).',
    )
  })

  it('a UDP client that sent PONG, got something else, or a UDP server that got PONG, is not a UDP run', () => {
    for (const events of [
      [{ actor: 'udp-client#1', op: 'sendto', payload: 'PONG' }],
      [{ actor: 'udp-client#1', op: 'recvfrom', payload: 'PING' }],
      [{ actor: 'udp-server#1', op: 'recvfrom', payload: 'PONG' }],
    ] as const) {
      const b = traceBuilder()
      tcpDone(b)
      for (const e of events) b.add(e)
      b.add({ actor: events[0].actor, op: 'close' })
      expect(bothProtocolsCompared.evaluate(b.trace, {}).reason, JSON.stringify(events)).toBe(
        'The TCP run is done; now run a UDP client against a UDP server.',
      )
    }
  })
})

// ---- Real traces from actor runs ------------------------------------------------------

describeWithSockets('rules over real actor traces', () => {
  const sessions: LabSession[] = []
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.dispose()))
  })
  const newSession = () => {
    const session = new LabSession('ping-pong')
    sessions.push(session)
    return session
  }

  async function tcpRun(session: LabSession, options: Partial<ActorOptions> = {}) {
    const port = await freePort()
    const server = session.startActor({ kind: 'tcp-server', host: HOST, port })
    await server.ready
    const client = session.startActor({ kind: 'tcp-client', host: HOST, port, options })
    await Promise.all([server.done, client.done])
  }

  async function udpRun(session: LabSession, options: Partial<ActorOptions> = {}) {
    const port = await freeUdpPort()
    const server = session.startActor({ kind: 'udp-server', host: HOST, port })
    await server.ready
    await session.startActor({ kind: 'udp-client', host: HOST, port, options }).done
    await session.stopActor(server.id)
  }

  const bySeq = (session: LabSession, seqs: number[]) =>
    seqs.map((seq) => session.trace.find((e) => e.seq === seq)!)

  it('a TCP run with count 3 is "3 of 5"; with count 5 it passes both TCP rules', async () => {
    const short = newSession()
    await tcpRun(short, { count: 3 })
    expect(tcpRoundTrips.evaluate(short.trace, { count: 5 }).reason).toBe(
      'Best so far: 3 of 5 PONGs on one connection.',
    )
    // The short run still closed properly.
    expect(tcpServerSawEof.evaluate(short.trace, {}).passed).toBe(true)

    const full = newSession()
    await tcpRun(full)
    const pongs = tcpRoundTrips.evaluate(full.trace, { count: 5 })
    expect(pongs.passed).toBe(true)
    const conn = full.trace.find((e) => e.op === 'accept')!.conn
    expect(pongs.reason).toContain(`over one connection (${conn})`)
    expect(pongs.evidence).toHaveLength(5)
    for (const e of bySeq(full, pongs.evidence)) {
      expect(e).toMatchObject({ proto: 'tcp', payload: 'PONG', conn })
    }

    const eof = tcpServerSawEof.evaluate(full.trace, {})
    expect(eof.passed).toBe(true)
    expect(bySeq(full, eof.evidence).map((e) => [e.actor, e.op, e.conn])).toEqual([
      ['tcp-server#1', 'eof', conn],
      ['tcp-server#1', 'close', conn],
    ])
  })

  it('a TCP server stopped mid-conversation never proves end-of-stream', async () => {
    const session = newSession()
    const port = await freePort()
    const server = session.startActor({ kind: 'tcp-server', host: HOST, port })
    await server.ready
    const client = session.startActor({
      kind: 'tcp-client',
      host: HOST,
      port,
      options: { intervalMs: 10_000 },
    })
    while (!session.trace.some((e) => e.op === 'recv' && e.role === 'client')) {
      await new Promise((resolve) => setImmediate(resolve))
    }
    await session.stopAll()
    await client.done
    expect(tcpServerSawEof.evaluate(session.trace, {}).passed).toBe(false)
    expect(tcpRoundTrips.evaluate(session.trace, {}).reason).toBe(
      'Best so far: 1 of 5 PONGs on one connection.',
    )
  })

  it('a UDP run passes udp-replies-to-sender with pairs of real events', async () => {
    const session = newSession()
    await udpRun(session)
    const outcome = udpRepliesToSender.evaluate(session.trace, { count: 5 })
    expect(outcome.passed).toBe(true)
    const events = bySeq(session, outcome.evidence)
    expect(events).toHaveLength(10)
    for (let i = 0; i < 10; i += 2) {
      expect(events[i]).toMatchObject({ op: 'recvfrom', payload: 'PING' })
      expect(events[i + 1]).toMatchObject({ op: 'sendto', payload: 'PONG' })
      expect(events[i + 1]!.remote).toBe(events[i]!.remote)
    }
    // The server ran, so no timeouts were shown.
    expect(udpTimeoutsFinished.evaluate(session.trace, {}).passed).toBe(false)
  })

  it('a UDP client with no server passes udp-timeouts-finished', async () => {
    const session = newSession()
    await session.startActor({
      kind: 'udp-client',
      host: HOST,
      port: await freeUdpPort(),
      options: { timeoutMs: 50 },
    }).done
    const outcome = udpTimeoutsFinished.evaluate(session.trace, { count: 5 })
    expect(outcome.passed).toBe(true)
    expect(bySeq(session, outcome.evidence).map((e) => e.op)).toEqual([
      'timeout',
      'timeout',
      'timeout',
      'timeout',
      'timeout',
      'close',
    ])
    expect(udpRepliesToSender.evaluate(session.trace, {}).reason).toBe(
      'No UDP server has answered a PING yet.',
    )
  })

  it('both-protocols-compared needs both real runs', async () => {
    const session = newSession()
    await tcpRun(session, { count: 1 })
    expect(bothProtocolsCompared.evaluate(session.trace, {}).reason).toBe(
      'The TCP run is done; now run a UDP client against a UDP server.',
    )
    await udpRun(session, { count: 1 })
    const outcome = bothProtocolsCompared.evaluate(session.trace, {})
    expect(outcome.passed).toBe(true)
    expect(bySeq(session, outcome.evidence).map((e) => [e.actor, e.op])).toEqual([
      ['tcp-client#1', 'recv'],
      ['tcp-client#1', 'close'],
      ['udp-client#1', 'recvfrom'],
      ['udp-client#1', 'close'],
    ])
  })
})
