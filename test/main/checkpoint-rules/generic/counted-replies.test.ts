import { beforeEach, describe, expect, it } from 'vitest'
import type { TraceEvent } from '@shared/trace'
import { checkRule, traceBuilder } from '../trace-builder'

const { ev, reset } = traceBuilder()
beforeEach(reset)

const C1 = 'counter-client#1'
const C2 = 'counter-client#2'
const got = (actor: string, payload: string, op: TraceEvent['op'] = 'recvfrom') =>
  ev(actor, op, { proto: 'udp', payload })
const check = (trace: TraceEvent[], params: object) => checkRule('counted-replies', trace, params)
const numbered = { reply: 'PONG #{n}', count: 3 }

describe('counted-replies', () => {
  it('passes on count numbered replies in order, with them as evidence', () => {
    const trace = [got(C1, 'PONG #1'), got(C1, 'other'), got(C1, 'PONG #2'), got(C1, 'PONG #3')]
    expect(check(trace, numbered)).toEqual({
      id: 'x',
      passed: true,
      reason: `${C1} received 3 replies like "PONG #{n}", in order.`,
      evidence: [1, 3, 4],
    })
  })

  it('a reply out of turn spoils the run, and the reason names it', () => {
    const trace = [got(C1, 'PONG #1'), got(C1, 'PONG #3'), got(C1, 'PONG #4'), got(C1, 'PONG #5')]
    expect(check(trace, numbered)).toMatchObject({
      passed: false,
      reason: `Best run so far: 1 of 3 replies like "PONG #{n}". One run did not count: ${C1} got "PONG #3" where number 2 was due.`,
    })
    // Starting anywhere but 1 is out of turn too.
    reset()
    expect(check([got(C1, 'PONG #2')], numbered).reason).toBe(
      `Best run so far: 0 of 3 replies like "PONG #{n}". One run did not count: ${C1} got "PONG #2" where number 1 was due.`,
    )
  })

  it('replies to two clients are two runs, never summed', () => {
    const trace = [got(C1, 'PONG #1'), got(C2, 'PONG #1'), got(C1, 'PONG #2'), got(C2, 'PONG #2')]
    expect(check(trace, numbered)).toMatchObject({
      passed: false,
      reason: 'Best run so far: 2 of 3 replies like "PONG #{n}".',
    })
  })

  it('without {n} it counts matching replies in any order', () => {
    const trace = [got(C1, 'PONG'), got(C1, 'PING'), got(C1, 'PONG\\n')]
    expect(check(trace, { reply: 'PONG', count: 2 })).toMatchObject({
      passed: true,
      reason: `${C1} received 2 replies like "PONG".`,
      evidence: [1, 3],
    })
    expect(check(trace, { reply: 'PONG', count: 3 }).reason).toBe(
      'Best run so far: 2 of 3 replies like "PONG".',
    )
  })

  it('says when nothing like the reply has arrived; sends and other actors do not count', () => {
    const trace = [
      got(C1, 'PONG #1', 'sendto'),
      got('counter-server#1', 'PONG #1'),
      got(C1, 'PONG #1', 'note'),
    ]
    expect(check(trace, numbered)).toMatchObject({
      passed: false,
      reason: 'No client has received a reply like "PONG #{n}" yet.',
    })
    expect(check(trace, { ...numbered, actor: 'counter-client' }).reason).toBe(
      'No counter-client has received a reply like "PONG #{n}" yet.',
    )
  })

  it('reads TCP recv() too, and keeps to the protocol asked for', () => {
    const tcp = [ev(C1, 'recv', { payload: 'PONG #1' })]
    expect(check(tcp, { reply: 'PONG #{n}', count: 1 }).passed).toBe(true)
    expect(check(tcp, { reply: 'PONG #{n}', count: 1, proto: 'udp' }).passed).toBe(false)
    expect(check(tcp, { reply: 'PONG #{n}', count: 1, proto: 'tcp' }).passed).toBe(true)
  })
})
