import { beforeEach, describe, expect, it } from 'vitest'
import { ruleParamsSchema } from '../../../../src/main/checkpoints'
import { payloadMatcher, upperPreview } from '../../../../src/main/checkpoints/generic/params'
import { checkRule, traceBuilder } from '../trace-builder'

/** The corners of the generic rules: missing payloads, interleaved calls, ties, set-up slips. */
const { ev, reset } = traceBuilder()
beforeEach(reset)

const C = 'tcp-console#1'
const S = 'greeting-server#1'
const messageOf = (kind: string, params: object) =>
  ruleParamsSchema(kind)!.safeParse(params).error?.issues[0]?.message

describe('parameter words', () => {
  it('says what a count, a relation and a switch must be', () => {
    expect(messageOf('round-trips', { count: 'three' })).toBe('must be a whole number')
    expect(messageOf('round-trips', { count: 1.5 })).toBe('must be a whole number')
    expect(messageOf('round-trips', { replyIs: 'lower' })).toBe(
      'must be "same" (an echo) or "upper" (the request in capitals)',
    )
    expect(messageOf('saw-eof', { thenClose: 'yes' })).toBe('must be true or false')
    expect(messageOf('round-trips', { client: 'Tcp Console' })).toBe(
      'must name a role (client, server, relay) or an actor kind',
    )
  })

  it('a rule given bad parameters in code never passes, and says it is set up wrongly', () => {
    const trace = [
      ev(C, 'send', { conn: 'a', payload: 'a' }),
      ev(C, 'recv', { conn: 'a', payload: 'A' }),
    ]
    expect(checkRule('round-trips', trace, { count: 0 })).toMatchObject({
      passed: false,
      reason: "This checkpoint's rule is set up wrongly (round-trips): ask your teacher.",
      evidence: [],
    })
  })

  it('a regex never matches a missing payload; a written-out hex byte keeps its letters', () => {
    expect(payloadMatcher({ regex: 'undefined' }).match(undefined)).toBeUndefined()
    expect(payloadMatcher({ regex: 'undefined' }).match('undefined')).toBeNaN()
    expect(upperPreview('\\x1bc')).toBe('\\x1bC')
  })
})

describe('round-trips with calls that carry no payload', () => {
  it('an empty request and an empty reply are the same text', () => {
    const trace = [ev(C, 'send', { conn: 'a' }), ev(C, 'recv', { conn: 'a' })]
    expect(checkRule('round-trips', trace, { replyIs: 'same' }).reason).toBe(
      '1 round trips by tcp-console#1 on a: round trip 1 sent "" and got "".',
    )
    reset()
    const miss = [ev(C, 'send', { conn: 'a' }), ev(C, 'recv', { conn: 'a', payload: 'X' })]
    expect(checkRule('round-trips', miss, { replyIs: 'same' }).reason).toBe(
      'No round trip yet. A reply did not count: sent "" and got "X", not the same text back.',
    )
    reset()
    const none = [ev(C, 'send', { conn: 'a', payload: 'x' }), ev(C, 'recv', { conn: 'a' })]
    expect(checkRule('round-trips', none, { replyIs: 'same' }).reason).toBe(
      'No round trip yet. A reply did not count: sent "x" and got "", not the same text back.',
    )
  })
})

describe('exchange corners', () => {
  const steps = [{ send: 'A' }, { expect: 'B' }]
  const check = (trace: Parameters<typeof checkRule>[1], params: object = { steps }) =>
    checkRule('exchange', trace, params)

  it('a send is not a receive, even with the expected text', () => {
    expect(check([ev(C, 'send', { payload: 'A' }), ev(C, 'send', { payload: 'B' })]).passed).toBe(
      false,
    )
  })

  it('a miss starts over only from a call that is the first step', () => {
    const trace = [
      ev(C, 'send', { payload: 'A' }),
      ev(C, 'send', { payload: 'X' }),
      ev(C, 'recv', { payload: 'B' }),
    ]
    expect(check(trace)).toMatchObject({
      passed: false,
      reason: 'Got as far as step 1 of 2: sent "X" where step 2 expects "B".',
    })
  })

  it('starting over, the first step must match in direction too', () => {
    const trace = [
      ev(C, 'send', { payload: 'A' }),
      ev(C, 'recv', { payload: 'A' }),
      ev(C, 'recv', { payload: 'B' }),
    ]
    expect(check(trace).passed).toBe(false)
  })

  it('calls that neither send nor receive do not break the script', () => {
    const trace = [
      ev(C, 'send', { payload: 'A' }),
      ev(C, 'note', { payload: 'X' }),
      ev(C, 'recv', { payload: 'B' }),
    ]
    expect(check(trace).passed).toBe(true)
    expect(check(trace, { steps, proto: 'tcp' }).passed).toBe(true)
  })

  it('of two misses at the same step the later is told; a run merely unfinished does not hide it', () => {
    const trace = [
      ev(C, 'send', { conn: 'a', payload: 'A' }),
      ev(C, 'recv', { conn: 'a', payload: 'X' }),
      ev(C, 'send', { conn: 'b', payload: 'A' }),
      ev(C, 'recv', { conn: 'b' }),
      ev(C, 'send', { conn: 'c', payload: 'A' }),
    ]
    expect(check(trace).reason).toBe('Got as far as step 1 of 2: got "" where step 2 expects "B".')
  })
})

describe('greeted corners', () => {
  const check = (trace: Parameters<typeof checkRule>[1], params: object = {}) =>
    checkRule('greeted', trace, { greeting: 'Hi', ...params })

  it('a connection with nothing sent or received yet is neither greeted nor a miss', () => {
    expect(check([ev(C, 'connect', { conn: 'a' })]).reason).toBe(
      'No connection has been greeted yet: connect a client and wait before sending.',
    )
  })

  it('an empty first receive is a miss, and UDP is never a greeting', () => {
    expect(check([ev(C, 'recv', { conn: 'a' })]).reason).toBe(
      'No connection has been greeted yet: connect a client and wait before sending. On one connection the first bytes were "", not "Hi".',
    )
    reset()
    expect(check([ev(C, 'recv', { conn: 'a', proto: 'udp', payload: 'Hi' })]).passed).toBe(false)
  })

  it('the evidence is the first count greetings', () => {
    const trace = ['a', 'b', 'c'].map((conn) => ev(C, 'recv', { conn, payload: 'Hi' }))
    expect(check(trace, { count: 2 })).toMatchObject({
      passed: true,
      reason: '3 connections were greeted with "Hi".',
      evidence: [1, 2],
    })
  })
})

describe('served-together and saw-eof corners', () => {
  it('the largest overlap counts, not the last one', () => {
    const serve = (c: string) => [
      ev(S, 'recv', { conn: c, payload: 'x' }),
      ev(S, 'send', { conn: c, payload: 'X' }),
    ]
    const trace = [
      ev(S, 'accept', { conn: 'a' }),
      ev(S, 'accept', { conn: 'b' }),
      ...serve('a'),
      ...serve('b'),
      ev(S, 'close', { conn: 'a' }),
      ev(S, 'close', { conn: 'b' }),
      ev(S, 'accept', { conn: 'c' }),
    ]
    expect(checkRule('served-together', trace).passed).toBe(true)
  })

  it('only a close of that connection, by that actor, follows end-of-stream', () => {
    const trace = [
      ev(S, 'close', { conn: 'a' }),
      ev(S, 'eof', { conn: 'a' }),
      ev(S, 'note', { conn: 'a' }),
      ev(S, 'close', { conn: 'b' }),
    ]
    expect(checkRule('saw-eof', trace).passed).toBe(false)
  })
})
