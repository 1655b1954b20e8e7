import { z } from 'zod'
import type { TraceEvent } from '@shared/trace'
import { groupBy, notYet, pass } from '../rule'
import {
  ActorSelectorSchema,
  countOf,
  payloadMatcher,
  PayloadPatternSchema,
  selects,
} from './params'
import { typedRule } from './typed-rule'

const params = z.strictObject({
  /** Who connects and must be greeted. */
  client: ActorSelectorSchema.default('client'),
  /** What the first recv() on a new connection must return, before the client sends. */
  greeting: PayloadPatternSchema,
  /** How many connections must have been greeted. */
  count: countOf(1).default(1),
})

/**
 * A greeting on connect: on `count` TCP connections the client's first recv(), before it
 * sent anything, returned the greeting.
 */
export const greeted = typedRule({
  kind: 'greeted',
  params,
  evaluate(trace, p) {
    const greeting = payloadMatcher(p.greeting)
    const mine = (e: TraceEvent) =>
      e.proto === 'tcp' && e.conn !== undefined && selects(p.client, e)
    const proof: TraceEvent[] = []
    let miss: string | undefined
    for (const run of groupBy(trace, (e) =>
      mine(e) ? `${e.actor} ${e.conn}` : undefined,
    ).values()) {
      const first = run.find((e) => e.op === 'recv' || e.op === 'send')
      if (first?.op !== 'recv') continue
      if (greeting.match(first.payload) !== undefined) proof.push(first)
      else miss = `the first bytes were "${first.payload ?? ''}", not ${greeting.shown}`
    }
    if (proof.length >= p.count) {
      return pass(
        `${proof.length} connection${proof.length === 1 ? ' was' : 's were'} greeted with ${greeting.shown}.`,
        proof.slice(0, p.count),
      )
    }
    const why = miss ? ` On one connection ${miss}.` : ''
    if (proof.length > 0)
      return notYet(`${proof.length} of ${p.count} connections greeted so far.${why}`)
    return notYet(
      `No connection has been greeted yet: connect a ${p.client} and wait before sending.${why}`,
    )
  },
})
