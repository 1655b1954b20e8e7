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
  relates,
  ReplyRelationSchema,
  selects,
  SEND_OPS,
} from './params'
import { typedRule } from './typed-rule'

const params = z.strictObject({
  /** Who asks: its sends and the receives that follow them are the round trips. */
  client: ActorSelectorSchema.default('client'),
  /** Who must answer: the client's peer address must be one this actor listens on. */
  server: ActorSelectorSchema.optional(),
  proto: OptionalProtoSchema,
  request: PayloadPatternSchema.optional(),
  reply: PayloadPatternSchema.optional(),
  /** The reply must be the request itself (`same`) or the request in capitals (`upper`). */
  replyIs: ReplyRelationSchema.optional(),
  count: countOf(1).default(1),
})
type Params = z.output<typeof params>

interface Trip {
  request: TraceEvent
  reply: TraceEvent
}

/** Why the last reply on a run did not count, in the student's words. */
function mismatch(p: Params, request: TraceEvent, reply: TraceEvent): string {
  const got = `sent "${request.payload ?? ''}" and got "${reply.payload ?? ''}"`
  if (p.replyIs === 'upper') return `${got}, not the same text in capitals`
  if (p.replyIs === 'same') return `${got}, not the same text back`
  return `${got}, not ${payloadMatcher(p.reply!).shown}`
}

/**
 * N request/reply round trips seen by one client on one connection (TCP) or one socket
 * (UDP): a send, then the next receive, which must be the reply the parameters describe.
 */
export const roundTrips = typedRule({
  kind: 'round-trips',
  params,
  evaluate(trace, p) {
    const request = p.request ? payloadMatcher(p.request) : undefined
    const reply = p.reply ? payloadMatcher(p.reply) : undefined
    const servers = new Set<string>()
    // Stryker: equivalent — with no server named, selects(undefined) matches no event.
    if (p.server !== undefined) {
      for (const e of trace) if (selects(p.server, e) && e.local) servers.add(e.local)
    }
    const mine = (e: TraceEvent) =>
      selects(p.client, e) &&
      (p.proto === undefined || e.proto === p.proto) &&
      (SEND_OPS.includes(e.op) || RECEIVE_OPS.includes(e.op))
    let best: Trip[] = []
    let lastMiss: string | undefined
    let unanswered = false
    for (const run of groupBy(trace, (e) =>
      mine(e) ? `${e.actor} ${e.conn}` : undefined,
    ).values()) {
      const trips: Trip[] = []
      let asked: TraceEvent | undefined
      for (const e of run) {
        if (SEND_OPS.includes(e.op)) {
          // Stryker: equivalent — the set never holds a made-up address either ('' included).
          const toServer = p.server === undefined || servers.has(e.remote ?? '')
          asked = toServer && (!request || request.match(e.payload) !== undefined) ? e : undefined
          continue
        }
        // A receive with nothing asked (a greeting, say) is not an answer.
        if (!asked) continue
        const ok =
          (!reply || reply.match(e.payload) !== undefined) &&
          (!p.replyIs || relates(p.replyIs, asked.payload ?? '', e.payload ?? ''))
        if (ok) trips.push({ request: asked, reply: e })
        else lastMiss = mismatch(p, asked, e)
        asked = undefined
      }
      unanswered ||= asked !== undefined
      if (trips.length >= p.count) {
        const last = trips[p.count - 1]!
        const on = run[0]!.conn ? ` on ${run[0]!.conn}` : ''
        return pass(
          `${trips.length} round trips by ${run[0]!.actor}${on}: round trip ${p.count} sent "${last.request.payload ?? ''}" and got "${last.reply.payload ?? ''}".`,
          trips.slice(0, p.count).flatMap((t) => [t.request, t.reply]),
        )
      }
      // Stryker: equivalent — on a tie only the count is told, and it is the same.
      if (trips.length > best.length) best = trips
    }
    const miss = lastMiss ? ` A reply did not count: ${lastMiss}.` : ''
    if (best.length > 0) {
      return notYet(
        `Best so far: ${best.length} of ${p.count} round trips on one connection.${miss}`,
      )
    }
    if (miss) return notYet(`No round trip yet.${miss}`)
    if (unanswered) return notYet('A message was sent but no reply has come back yet.')
    const to = p.server === undefined ? '' : ` to the ${p.server}`
    return notYet(`No round trip yet: a ${p.client} has to send a message${to} and get its reply.`)
  },
})
