import type { TraceEvent } from '@shared/trace'

/**
 * A trace as an append-only log. Within one epoch, events are only ever added at the end
 * (the array holding them may be swapped for another with the same events first); clearing
 * the trace, taking a new snapshot or trimming the oldest events starts a new epoch.
 *
 * Every view that works incrementally (the diagram, the step's filter, the event log's
 * filter, lab 4's statistics) holds a `TraceCursor`: it reads what was appended since its
 * last read, and starts over when the epoch moved. Nobody has to guess whether an array is
 * "the same one, grown in place".
 */
export interface TraceLog {
  /** The events of this epoch, oldest first; read `events[i]` for `i < length` only. */
  readonly events: readonly TraceEvent[]
  /** Moves when the log was cleared, replaced or trimmed. */
  readonly epoch: number
  /** How many events there are to read (the views are told about new ones once a frame). */
  readonly length: number
  /**
   * A filtered log (a step's programs only): the programs left out, by the addresses they
   * used (`proto|host:port`, and `proto|*:port` for a wildcard), so that a peer of a program
   * drawn is named for what it is rather than taken for an untraced one.
   */
  readonly others?: ReadonlyMap<string, string>
}

/** A log of a fixed list of events (a hand-written flow, a test). */
export function fixedLog(events: readonly TraceEvent[], epoch = 0): TraceLog {
  return { events, epoch, length: events.length }
}

/** Where a consumer is in a log: the epoch it read, and the next event to read. */
export class TraceCursor {
  private epoch = Number.NaN
  /** The first event not read yet. */
  next = 0

  /**
   * Catches up with the log's epoch: true (and back at the start) when it moved since the
   * last read, so the consumer drops what it built from the old one.
   */
  sync(log: TraceLog): boolean {
    if (log.epoch === this.epoch) return false
    this.epoch = log.epoch
    this.next = 0
    return true
  }

  /** The events appended since the last read, as [from, to); marks them read. */
  take(log: TraceLog): [number, number] {
    const from = this.next
    this.next = Math.max(from, log.length)
    return [from, this.next]
  }

  /** How many events of the log are not read yet. */
  behind(log: TraceLog): number {
    return log.epoch === this.epoch ? Math.max(0, log.length - this.next) : log.length
  }
}
