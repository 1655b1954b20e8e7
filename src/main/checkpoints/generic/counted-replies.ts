import { z } from 'zod'
import type { TraceEvent } from '@shared/trace'
import { groupBy, notYet, pass } from '../rule'
import {
  ActorSelectorSchema,
  countOf,
  OptionalProtoSchema,
  payloadMatcher,
  PayloadPatternSchema,
  RECEIVE_OPS,
  selects,
} from './params'
import { typedRule } from './typed-rule'

const params = z.strictObject({
  /** Whose receives are counted. */
  actor: ActorSelectorSchema.default('client'),
  proto: OptionalProtoSchema,
  /** The reply; a `{n}` in it must run 1, 2, 3… in the order the replies arrived. */
  reply: PayloadPatternSchema,
  count: countOf(1),
})

/**
 * One actor run received `count` replies that match a pattern. With `{n}` in the pattern the
 * replies must also be numbered 1…count in order: a reply out of turn spoils the run.
 */
export const countedReplies = typedRule({
  kind: 'counted-replies',
  params,
  evaluate(trace, p) {
    const reply = payloadMatcher(p.reply)
    const mine = (e: TraceEvent) =>
      selects(p.actor, e) &&
      RECEIVE_OPS.includes(e.op) &&
      (p.proto === undefined || e.proto === p.proto)
    let best = 0
    let outOfTurn: string | undefined
    for (const run of groupBy(trace, (e) => (mine(e) ? e.actor : undefined)).values()) {
      const proof: TraceEvent[] = []
      for (const e of run) {
        const n = reply.match(e.payload)
        if (n === undefined) continue
        if (reply.numbered && n !== proof.length + 1) {
          outOfTurn = `${e.actor} got "${e.payload!}" where number ${proof.length + 1} was due`
          break
        }
        proof.push(e)
        if (proof.length === p.count) {
          return pass(
            `${e.actor} received ${p.count} replies like ${reply.shown}${reply.numbered ? ', in order' : ''}.`,
            proof,
          )
        }
      }
      best = Math.max(best, proof.length)
    }
    const why = outOfTurn ? ` One run did not count: ${outOfTurn}.` : ''
    if (best === 0 && !outOfTurn) {
      return notYet(`No ${p.actor} has received a reply like ${reply.shown} yet.`)
    }
    return notYet(`Best run so far: ${best} of ${p.count} replies like ${reply.shown}.${why}`)
  },
})
