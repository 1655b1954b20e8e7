import { z } from 'zod'
import type { TraceEvent } from '@shared/trace'
import { groupBy, notYet, pass } from '../rule'
import { ActorSelectorSchema, countOf, RECEIVE_OPS, selects, SEND_OPS } from './params'
import { typedRule } from './typed-rule'

const params = z.strictObject({
  /** The TCP server that must serve several clients at one moment. */
  server: ActorSelectorSchema.default('server'),
  count: countOf(2).default(2),
})

interface Conn {
  accept: TraceEvent
  close?: TraceEvent
  /** The first reply after a message from this client: the proof it was served. */
  answer?: TraceEvent
  asked: boolean
}

/** Each connection one server actor accepted, in accept order. */
function connections(run: readonly TraceEvent[]): Conn[] {
  const byConn = new Map<string, Conn>()
  for (const e of run) {
    if (e.conn === undefined) continue
    if (e.op === 'accept') {
      byConn.set(e.conn, { accept: e, asked: false })
      continue
    }
    const c = byConn.get(e.conn)
    if (!c || c.close) continue
    if (RECEIVE_OPS.includes(e.op)) c.asked = true
    else if (SEND_OPS.includes(e.op) && c.asked) c.answer ??= e
    else if (e.op === 'close') c.close = e
  }
  return [...byConn.values()]
}

/** The most connections open together at one moment (judged at each accept). */
// Stryker: equivalent — an accept and a close are never one event, so `>` and `>=` on their
// seqs agree; a tie in size keeps either set, and a 1-long start never beats a count of 2.
function largestOverlap(list: Conn[]): Conn[] {
  let best: Conn[] = []
  for (const c of list) {
    const at = c.accept.seq
    const together = list.filter((o) => o.accept.seq <= at && (!o.close || o.close.seq > at))
    if (together.length > best.length) best = together
  }
  return best
}

/**
 * Concurrency: one TCP server had `count` clients connected at the same moment and answered
 * a message from each of them (a server that serves one at a time never has two open).
 */
export const servedTogether = typedRule({
  kind: 'served-together',
  params,
  evaluate(trace, p) {
    let most = 0
    let unserved = false
    const runs = groupBy(trace, (e) =>
      selects(p.server, e) && e.proto === 'tcp' ? e.actor : undefined,
    )
    for (const [server, run] of runs) {
      const together = largestOverlap(connections(run))
      most = Math.max(most, together.length)
      if (together.length < p.count) continue
      if (together.some((c) => !c.answer)) {
        unserved = true
        continue
      }
      return pass(
        `${server} had ${together.length} clients connected at once and answered each of them.`,
        together.flatMap((c) => [c.accept, c.answer!]),
      )
    }
    if (unserved) {
      return notYet(
        `${p.count} clients were connected at once, but not each has had a message answered yet: send from every one.`,
      )
    }
    if (most === 0) return notYet(`No client has connected to a ${p.server} yet.`)
    return notYet(
      `At most ${most} of ${p.count} clients were connected to one ${p.server} at the same moment: connect the next before closing the first.`,
    )
  },
})
