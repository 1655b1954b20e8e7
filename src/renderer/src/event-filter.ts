import type { TraceEvent } from '@shared/trace'

export interface EventQuery {
  /** Lower-case text to find in an event's actor, op, addresses, payload or message. */
  text: string
  actor: string
  op: string
}

/**
 * The event log's filter over a trace that grows in place: each call tests only the
 * events appended since the last one (all of them again when the query or the trace
 * changed). The list it returns grows in place too, like the trace.
 */
export class EventFilter {
  private source: readonly TraceEvent[] | null = null
  private key = ''
  private scanned = 0
  private lastSeen: TraceEvent | undefined
  private kept: TraceEvent[] = []
  /** What the text filter searches, per event of the trace, made once (events never change). */
  private texts: string[] = []
  private textsSource: readonly TraceEvent[] | null = null

  /** The events matching `query`; the trace itself when the query is empty (no copy). */
  apply(events: readonly TraceEvent[], query: EventQuery): readonly TraceEvent[] {
    const { text, actor, op } = query
    if (!text && !actor && !op) {
      this.source = null
      return events
    }
    const key = `${actor}\n${op}\n${text}`
    if (
      key !== this.key ||
      events !== this.source ||
      events.length < this.scanned ||
      (this.scanned > 0 && events[this.scanned - 1] !== this.lastSeen)
    ) {
      this.key = key
      this.source = events
      this.scanned = 0
      this.kept = []
    }
    const kept = this.kept
    for (let i = this.scanned; i < events.length; i++) {
      const e = events[i]!
      if (
        (!actor || e.actor === actor) &&
        (!op || e.op === op) &&
        (!text || this.haystack(events, i).includes(text))
      ) {
        kept.push(e)
      }
    }
    this.scanned = events.length
    this.lastSeen = events[events.length - 1]
    return kept
  }

  private haystack(events: readonly TraceEvent[], i: number): string {
    if (events !== this.textsSource) {
      this.textsSource = events
      this.texts = []
    }
    let text = this.texts[i]
    if (text === undefined) {
      const e = events[i]!
      text =
        `${e.actor} ${e.op} ${e.local ?? ''} ${e.remote ?? ''} ${e.payload ?? ''} ${e.message ?? ''}`.toLowerCase()
      this.texts[i] = text
    }
    return text
  }
}
