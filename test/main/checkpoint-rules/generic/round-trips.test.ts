import { beforeEach, describe, expect, it } from 'vitest'
import type { TraceEvent } from '@shared/trace'
import { checkRule, traceBuilder } from '../trace-builder'

/** round-trips against "almost right" runs: each must stay unpassed, with the reason to read. */
const { ev, reset } = traceBuilder()
beforeEach(reset)

const SERVER = '127.0.0.1:12000'
const CONN = `127.0.0.1:40000->${SERVER}`
const CON = 'tcp-console#1'
const UP = 'upper-tcp-server#1'
const listen = () => ev(UP, 'listen', { local: SERVER })
const ask = (text: string, reply: string, conn = CONN, actor = CON) => [
  ev(actor, 'send', { conn, remote: SERVER, payload: text }),
  ev(actor, 'recv', { conn, remote: SERVER, payload: reply }),
]
const check = (trace: TraceEvent[], params: object = {}) => checkRule('round-trips', trace, params)

describe('round-trips', () => {
  it('passes on one reply by default, naming the run and the last exchange', () => {
    const trace = ask('hello', 'HELLO')
    expect(check(trace)).toEqual({
      id: 'x',
      passed: true,
      reason: `1 round trips by ${CON} on ${CONN}: round trip 1 sent "hello" and got "HELLO".`,
      evidence: [1, 2],
    })
  })

  it('needs count round trips on ONE connection; the evidence is the first count of them', () => {
    const trace = [...ask('a', 'A'), ...ask('b', 'B', 'other'), ...ask('c', 'C')]
    expect(check(trace, { count: 3 })).toMatchObject({
      passed: false,
      reason: 'Best so far: 2 of 3 round trips on one connection.',
    })
    trace.push(...ask('d', 'D'), ...ask('e', 'E'))
    const r = check(trace, { count: 3 })
    expect(r.passed).toBe(true)
    expect(r.evidence).toEqual([1, 2, 5, 6, 7, 8])
    expect(r.reason).toBe(`4 round trips by ${CON} on ${CONN}: round trip 3 sent "d" and got "D".`)
  })

  it('a UDP socket has no connection: its run is the actor', () => {
    const udp = (text: string) => [
      ev('udp-console#1', 'sendto', { proto: 'udp', payload: text }),
      ev('udp-console#1', 'recvfrom', { proto: 'udp', payload: text.toUpperCase() }),
    ]
    const r = check([...udp('a'), ...udp('b')], { count: 2, proto: 'udp', replyIs: 'upper' })
    expect(r.passed).toBe(true)
    expect(r.reason).toBe('2 round trips by udp-console#1: round trip 2 sent "b" and got "B".')
  })

  it('an echo is not the uppercase service: the reason shows both texts', () => {
    expect(check(ask('hello', 'hello'), { replyIs: 'upper' })).toMatchObject({
      passed: false,
      reason:
        'No round trip yet. A reply did not count: sent "hello" and got "hello", not the same text in capitals.',
    })
    expect(check(ask('hello', 'HELLO'), { replyIs: 'same' })).toMatchObject({
      passed: false,
      reason:
        'No round trip yet. A reply did not count: sent "hello" and got "HELLO", not the same text back.',
    })
    expect(check(ask('hello', 'hello'), { replyIs: 'same' }).passed).toBe(true)
  })

  it('a reply must match the reply pattern, and a request the request pattern', () => {
    expect(check(ask('PING', 'PONG!'), { reply: 'PONG' })).toMatchObject({
      passed: false,
      reason: 'No round trip yet. A reply did not count: sent "PING" and got "PONG!", not "PONG".',
    })
    expect(check(ask('PONG', 'PONG'), { request: 'PING', reply: 'PONG' })).toMatchObject({
      passed: false,
      reason: 'No round trip yet: a client has to send a message and get its reply.',
    })
    expect(check(ask('PING', 'PONG'), { request: 'PING', reply: 'PONG' }).passed).toBe(true)
  })

  it('a reply after a mismatch still counts toward the best run, and the miss is told', () => {
    const trace = [...ask('a', 'A'), ...ask('b', 'b')]
    expect(check(trace, { count: 2, replyIs: 'upper' })).toMatchObject({
      passed: false,
      reason:
        'Best so far: 1 of 2 round trips on one connection. A reply did not count: sent "b" and got "b", not the same text in capitals.',
    })
  })

  it('a greeting before anything was sent is no reply, and one reply answers one request', () => {
    const trace = [
      ev(CON, 'recv', { conn: CONN, payload: 'HELLO' }),
      ev(CON, 'send', { conn: CONN, payload: 'hello' }),
      ev(CON, 'recv', { conn: CONN, payload: 'HELLO' }),
      ev(CON, 'recv', { conn: CONN, payload: 'HELLO' }),
    ]
    const r = check(trace, { count: 2, replyIs: 'upper' })
    expect(r).toMatchObject({
      passed: false,
      reason: 'Best so far: 1 of 2 round trips on one connection.',
    })
    expect(check(trace, { replyIs: 'upper' }).evidence).toEqual([2, 3])
  })

  it('says so when a message waits for its reply', () => {
    const trace = [ev(CON, 'send', { conn: CONN, payload: 'hello' })]
    expect(check(trace).reason).toBe('A message was sent but no reply has come back yet.')
  })

  it('only the client selected counts, in the protocol asked for', () => {
    const server = [
      ev(UP, 'recv', { conn: CONN, payload: 'hello' }),
      ev(UP, 'send', { conn: CONN, payload: 'HELLO' }),
    ]
    // The server receives before it sends: seen from the server, nothing was asked.
    expect(check(server).passed).toBe(false)
    expect(check(server, { client: 'server' }).reason).toBe(
      'A message was sent but no reply has come back yet.',
    )
    expect(check(ask('a', 'A'), { client: 'udp-console' }).reason).toBe(
      'No round trip yet: a udp-console has to send a message and get its reply.',
    )
    expect(check(ask('a', 'A'), { proto: 'udp' }).passed).toBe(false)
    expect(check(ask('a', 'A'), { proto: 'tcp' }).passed).toBe(true)
    // Other calls of the client (connect, close, note) are neither requests nor replies.
    const trace = [
      ev(CON, 'send', { conn: CONN, payload: 'a' }),
      ev(CON, 'note', { conn: CONN, payload: 'a' }),
      ev(CON, 'close', { conn: CONN, payload: 'A' }),
    ]
    expect(check(trace).reason).toBe('A message was sent but no reply has come back yet.')
  })

  it('with a server named, the client must have talked to an address that server listens on', () => {
    const elsewhere = [
      listen(),
      ev(CON, 'send', { conn: 'c', remote: '127.0.0.1:9999', payload: 'a' }),
      ev(CON, 'recv', { conn: 'c', remote: '127.0.0.1:9999', payload: 'A' }),
    ]
    expect(check(elsewhere, { server: 'upper-tcp-server' })).toMatchObject({
      passed: false,
      reason:
        'No round trip yet: a client has to send a message to the upper-tcp-server and get its reply.',
    })
    expect(check([listen(), ...ask('a', 'A')], { server: 'upper-tcp-server' }).passed).toBe(true)
    // The address must be the named server's, not any server's.
    const other = [ev('udp-server#1', 'bind', { local: SERVER }), ...ask('a', 'A')]
    expect(check(other, { server: 'upper-tcp-server' }).passed).toBe(false)
    expect(check(other, { server: 'server' }).passed).toBe(true)
  })
})
