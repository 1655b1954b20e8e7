import type { CodeAnchor, TraceEvent } from '@shared/trace'
import { MAX_TRACE_EVENTS } from '@shared/ipc'
import type { PackedTrace } from '@shared/trace-wire'
import { round } from '../net/round-ms'
import {
  NO_ANCHOR,
  TraceColumns,
  type AnchorRef,
  type CallTemplate,
  type SourceRef,
  type TraceCall,
  type TrimmedSummary,
} from './trace-columns'
import type { TraceSource } from './trace-source'

/**
 * New events handed to the host. Read it during the callback: it is a view of the trace's
 * rows, not a copy, so that recording stays cheap on the path of every packet (packing
 * is the host's work, done once per batch, measured by the delivery benchmark).
 */
export interface TraceBatch {
  readonly length: number
  /** The events packed for the wire. */
  pack(): PackedTrace
  /** The events as objects. */
  events(): TraceEvent[]
}

/** An event from outside an actor (a replayed or synthetic one): everything but seq and t. */
export type NewTraceEvent = Omit<TraceEvent, 'seq' | 't'>

/** What a session's trace has dropped so far to stay within MAX_TRACE_EVENTS. */
export interface TrimmedTrace {
  events: number
  byActor: Map<string, TrimmedSummary>
}

export interface TraceRecorderOptions {
  flushMs?: number
  /** A burst is cut into batches of at most this many, so no one message is huge. */
  maxBatch?: number
  maxEvents?: number
  /** Called after each trim, with the totals so far. */
  onTrim?: (trimmed: TrimmedTrace) => void
}

/**
 * Owns one session's trace: numbers and timestamps each event, keeps it, and hands new
 * events to the host in batches (one message per `flushMs`, never one per packet), which
 * the host packs for the wire.
 */
export class TraceRecorder {
  private readonly columns = new TraceColumns()
  /** Event objects already built for events() (see there). */
  private built: TraceEvent[] = []
  /** Events from `flushed` on have not been delivered yet. */
  private flushed = 0
  private timer: NodeJS.Timeout | undefined
  /** When the trace's first event happened: times count from there (0 ms), set on the first. */
  private origin: number | undefined
  /** Sources of events recorded whole (see `record`), one object per distinct source. */
  private readonly sources = new Map<string, TraceSource>()

  /**
   * Dropped so far, per actor: past MAX_TRACE_EVENTS the oldest quarter goes, in whole
   * chunks, with the strings only it used (see TraceColumns.trim).
   */
  readonly trimmed: TrimmedTrace = { events: 0, byActor: new Map() }
  private readonly flushMs: number
  private readonly maxBatch: number
  private readonly maxEvents: number

  constructor(
    private readonly onBatch: (batch: TraceBatch) => void,
    private readonly options: TraceRecorderOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 16
    this.maxBatch = options.maxBatch ?? 2000
    this.maxEvents = options.maxEvents ?? MAX_TRACE_EVENTS
  }

  get length(): number {
    return this.columns.length
  }

  /**
   * The whole trace as event objects. They are built when first read (a checkpoint pass,
   * a snapshot) and kept for the next read, which only builds the events that came since:
   * passes run every few tens of milliseconds while events arrive.
   */
  events(): readonly TraceEvent[] {
    for (let row = this.built.length; row < this.columns.length; row++) {
      this.built.push(this.columns.at(row))
    }
    return this.built
  }

  /** The handle a source appends with: get it once, not per event. */
  sourceRef(source: TraceSource): SourceRef {
    return this.columns.sourceRef(source)
  }

  anchorRef(anchor: CodeAnchor): AnchorRef {
    return this.columns.anchorRef(anchor)
  }

  /**
   * Records one socket call of `source`, made at `now` (a performance.now() reading);
   * returns its seq. This runs once per packet, so it builds no event object.
   */
  append(
    source: SourceRef,
    call: TraceCall,
    anchor: AnchorRef = NO_ANCHOR,
    now = performance.now(),
  ): number {
    const seq = this.columns.append(source, call, anchor, this.time(now))
    this.added()
    return seq
  }

  /** A call an actor makes once per packet, prepared once (see CallTemplate). */
  prepare(source: SourceRef, call: TraceCall, anchor: AnchorRef = NO_ANCHOR): CallTemplate {
    return this.columns.prepare(source, call, anchor)
  }

  /** Records one more call like `template`'s, made at `now`; returns its seq. */
  appendCall(
    template: CallTemplate,
    now: number,
    bytes: number,
    payload: string,
    rttMs = -1,
  ): number {
    const seq = this.columns.appendCall(template, this.time(now), bytes, payload, rttMs)
    this.added()
    return seq
  }

  /** Records a whole event (not from an actor's tracer) and returns it numbered. */
  record(event: NewTraceEvent, now = performance.now()): TraceEvent {
    const anchor = event.anchor ? this.anchorRef(event.anchor) : NO_ANCHOR
    this.append(this.sourceRef(this.sourceOf(event)), event, anchor, now)
    return this.columns.at(this.columns.length - 1)
  }

  /** Deliver what is pending now (also called before a snapshot, so nothing is sent twice). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    const length = this.columns.length
    if (this.flushed === length) return
    const from = this.flushed
    this.flushed = length
    const columns = this.columns
    this.onBatch({
      length: length - from,
      pack: () => columns.pack(from, length),
      events: () => columns.slice(from, length),
    })
  }

  /** Start a fresh trace; sequence numbers keep growing so old views never confuse the two. */
  clear(): void {
    // Pending events belong to the trace being forgotten: they are not sent.
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.columns.clear()
    this.trimmed.events = 0
    this.trimmed.byActor.clear()
    this.built = []
    this.flushed = 0
    this.origin = undefined
  }

  /**
   * Milliseconds since the trace's first event: a student who reads the step for a minute
   * before starting anything still sees the run start at 0.
   */
  private time(now: number): number {
    this.origin ??= now
    return Math.max(0, round(now - this.origin))
  }

  dispose(): void {
    this.flush()
  }

  /** An event was appended: deliver now if a batch is full, else within `flushMs`. */
  private added(): void {
    if (this.columns.length - this.flushed >= this.maxBatch) this.flush()
    else this.timer ??= setTimeout(() => this.flush(), this.flushMs)
    if (this.columns.length > this.maxEvents) this.trim()
  }

  /**
   * Drop the oldest quarter. What is dropped has been delivered first, so the page has seen
   * it. Checkpoint rules read events(), which then starts later: a checkpoint already passed
   * stays passed (it is saved), but one that needs evidence from the dropped part cannot
   * pass from it any more; Clear trace and run the step again.
   */
  private trim(): void {
    this.flush()
    const { dropped, byActor } = this.columns.trim(Math.ceil(this.maxEvents / 4))
    if (dropped === 0) return
    this.built = this.built.length > dropped ? this.built.slice(dropped) : []
    this.flushed = Math.max(0, this.flushed - dropped)
    this.trimmed.events += dropped
    for (const [actor, part] of byActor) {
      const total = this.trimmed.byActor.get(actor) ?? { events: 0, bytes: 0, ops: {} }
      total.events += part.events
      total.bytes += part.bytes
      for (const [op, n] of Object.entries(part.ops)) total.ops[op] = (total.ops[op] ?? 0) + n
      this.trimmed.byActor.set(actor, total)
    }
    this.options.onTrim?.(this.trimmed)
  }

  private sourceOf(event: NewTraceEvent): TraceSource {
    const key = `${event.actor}\n${event.actorKind}\n${event.role}\n${event.proto}`
    let source = this.sources.get(key)
    if (!source) {
      const { actor, actorKind, role, proto } = event
      this.sources.set(key, (source = { actor, actorKind, role, proto }))
    }
    return source
  }
}
