import { beforeEach, describe, expect, it } from 'vitest'
import type { TraceEvent } from '@shared/trace'
import { checkRule, traceBuilder } from '../trace-builder'

const { ev, reset } = traceBuilder()
beforeEach(reset)

const L = 'lossy-server#1'
/** One request to `actor`, then its reply sent or dropped. */
const req = (dropped: boolean, actor = L) => [
  ev(actor, 'recvfrom', { proto: 'udp', payload: 'PING' }),
  dropped
    ? ev(actor, 'drop', { proto: 'udp', payload: 'PONG', tag: 'lost' })
    : ev(actor, 'sendto', { proto: 'udp', payload: 'PONG' }),
]
const run = (pattern: string, actor = L) => [...pattern].flatMap((c) => req(c === 'x', actor))
const check = (trace: TraceEvent[], params: object) => checkRule('drops-within', trace, params)

describe('drops-within', () => {
  it('passes when the drops among the first requests are within bounds', () => {
    expect(check(run('.x.x.'), { requests: 5, min: 1, max: 3 })).toEqual({
      id: 'x',
      passed: true,
      reason: `${L} dropped 2 of the replies to its first 5 requests (1 to 3 wanted).`,
      evidence: [4, 8, 9],
    })
  })

  it('too many or too few drops do not pass, and the bounds are told', () => {
    expect(check(run('xxxx.'), { requests: 5, min: 1, max: 3 })).toMatchObject({
      passed: false,
      reason:
        '4 of 5 replies were dropped; this checkpoint wants 1 to 3: change the drop setting and run again.',
    })
    expect(check(run('.....'), { requests: 5 })).toMatchObject({
      passed: false,
      reason:
        '0 of 5 replies were dropped; this checkpoint wants 1 to 5: change the drop setting and run again.',
    })
    expect(check(run('xx...'), { requests: 5, min: 1, max: 1 }).reason).toBe(
      '2 of 5 replies were dropped; this checkpoint wants 1: change the drop setting and run again.',
    )
    expect(check(run('x....'), { requests: 5, min: 1, max: 1 }).passed).toBe(true)
    expect(check(run('.....'), { requests: 5, min: 0, max: 0 }).passed).toBe(true)
  })

  it('drops after the counted requests are not counted; a later request ends the count', () => {
    expect(check(run('x.xxx'), { requests: 2, min: 1, max: 1 }).passed).toBe(true)
    // The drop before the first request belongs to no counted request.
    const early = [ev(L, 'drop', { proto: 'udp' }), ...run('..')]
    expect(check(early, { requests: 2 }).reason).toBe(
      '0 of 2 replies were dropped; this checkpoint wants 1 to 2: change the drop setting and run again.',
    )
  })

  it('needs the whole number of requests in one run', () => {
    const trace = [...run('x.'), ...run('xx', 'lossy-server#2')]
    expect(check(trace, { requests: 3 })).toMatchObject({
      passed: false,
      reason: 'Best run so far: 2 of 3 requests received (1 replies dropped).',
    })
    expect(check(run('x.'), { requests: 3, actor: 'udp-relay' }).reason).toBe(
      'No udp-relay has received a request yet.',
    )
    expect(check([ev(L, 'drop', { proto: 'udp' })], { requests: 1 }).reason).toBe(
      'Best run so far: 0 of 1 requests received (0 replies dropped).',
    )
  })

  it('keeps the run that got furthest for its reason', () => {
    const trace = [...run('x', 'lossy-server#2'), ...run('xx.'), ...run('x.', 'lossy-server#3')]
    expect(check(trace, { requests: 4 }).reason).toBe(
      'Best run so far: 3 of 4 requests received (2 replies dropped).',
    )
  })

  it('max must not be below min', async () => {
    const { ruleParamsSchema } = await import('../../../../src/main/checkpoints')
    const r = ruleParamsSchema('drops-within')!.safeParse({ requests: 5, min: 3, max: 2 })
    expect(r.error!.issues).toMatchObject([{ path: ['max'], message: 'must be at least min' }])
    expect(
      ruleParamsSchema('drops-within')!.safeParse({ requests: 5, min: 3, max: 3 }).success,
    ).toBe(true)
  })
})
