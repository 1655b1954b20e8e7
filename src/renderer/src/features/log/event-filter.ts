import type { TraceEvent } from '@shared/trace'
import { TraceCursor, type TraceLog } from '@renderer/trace-log'

export interface EventQuery {
  /** Lower-case text to find in an event's actor, op, addresses, payload or message. */
  text: string
  actor: string
  op: string
}

/**
 * The event log's filter over the trace log: each call tests only the events appended since
 * the last one (all of them again when the query changed or the log began a new epoch).
 * The list it returns grows in place, like the trace.
 */
export class EventFilter {
  private readonly cursor = new TraceCursor()
  private key = ''
  private kept: TraceEvent[] = []
  /** What the text filter searches, per event of the epoch, made once (events never change). */
  private texts: string[] = []

  /** The events matching `query`; the trace's own events when the query is empty (no copy). */
  apply(log: TraceLog, query: EventQuery): readonly TraceEvent[] {
    const { text, actor, op } = query
    if (this.cursor.sync(log)) {
      this.texts = []
      this.key = ''
    }
    if (!text && !actor && !op) {
      this.key = ''
      return log.events
    }
    const key = `${actor}\n${op}\n${text}`
    if (key !== this.key) {
      this.key = key
      this.cursor.next = 0
      this.kept = []
    }
    const kept = this.kept
    const events = log.events
    const [from, to] = this.cursor.take(log)
    for (let i = from; i < to; i++) {
      const e = events[i]!
      if (
        (!actor || e.actor === actor) &&
        (!op || e.op === op) &&
        (!text || this.haystack(events, i).includes(text))
      ) {
        kept.push(e)
      }
    }
    return kept
  }

  private haystack(events: readonly TraceEvent[], i: number): string {
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

const byName = new Intl.Collator('en', { numeric: true })

/** The actors named in a trace log, sorted as people count; reads only new events. */
export class ActorNames {
  private readonly cursor = new TraceCursor()
  private readonly seen = new Set<string>()
  private sorted: string[] = []

  update(log: TraceLog): string[] {
    if (this.cursor.sync(log)) this.seen.clear()
    const before = this.seen.size
    const [from, to] = this.cursor.take(log)
    for (let i = from; i < to; i++) this.seen.add(log.events[i]!.actor)
    if (this.seen.size !== before || this.sorted.length !== this.seen.size) {
      this.sorted = [...this.seen].sort(byName.compare)
    }
    return this.sorted
  }
}
