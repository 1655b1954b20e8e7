import { z } from 'zod'
import type { TraceEvent } from '@shared/trace'
import { groupBy, notYet, pass } from '../rule'
import { ActorSelectorSchema, countOf, RECEIVE_OPS, SEND_OPS, selects } from './params'
import { typedRule } from './typed-rule'

const params = z
  .strictObject({
    /** The actor that drops (a lossy server, a relay). */
    actor: ActorSelectorSchema.default('server'),
    /** How many requests it must have received: drops are counted among their replies. */
    requests: countOf(1),
    min: countOf(0).default(1),
    max: countOf(0).optional(),
    /**
     * Drops are requests left unanswered (no send before the next request), not `drop`
     * events: what a program that only makes socket calls, the student's, shows of a drop.
     */
    unanswered: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .refine((p) => p.max === undefined || p.max >= p.min, {
    message: 'must be at least min',
    path: ['max'],
  })

/**
 * Loss within bounds: one actor run received `requests` requests and dropped between `min`
 * and `max` of their replies (drops after that are another experiment's).
 */
export const dropsWithin = typedRule({
  kind: 'drops-within',
  params,
  evaluate(trace, p) {
    const max = p.max ?? p.requests
    const bounds = p.min === max ? `${p.min}` : `${p.min} to ${max}`
    let closest: { requests: number; drops: number } | undefined
    const runs = groupBy(trace, (e) => (selects(p.actor, e) ? e.actor : undefined))
    for (const [actor, run] of runs) {
      let requests = 0
      const drops: TraceEvent[] = []
      let last: TraceEvent | undefined
      /** Unanswered mode: the latest request, until a send answers it. */
      let waiting: TraceEvent | undefined
      for (const e of run) {
        if (RECEIVE_OPS.includes(e.op)) {
          // A new request settles the one before: no reply came in between.
          if (waiting) drops.push(waiting)
          waiting = undefined
          // The (requests + 1)-th request starts what this rule no longer counts.
          if (requests === p.requests) break
          requests++
          last = e
          if (p.unanswered) waiting = e
        } else if (p.unanswered && SEND_OPS.includes(e.op)) {
          waiting = undefined
        } else if (requests > 0 && !p.unanswered && e.op === 'drop') {
          drops.push(e)
        }
      }
      // Unanswered mode: the last request counts once settled (answered, or another came).
      const settled = waiting === undefined
      if (requests === p.requests && settled && drops.length >= p.min && drops.length <= max) {
        return pass(
          `${actor} dropped ${drops.length} of the replies to its first ${p.requests} requests (${bounds} wanted).`,
          // The last request counted, unless it is a drop already cited.
          drops.at(-1) === last ? drops : [...drops, last!],
        )
      }
      if (!closest || requests > closest.requests) closest = { requests, drops: drops.length }
    }
    if (!closest) return notYet(`No ${p.actor} has received a request yet.`)
    if (closest.requests < p.requests) {
      return notYet(
        `Best run so far: ${closest.requests} of ${p.requests} requests received (${closest.drops} replies dropped).`,
      )
    }
    return notYet(
      `${closest.drops} of ${p.requests} replies were dropped; this checkpoint wants ${bounds}: change the drop setting and run again.`,
    )
  },
})
