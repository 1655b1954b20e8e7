import type { TraceEvent } from '@shared/trace'
import type { TraceLog } from '@renderer/trace-log'

/** A trace log as the session store keeps one: appended to, and a new epoch on reset. */
export class GrowingLog implements TraceLog {
  events: TraceEvent[] = []
  epoch = 0
  length = 0

  constructor(initial: readonly TraceEvent[] = []) {
    this.push(...initial)
  }

  push(...events: TraceEvent[]): this {
    this.events.push(...events)
    this.length = this.events.length
    return this
  }

  /** A new epoch holding `events` (a cleared, replaced or trimmed trace). */
  reset(events: readonly TraceEvent[] = []): this {
    this.events = events.slice()
    this.epoch++
    this.length = this.events.length
    return this
  }
}
