import { beforeEach, describe, expect, it } from 'vitest'
import type { TraceEvent } from '@shared/trace'
import { checkRule, traceBuilder } from '../trace-builder'

const { ev, reset } = traceBuilder()
beforeEach(reset)

const S = 'greeting-server#1'
const C = 'tcp-console#1'
const GREETING = 'Thank you for connecting\\r\\n'

describe('saw-eof', () => {
  const check = (trace: TraceEvent[], params: object = {}) => checkRule('saw-eof', trace, params)

  it('passes on end-of-stream followed by a close of that connection', () => {
    const trace = [ev(S, 'eof', { conn: 'a' }), ev(S, 'close', { conn: 'a' })]
    expect(check(trace)).toEqual({
      id: 'x',
      passed: true,
      reason: `${S} saw end-of-stream and closed the connection.`,
      evidence: [1, 2],
    })
  })

  it('end-of-stream without the close is not enough, unless the rule says so', () => {
    const trace = [
      ev(S, 'close', { conn: 'a' }),
      ev(S, 'eof', { conn: 'a' }),
      ev(S, 'close', { conn: 'b' }),
      ev('greeting-server#2', 'close', { conn: 'a' }),
    ]
    expect(check(trace)).toMatchObject({
      passed: false,
      reason: 'The server saw end-of-stream but has not closed that connection yet.',
    })
    expect(check(trace, { thenClose: false })).toMatchObject({
      passed: true,
      reason: `${S} saw end-of-stream.`,
      evidence: [2],
    })
  })

  it('a later connection may still prove it', () => {
    const trace = [
      ev(S, 'eof', { conn: 'a' }),
      ev(S, 'eof', { conn: 'b' }),
      ev(S, 'close', { conn: 'b' }),
    ]
    expect(check(trace).evidence).toEqual([2, 3])
  })

  it("only the selected actor's TCP end-of-stream counts", () => {
    const trace = [
      ev(C, 'eof', { conn: 'a' }),
      ev(C, 'close', { conn: 'a' }),
      ev(S, 'eof', { conn: 'b', proto: 'udp' }),
      ev(S, 'note', { conn: 'b' }),
    ]
    expect(check(trace)).toMatchObject({
      passed: false,
      reason: 'No server has seen end-of-stream yet: the other end has to close its connection.',
    })
    expect(check(trace, { actor: 'tcp-console' }).passed).toBe(true)
    expect(check(trace, { actor: 'upper-tcp-server' }).reason).toBe(
      'No upper-tcp-server has seen end-of-stream yet: the other end has to close its connection.',
    )
  })
})

describe('greeted', () => {
  const check = (trace: TraceEvent[], params: object = {}) =>
    checkRule('greeted', trace, { greeting: { exact: GREETING }, ...params })
  const connect = (conn: string, actor = C) => ev(actor, 'connect', { conn })

  it('passes when the first bytes on a new connection are the greeting', () => {
    const trace = [connect('a'), ev(C, 'recv', { conn: 'a', payload: GREETING })]
    expect(check(trace)).toEqual({
      id: 'x',
      passed: true,
      reason: `1 connection was greeted with "${GREETING}".`,
      evidence: [2],
    })
  })

  it('the wrong line ending is not the greeting, and the reason shows the bytes', () => {
    const trace = [
      connect('a'),
      ev(C, 'recv', { conn: 'a', payload: 'Thank you for connecting\\n' }),
    ]
    expect(check(trace)).toMatchObject({
      passed: false,
      reason: `No connection has been greeted yet: connect a client and wait before sending. On one connection the first bytes were "Thank you for connecting\\n", not "${GREETING}".`,
    })
  })

  it('a reply to something the client sent first is no greeting', () => {
    const trace = [
      connect('a'),
      ev(C, 'send', { conn: 'a', payload: 'hi' }),
      ev(C, 'recv', { conn: 'a', payload: GREETING }),
    ]
    expect(check(trace).reason).toBe(
      'No connection has been greeted yet: connect a client and wait before sending.',
    )
  })

  it('counts connections, not receives', () => {
    const trace = [
      connect('a'),
      ev(C, 'recv', { conn: 'a', payload: GREETING }),
      ev(C, 'recv', { conn: 'a', payload: GREETING }),
      connect('b', 'tcp-console#2'),
      ev('tcp-console#2', 'recv', { conn: 'b', payload: 'HELLO' }),
    ]
    expect(check(trace, { count: 2 })).toMatchObject({
      passed: false,
      reason:
        '1 of 2 connections greeted so far. On one connection the first bytes were "HELLO", not "Thank you for connecting\\r\\n".',
    })
    trace.push(
      connect('c', 'tcp-console#3'),
      ev('tcp-console#3', 'recv', { conn: 'c', payload: GREETING }),
    )
    expect(check(trace, { count: 2 })).toMatchObject({
      passed: true,
      reason: `2 connections were greeted with "${GREETING}".`,
      evidence: [2, 7],
    })
  })

  it('only TCP connections of the selected client count', () => {
    const trace = [
      ev(C, 'recvfrom', { conn: 'a', proto: 'udp', payload: GREETING }),
      ev(C, 'recv', { payload: GREETING }),
      ev(S, 'recv', { conn: 'b', payload: GREETING }),
    ]
    expect(check(trace).passed).toBe(false)
    expect(check(trace, { client: 'server' }).passed).toBe(true)
    expect(
      check([ev(C, 'recv', { conn: 'a', payload: GREETING })], { client: 'mc-client' }).reason,
    ).toBe('No connection has been greeted yet: connect a mc-client and wait before sending.')
  })
})
