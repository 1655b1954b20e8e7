import type { ExpectedFlow } from '@shared/lab'
import type { TraceEvent } from '@shared/trace'
import type { LifelineHint } from './build-diagram'

/**
 * The expected flow of a step, written by hand in lab.yaml, turned into the same event
 * shape as a live trace, so one diagram component draws both. Each lifeline's id doubles
 * as its fake address ("client", "server"), so `peer` resolves to the right lifeline.
 */
export function expectedToTrace(flow: ExpectedFlow): TraceEvent[] {
  const roles = new Map(flow.lifelines.map((l) => [l.id, l.role] as const))
  const encoder = new TextEncoder()
  return flow.events.map((ev, index): TraceEvent => {
    const role = roles.get(ev.actor) ?? 'client'
    const proto = ev.proto ?? flow.proto
    const event: TraceEvent = {
      seq: index + 1,
      t: index,
      actor: ev.actor,
      actorKind: `${proto}-${role}`,
      role,
      proto,
      op: ev.op,
      local: ev.actor,
      level: ev.op === 'error' ? 'error' : 'info',
    }
    if (ev.peer !== undefined) event.remote = ev.peer
    if (ev.payload !== undefined) {
      event.payload = ev.payload
      event.bytes = encoder.encode(unescapePreview(ev.payload)).length
    }
    if (ev.message !== undefined) event.message = ev.message
    if (ev.tag !== undefined) event.tag = ev.tag
    return event
  })
}

/** The lifelines of an expected flow, in the order the lab author gave them. */
export function expectedLifelines(flow: ExpectedFlow): LifelineHint[] {
  return flow.lifelines.map((l) => ({ id: l.id, label: l.label, role: l.role }))
}

/** "PING\\n" as written in a preview counts the newline as one byte. */
function unescapePreview(text: string): string {
  return text.replace(/\\(n|r|t|x[0-9a-fA-F]{2})/g, (_, code: string) => {
    if (code === 'n') return '\n'
    if (code === 'r') return '\r'
    if (code === 't') return '\t'
    return String.fromCharCode(parseInt(code.slice(1), 16))
  })
}
