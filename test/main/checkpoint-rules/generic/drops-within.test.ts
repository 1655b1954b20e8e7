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

describe('drops-within, unanswered: a program that only makes socket calls', () => {
  const S = 'your lossy_server.py'
  const student = (op: TraceEvent['op']) =>
    ev(S, op, {
      actorKind: 'student-program',
      role: 'server',
      proto: 'udp',
      payload: op === 'recvfrom' ? 'PING' : 'PONG',
    })
  /** `.` a PING answered, `x` a PING left unanswered (the student's drop prints, sends nothing). */
  const serve = (pattern: string) =>
    [...pattern].flatMap((c) =>
      c === 'x' ? [student('recvfrom')] : [student('recvfrom'), student('sendto')],
    )
  const params = { actor: 'student-program', requests: 4, min: 1, max: 3, unanswered: true }

  it('a request with no send before the next one is a drop', () => {
    const trace = serve('.x.x.')
    const r = check(trace, params)
    expect(r).toMatchObject({
      passed: true,
      reason: `${S} dropped 2 of the replies to its first 4 requests (1 to 3 wanted).`,
    })
    // The evidence: the two unanswered requests (the second is also the last one counted).
    expect(r.evidence).toEqual([trace[2]!.seq, trace[5]!.seq])
    // Three drops, the last of them the last request: each cited once.
    const three = serve('x.xxx')
    expect(check(three, params).evidence).toEqual([three[0]!.seq, three[3]!.seq, three[4]!.seq])
    // With the last request answered, it is cited after the drops.
    const answered = serve('x...')
    expect(check(answered, params).evidence).toEqual([answered[0]!.seq, answered[5]!.seq])
  })

  it('the last counted request must be settled: answered, or followed by another', () => {
    // Four requests, the fourth not answered yet: it may still be.
    expect(check(serve('..x').concat(student('recvfrom')), params)).toMatchObject({
      passed: false,
    })
    expect(check(serve('..xx'), params).passed).toBe(false)
    // Its reply comes: settled, one drop.
    expect(check(serve('..x.'), params).passed).toBe(true)
    // A fifth request settles a fourth left unanswered: two drops.
    expect(check(serve('..xxx'), params).reason).toBe(
      `${S} dropped 2 of the replies to its first 4 requests (1 to 3 wanted).`,
    )
  })

  it('a server that answers everything, or drops everything, does not pass', () => {
    expect(check(serve('.....'), params).reason).toBe(
      '0 of 4 replies were dropped; this checkpoint wants 1 to 3: change the drop setting and run again.',
    )
    expect(check(serve('xxxxx'), params).reason).toBe(
      '4 of 4 replies were dropped; this checkpoint wants 1 to 3: change the drop setting and run again.',
    )
  })

  it('drop events are not what it counts, and without it unanswered requests are not drops', () => {
    // The app's lossy server marks drops; counted as unanswered requests, not twice.
    expect(check(run('.x..x'), { requests: 4, min: 1, max: 1, unanswered: true }).passed).toBe(true)
    // Without unanswered, a silent program has dropped nothing.
    expect(check(serve('.x.x.'), { ...params, unanswered: false }).reason).toMatch(
      /^0 of 4 replies were dropped/,
    )
  })

  it('says it wants true or false', async () => {
    const { dropsWithin } = await import('../../../../src/main/checkpoints/generic/drops-within')
    const parsed = dropsWithin.params!.safeParse({ requests: 2, unanswered: 'yes' })
    expect(parsed.error?.issues[0]?.message).toBe('must be true or false')
  })
})
