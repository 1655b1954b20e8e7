import { z } from 'zod'
import type { TraceEvent } from '@shared/trace'
import { groupBy, notYet, pass } from '../rule'
import {
  ActorSelectorSchema,
  OptionalProtoSchema,
  payloadMatcher,
  PayloadPatternSchema,
  RECEIVE_OPS,
  selects,
  SEND_OPS,
} from './params'
import { typedRule } from './typed-rule'

const StepSchema = z.union(
  [
    z.strictObject({ send: PayloadPatternSchema }),
    z.strictObject({ expect: PayloadPatternSchema }),
  ],
  { error: 'must be { send: … } or { expect: … }' },
)

const params = z.strictObject({
  actor: ActorSelectorSchema.default('client'),
  proto: OptionalProtoSchema,
  /** What the actor sends and what it must receive next, in order. */
  steps: z.array(StepSchema).min(1, 'must list at least one send or expect'),
})

/**
 * A send/expect script: on one connection (or one UDP socket) the actor's sends and receives
 * follow the steps one after another. A send or a receive that differs starts the script over.
 */
export const exchange = typedRule({
  kind: 'exchange',
  params,
  evaluate(trace, p) {
    const steps = p.steps.map((s) =>
      'send' in s
        ? { sends: true, matcher: payloadMatcher(s.send) }
        : { sends: false, matcher: payloadMatcher(s.expect) },
    )
    const mine = (e: TraceEvent) =>
      selects(p.actor, e) &&
      (p.proto === undefined || e.proto === p.proto) &&
      (SEND_OPS.includes(e.op) || RECEIVE_OPS.includes(e.op))
    let furthest = 0
    let stuck: string | undefined
    for (const run of groupBy(trace, (e) =>
      mine(e) ? `${e.actor} ${e.conn}` : undefined,
    ).values()) {
      let proof: TraceEvent[] = []
      for (const e of run) {
        const sends = SEND_OPS.includes(e.op)
        const step = steps[proof.length]!
        if (step.sends === sends && step.matcher.match(e.payload) !== undefined) {
          proof.push(e)
          if (proof.length === steps.length) {
            return pass(`${e.actor} went through all ${steps.length} steps of the exchange.`, proof)
          }
          continue
        }
        if (proof.length >= furthest) {
          furthest = proof.length
          stuck = `${sends ? 'sent' : 'got'} "${e.payload ?? ''}" where step ${proof.length + 1} ${step.sends ? 'sends' : 'expects'} ${step.matcher.shown}`
        }
        // Start over; this event may itself be the first step.
        const first = steps[0]!
        proof = first.sends === sends && first.matcher.match(e.payload) !== undefined ? [e] : []
      }
      if (proof.length > furthest) {
        furthest = proof.length
        stuck = undefined
      }
    }
    const first = steps[0]!
    if (furthest === 0) {
      return notYet(
        `The exchange has not started: a ${p.actor} has to ${first.sends ? 'send' : 'receive'} ${first.matcher.shown} first.`,
      )
    }
    return notYet(`Got as far as step ${furthest} of ${steps.length}${stuck ? `: ${stuck}` : ''}.`)
  },
})
