import type { TraceEvent } from '@shared/trace'
import { round } from '../net/round-ms'

/** An event before numbering: `seq` and `t` may be placeholders, the recorder sets them. */
export type NewTraceEvent = Omit<TraceEvent, 'seq' | 't'> & { seq?: number; t?: number }

/**
 * Owns one session's trace: numbers and timestamps each event, keeps it, and hands new
 * events to the host in batches (one message per `flushMs`, never one per packet).
 */
export class TraceRecorder {
  readonly events: TraceEvent[] = []
  /** events[flushed..] have not been delivered yet (an index, not a second array: less work per event). */
  private flushed = 0
  private timer: NodeJS.Timeout | undefined
  private origin = performance.now()
  private nextSeq = 1

  constructor(
    private readonly onBatch: (events: TraceEvent[]) => void,
    private readonly flushMs = 16,
    /** A burst is cut into batches of at most this many, so no one message is huge. */
    private readonly maxBatch = 2000,
  ) {}

  /** Takes ownership of `event` and numbers it in place (no copy: this runs per packet). */
  record(event: NewTraceEvent, now = performance.now()): TraceEvent {
    const full = event as TraceEvent
    full.seq = this.nextSeq++
    full.t = round(now - this.origin)
    const length = this.events.push(full)
    if (length - this.flushed >= this.maxBatch) this.flush()
    else this.timer ??= setTimeout(() => this.flush(), this.flushMs)
    return full
  }

  /** Deliver what is pending now (also called before a snapshot, so nothing is sent twice). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    if (this.flushed === this.events.length) return
    const batch = this.events.slice(this.flushed)
    this.flushed = this.events.length
    this.onBatch(batch)
  }

  /** Start a fresh trace; sequence numbers keep growing so old views never confuse the two. */
  clear(): void {
    this.flushPendingSilently()
    this.events.length = 0
    this.flushed = 0
    this.origin = performance.now()
  }

  dispose(): void {
    this.flush()
  }

  private flushPendingSilently(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.flushed = this.events.length
  }
}
