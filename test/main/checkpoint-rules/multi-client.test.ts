import { beforeEach, describe, expect, it } from 'vitest'
import type { TraceEvent } from '@shared/trace'
import { largestOverlap, servedConnections } from '../../../src/main/checkpoints/multi-client-rules'
import { checkRule, traceBuilder } from './trace-builder'

/**
 * The multi-client rules against a student's "almost right" runs: each near miss must leave
 * its checkpoint unpassed, with the reason the student reads.
 */
const { ev, reset } = traceBuilder()
beforeEach(reset)
const check = (trace: TraceEvent[], kind: string, params: object = {}) =>
  checkRule(kind, trace, params)

const SEQ = 'sequential-server#1'
const CON = 'concurrent-server#1'
const accept = (s: string, c: string) => ev(s, 'accept', { conn: c })
// The course's bytes (no newline) and the line-framed ones are both PINGs.
const ping = (s: string, c: string, framed = false) => [
  ev(s, 'recv', { conn: c, payload: framed ? 'PING\\n' : 'PING' }),
  ev(s, 'send', { conn: c, payload: framed ? 'PONG\\n' : 'PONG' }),
]
const bye = (s: string, c: string) => [ev(s, 'eof', { conn: c }), ev(s, 'close', { conn: c })]
const served = (s: string, c: string) => [accept(s, c), ...ping(s, c), ...bye(s, c)]

describe('servedConnections', () => {
  it('counts PINGs received and PONGs sent on each connection, course bytes or lines', () => {
    const trace = [
      accept(SEQ, 'a'),
      ...ping(SEQ, 'a'),
      ...ping(SEQ, 'a', true),
      // Not PINGs: a PING the server sent, a PONG it received, other text, a prefix.
      ev(SEQ, 'send', { conn: 'a', payload: 'PING' }),
      ev(SEQ, 'recv', { conn: 'a', payload: 'PONG' }),
      ev(SEQ, 'recv', { conn: 'a', payload: 'PINGPONG' }),
      ev(SEQ, 'send', { conn: 'a', payload: 'PONGS' }),
      ...bye(SEQ, 'a'),
      // After the close nothing counts.
      ...ping(SEQ, 'a'),
    ]
    const [conn] = servedConnections(trace, 'sequential-server').get(SEQ)!
    expect(conn).toMatchObject({ conn: 'a', server: SEQ, pings: 2, pongs: 2 })
    expect(conn!.firstPong!.seq).toBe(3)
    expect(conn!.eof!.op).toBe('eof')
    expect(conn!.close!.op).toBe('close')
  })

  it('reads a payload exactly: a newline only at the end is framing, spaces around are ignored', () => {
    const trace = [
      accept(SEQ, 'a'),
      ev(SEQ, 'recv', { conn: 'a', payload: 'PI\\nNG' }),
      ev(SEQ, 'recv', { conn: 'a', payload: 'PING ' }),
      ev(SEQ, 'recv', { conn: 'a' }),
      ev(SEQ, 'send', { conn: 'a', payload: 'PO\\nNG' }),
      ev(SEQ, 'send', { conn: 'a', payload: ' PONG' }),
      ev(SEQ, 'send', { conn: 'a' }),
    ]
    const [conn] = servedConnections(trace, 'sequential-server').get(SEQ)!
    expect(conn).toMatchObject({ pings: 1, pongs: 1 })
  })

  it('an accept without a connection is not a client served', () => {
    const trace = [ev(SEQ, 'accept'), ev(SEQ, 'recv', { payload: 'PING' })]
    expect(servedConnections(trace, 'sequential-server').size).toBe(0)
  })

  it('ignores other kinds of server, events without a connection, and unaccepted connections', () => {
    const trace = [
      ...served(CON, 'a'),
      ev(SEQ, 'recv', { payload: 'PING' }),
      ev(SEQ, 'recv', { conn: 'z', payload: 'PING' }),
    ]
    expect(servedConnections(trace, 'sequential-server').size).toBe(0)
    expect(servedConnections(trace, 'concurrent-server').get(CON)).toHaveLength(1)
  })

  it("takes the client's own connect, else the server's backlog note, as the moment it connected", () => {
    const connect = ev('mc-client#1', 'connect', { conn: 'b' })
    const note = ev(SEQ, 'note', { conn: 'b' })
    const [viaClient] = servedConnections(
      [connect, note, accept(SEQ, 'b')],
      'sequential-server',
    ).get(SEQ)!
    expect(viaClient!.connected).toBe(connect)
    const [viaNote] = servedConnections([note, accept(SEQ, 'b')], 'sequential-server').get(SEQ)!
    expect(viaNote!.connected).toBe(note)
    // A second connect on the same connection does not move the moment.
    const again = ev('mc-client#1', 'connect', { conn: 'b' })
    const [first] = servedConnections([connect, again, accept(SEQ, 'b')], 'sequential-server').get(
      SEQ,
    )!
    expect(first!.connected).toBe(connect)
    // A server's connect (a relay's upstream) is not a client connecting.
    const upstream = ev(SEQ, 'connect', { conn: 'c' })
    const [noClient] = servedConnections([upstream, accept(SEQ, 'c')], 'sequential-server').get(
      SEQ,
    )!
    expect(noClient!.connected).toBeUndefined()
  })
})

describe('largestOverlap', () => {
  it('counts who was open at each accept: a close at that moment or before does not overlap', () => {
    const trace = [accept(CON, 'a'), ...bye(CON, 'a'), accept(CON, 'b'), accept(CON, 'c')]
    const list = servedConnections(trace, 'concurrent-server').get(CON)!
    expect(largestOverlap(list).map((c) => c.conn)).toEqual(['b', 'c'])
    expect(largestOverlap([])).toEqual([])
  })
})

describe('mc-sequential-served', () => {
  it('passes with three served one after another, evidence their accepts and closes', () => {
    const trace = ['a', 'b', 'c'].flatMap((c) => served(SEQ, c))
    const result = check(trace, 'mc-sequential-served', { count: 3 })
    expect(result.passed).toBe(true)
    expect(result.reason).toBe(`${SEQ} served 3 clients one after another, never two at once.`)
    expect(result.evidence).toEqual([1, 5, 6, 10, 11, 15])
  })

  it('cites every client its text counts, not only the three it needs (issue 16)', () => {
    const trace = ['a', 'b', 'c', 'd'].flatMap((c) => served(SEQ, c))
    const result = check(trace, 'mc-sequential-served', { count: 3 })
    expect(result.reason).toBe(`${SEQ} served 4 clients one after another, never two at once.`)
    expect(result.evidence).toEqual([1, 5, 6, 10, 11, 15, 16, 20])
  })

  it('a client that never got a PONG, or never closed, is not served', () => {
    const trace = [
      ...served(SEQ, 'a'),
      accept(SEQ, 'b'),
      ...bye(SEQ, 'b'),
      accept(SEQ, 'c'),
      ...ping(SEQ, 'c'),
    ]
    expect(check(trace, 'mc-sequential-served', { count: 2 }).reason).toBe(
      'Best so far: 1 of 2 clients served by one sequential server.',
    )
  })

  it('two servers are not added up, and an overlap is named', () => {
    const two = [...served(SEQ, 'a'), ...served('sequential-server#2', 'b')]
    expect(check(two, 'mc-sequential-served', { count: 2 }).passed).toBe(false)
    const overlap = [accept(SEQ, 'a'), ...served(SEQ, 'b'), ...ping(SEQ, 'a'), ...bye(SEQ, 'a')]
    expect(check(overlap, 'mc-sequential-served', { count: 2 }).reason).toBe(
      `${SEQ} served two clients at the same time: that is not sequential.`,
    )
  })

  it('says so when no client has been served, and counts only the sequential server', () => {
    expect(check(served(CON, 'a'), 'mc-sequential-served').reason).toBe(
      'No client has been served by the sequential server yet.',
    )
  })
})

describe('mc-backlog-wait', () => {
  const connect = (c: string) => ev('mc-client#9', 'connect', { conn: c })

  it('passes with the connect, the first close, the accept and the first PONG as evidence', () => {
    const trace = [
      accept(SEQ, 'a'),
      ...ping(SEQ, 'a'),
      connect('b'),
      ...bye(SEQ, 'a'),
      accept(SEQ, 'b'),
      ...ping(SEQ, 'b'),
    ]
    const result = check(trace, 'mc-backlog-wait')
    expect(result.passed).toBe(true)
    expect(result.evidence).toEqual([4, 6, 7, 9])
    expect(result.reason).toBe(
      `A client connected while ${SEQ} was busy, waited in the backlog, and got its first PONG only after the first client left.`,
    )
  })

  it('a client that connected after the first one left did not wait', () => {
    const trace = [...served(SEQ, 'a'), connect('b'), accept(SEQ, 'b'), ...ping(SEQ, 'b')]
    expect(check(trace, 'mc-backlog-wait').reason).toBe(
      'No client has connected while the sequential server was busy: start two or more clients at once.',
    )
  })

  it('a client that connected before the first was accepted did not wait for it', () => {
    const trace = [connect('b'), ...served(SEQ, 'a'), accept(SEQ, 'b'), ...ping(SEQ, 'b')]
    expect(check(trace, 'mc-backlog-wait').passed).toBe(false)
  })

  it('a PONG before the first client left means it was not waiting (a concurrent server)', () => {
    const trace = [
      accept(SEQ, 'a'),
      connect('b'),
      accept(SEQ, 'b'),
      ...ping(SEQ, 'b'),
      ...ping(SEQ, 'a'),
      ...bye(SEQ, 'a'),
    ]
    expect(check(trace, 'mc-backlog-wait').reason).toBe(
      'A client is waiting in the backlog: let the first one finish.',
    )
  })

  it('a waiting client with no PONG yet, or a first client that never closed, is still waiting', () => {
    const waiting = [accept(SEQ, 'a'), connect('b'), ...bye(SEQ, 'a'), accept(SEQ, 'b')]
    expect(check(waiting, 'mc-backlog-wait').passed).toBe(false)
    const neverClosed = [accept(SEQ, 'a'), connect('b'), accept(SEQ, 'b'), ...ping(SEQ, 'b')]
    expect(check(neverClosed, 'mc-backlog-wait').passed).toBe(false)
  })

  it("another server's backlog note, or a note without a connection, is not a waiting client", () => {
    const other = [ev(CON, 'note', { conn: 'b' }), ev(SEQ, 'note')]
    expect(check(other, 'mc-backlog-wait').reason).toMatch(/^No client has connected/)
  })
})

describe('mc-max-clients-stop', () => {
  const maxNote = (s = SEQ) =>
    ev(s, 'note', { anchor: { file: 'sequential_server.py', name: 'max-clients' } })
  const listenerClose = (s = SEQ) =>
    ev(s, 'close', { anchor: { file: 'sequential_server.py', name: 'close' } })

  it('passes on the max-clients note followed by that server closing its listener', () => {
    const trace = [maxNote(), listenerClose()]
    const result = check(trace, 'mc-max-clients-stop')
    expect(result.passed).toBe(true)
    expect(result.evidence).toEqual([1, 2])
    expect(result.reason).toBe('The sequential server reached its maximum and closed by itself.')
  })

  it('a close before the note, by another actor, or of a connection does not count', () => {
    const before = [listenerClose(), maxNote()]
    expect(check(before, 'mc-max-clients-stop').passed).toBe(false)
    const otherActor = [maxNote(), listenerClose('sequential-server#2')]
    expect(check(otherActor, 'mc-max-clients-stop').passed).toBe(false)
    const connClose = [
      maxNote(),
      ev(SEQ, 'close', { conn: 'a', anchor: { file: 'x', name: 'conn-close' } }),
    ]
    expect(check(connClose, 'mc-max-clients-stop').passed).toBe(false)
    const stoppedByHand = [
      ev(SEQ, 'note', { anchor: { file: 'x', name: 'accept' } }),
      listenerClose(),
    ]
    expect(check(stoppedByHand, 'mc-max-clients-stop').reason).toBe(
      'No sequential server has reached a maximum number of clients yet.',
    )
    const concurrent = [maxNote(CON), listenerClose(CON)]
    expect(check(concurrent, 'mc-max-clients-stop').passed).toBe(false)
  })
})

describe('mc-concurrent-overlap', () => {
  const together = (cs: string[]) => [
    ...cs.map((c) => accept(CON, c)),
    ...cs.flatMap((c) => ping(CON, c)),
    ...cs.flatMap((c) => bye(CON, c)),
  ]

  it('passes with three at once, every PING answered, evidence their accepts and closes', () => {
    const result = check(together(['a', 'b', 'c']), 'mc-concurrent-overlap', { count: 3 })
    expect(result.passed).toBe(true)
    expect(result.reason).toBe(`${CON} served 3 clients at the same time and answered every PING.`)
    expect(result.evidence).toEqual([1, 11, 2, 13, 3, 15])
  })

  it('a PING left unanswered, a client that never hung up, or no PING at all is not done', () => {
    const unanswered = [
      ...together(['a', 'b']),
      accept(CON, 'c'),
      ev(CON, 'recv', { conn: 'c', payload: 'PING' }),
    ]
    // c overlaps nobody here; make it overlap: accept before the others close.
    const trace = [
      accept(CON, 'a'),
      accept(CON, 'b'),
      accept(CON, 'c'),
      ...ping(CON, 'a'),
      ...ping(CON, 'b'),
      ev(CON, 'recv', { conn: 'c', payload: 'PING' }),
      ...bye(CON, 'a'),
      ...bye(CON, 'b'),
      ...bye(CON, 'c'),
    ]
    expect(check(trace, 'mc-concurrent-overlap', { count: 3 }).reason).toBe(
      'Clients overlapped, but not every PING was answered yet: let every client finish.',
    )
    expect(check(unanswered, 'mc-concurrent-overlap', { count: 3 }).passed).toBe(false)
    const noEof = [
      accept(CON, 'a'),
      accept(CON, 'b'),
      ...ping(CON, 'a'),
      ...ping(CON, 'b'),
      ...bye(CON, 'a'),
      ev(CON, 'close', { conn: 'b' }),
    ]
    expect(check(noEof, 'mc-concurrent-overlap', { count: 2 }).passed).toBe(false)
    const silent = [accept(CON, 'a'), accept(CON, 'b'), ...bye(CON, 'a'), ...bye(CON, 'b')]
    expect(check(silent, 'mc-concurrent-overlap', { count: 2 }).passed).toBe(false)
  })

  it('one after another is not at the same time, and says how many overlapped', () => {
    const trace = ['a', 'b', 'c'].flatMap((c) => served(CON, c))
    expect(check(trace, 'mc-concurrent-overlap', { count: 3 }).reason).toBe(
      'At most 1 of 3 clients were served at the same time: start them together, at a Slow pace.',
    )
    expect(check([], 'mc-concurrent-overlap').reason).toBe(
      'No client has been served by the concurrent server yet.',
    )
    // The sequential server's overlap does not count here.
    expect(
      check(
        together(['a', 'b', 'c']).map((e) => ({
          ...e,
          actor: SEQ,
          actorKind: 'sequential-server',
        })),
        'mc-concurrent-overlap',
      ).passed,
    ).toBe(false)
  })
})

describe('mc-compared', () => {
  it('needs both kinds of server with enough finished clients, and names what is missing', () => {
    const seqTwo = [...served(SEQ, 'a'), ...served(SEQ, 'b')]
    const conTwo = [...served(CON, 'c'), ...served(CON, 'd')]
    const both = check([...seqTwo, ...conTwo], 'mc-compared')
    expect(both.passed).toBe(true)
    expect(both.reason).toBe('The sequential server served 2 clients and the concurrent one 2.')
    expect(both.evidence).toEqual([1, 6, 11, 16])
    expect(check(seqTwo, 'mc-compared').reason).toBe(
      'Still to run with several clients: the concurrent server (0 of 2).',
    )
    expect(check(conTwo, 'mc-compared').reason).toBe(
      'Still to run with several clients: the sequential server (0 of 2).',
    )
    expect(check([...served(SEQ, 'a'), ...served(CON, 'c')], 'mc-compared').reason).toBe(
      'Still to run with several clients: the sequential server (1 of 2) and the concurrent server (1 of 2).',
    )
  })

  it('takes the best server of each kind, not their sum', () => {
    const trace = [
      ...served(SEQ, 'a'),
      ...served('sequential-server#2', 'b'),
      ...served(CON, 'c'),
      ...served(CON, 'd'),
    ]
    expect(check(trace, 'mc-compared').passed).toBe(false)
  })
})
