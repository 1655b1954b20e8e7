import { beforeEach, describe, expect, it } from 'vitest'
import type { TraceEvent } from '@shared/trace'
import { checkRule, traceBuilder } from '../trace-builder'

const { ev, reset } = traceBuilder()
beforeEach(reset)

const S = 'greeting-server#1'
const accept = (c: string, s = S) => ev(s, 'accept', { conn: c })
const greet = (c: string, s = S) =>
  ev(s, 'send', { conn: c, payload: 'Thank you for connecting\\r\\n' })
const serve = (c: string, s = S) => [
  ev(s, 'recv', { conn: c, payload: 'hi' }),
  ev(s, 'send', { conn: c, payload: 'HI' }),
]
const close = (c: string, s = S) => ev(s, 'close', { conn: c })
const check = (trace: TraceEvent[], params: object = {}) =>
  checkRule('served-together', trace, params)

describe('served-together', () => {
  it('passes when two clients were connected at once and each had a message answered', () => {
    const trace = [accept('a'), greet('a'), accept('b'), ...serve('b'), ...serve('a'), close('a')]
    expect(check(trace)).toEqual({
      id: 'x',
      passed: true,
      reason: `${S} had 2 clients connected at once and answered each of them.`,
      evidence: [1, 7, 3, 5],
    })
  })

  it('one after another is not at once', () => {
    const trace = [accept('a'), ...serve('a'), close('a'), accept('b'), ...serve('b')]
    expect(check(trace)).toMatchObject({
      passed: false,
      reason: `At most 1 of 2 clients were connected to one server at the same moment: connect the next before closing the first.`,
    })
  })

  it('a greeting is not an answer: each client must have sent something and had a reply', () => {
    const trace = [accept('a'), greet('a'), accept('b'), greet('b'), ...serve('a')]
    expect(check(trace)).toMatchObject({
      passed: false,
      reason:
        '2 clients were connected at once, but not each has had a message answered yet: send from every one.',
    })
    // A message received and not answered is not served either.
    reset()
    const asked = [accept('a'), accept('b'), ...serve('a'), ev(S, 'recv', { conn: 'b' })]
    expect(check(asked).passed).toBe(false)
  })

  it('an answer may come after the overlap, but not after the close', () => {
    const trace = [
      accept('a'),
      accept('b'),
      close('b'),
      ev(S, 'recv', { conn: 'b' }),
      ev(S, 'send', { conn: 'b' }),
      ...serve('a'),
    ]
    expect(check(trace).passed).toBe(false)
  })

  it('two servers with one client each are not one server with two', () => {
    const T = 'greeting-server#2'
    const trace = [accept('a'), accept('b', T), ...serve('a'), ...serve('b', T)]
    expect(check(trace).reason).toBe(
      'At most 1 of 2 clients were connected to one server at the same moment: connect the next before closing the first.',
    )
  })

  it('counts up to the number asked for, on the server asked for, over TCP only', () => {
    const trace = [accept('a'), accept('b'), ...serve('a'), ...serve('b')]
    expect(check(trace, { count: 3 }).passed).toBe(false)
    expect(check(trace, { server: 'upper-tcp-server' }).reason).toBe(
      'No client has connected to a upper-tcp-server yet.',
    )
    expect(check(trace, { server: 'greeting-server' }).passed).toBe(true)
    reset()
    const udp = [
      ev(S, 'accept', { conn: 'a', proto: 'udp' }),
      ev(S, 'accept', { conn: 'b', proto: 'udp' }),
    ]
    expect(check(udp).reason).toBe('No client has connected to a server yet.')
  })

  it('ignores events without a connection and connections never accepted', () => {
    const trace = [ev(S, 'accept'), accept('a'), ...serve('z'), ev(S, 'recv'), ...serve('a')]
    expect(check(trace).reason).toBe(
      'At most 1 of 2 clients were connected to one server at the same moment: connect the next before closing the first.',
    )
  })

  it('a connection closed just as the next is accepted was not open with it', () => {
    const trace = [accept('a'), ...serve('a'), close('a'), accept('b'), ...serve('b')]
    expect(check(trace).passed).toBe(false)
    reset()
    const together = [accept('a'), ...serve('a'), accept('b'), close('a'), ...serve('b')]
    expect(check(together).passed).toBe(true)
  })
})
