import type { CodeAnchor, TraceEvent } from '@shared/trace'
import { Slot, TRACE_ROW, type PackedTrace } from '@shared/trace-wire'
import type { TraceSource } from './trace-source'

/** The fields of one event that are not the actor's own: what a socket call adds. */
export type TraceCall = Pick<
  TraceEvent,
  'op' | 'local' | 'remote' | 'conn' | 'bytes' | 'payload' | 'rttMs' | 'tag' | 'message'
> & { level?: TraceEvent['level'] }

// An event is a row: t, bytes and rttMs in `numbers` (-1 when absent), and in `refs` three
// ids: its shape's, its payload's and its message's. A shape holds every other string field as
// ids into `strings`, laid out as on the wire (see Slot), -1 when absent: the events of one
// call site (an actor's recv on one connection) differ only in what the row holds, so they
// share one shape. seq is not stored: it is the row's position.
const NUMBERS = 3
const REFS = 3
const SHAPE_REF = 0
const PAYLOAD_REF = 1
const MESSAGE_REF = 2
const FIRST_STRING: number = Slot.actor
const STRINGS = TRACE_ROW - FIRST_STRING
const T = Slot.t - 1
const BYTES = Slot.bytes - 1
const RTT = Slot.rttMs - 1
const at = (slot: number) => slot - FIRST_STRING
const ACTOR = at(Slot.actor)
const ACTOR_KIND = at(Slot.actorKind)
const ROLE = at(Slot.role)
const PROTO = at(Slot.proto)
const OP = at(Slot.op)
const LOCAL = at(Slot.local)
const REMOTE = at(Slot.remote)
const CONN = at(Slot.conn)
const PAYLOAD = at(Slot.payload)
const MESSAGE = at(Slot.message)
const LEVEL = at(Slot.level)
const ANCHOR_FILE = at(Slot.anchorFile)
const ANCHOR_NAME = at(Slot.anchorName)
const TAG = at(Slot.tag)

// Rows live in fixed-size chunks: a long trace grows by adding a chunk, never by copying
// what it holds (a copy of a million rows would stall the main process, sockets and all).
const CHUNK_BITS = 12
const CHUNK_ROWS = 1 << CHUNK_BITS
const IN_CHUNK = CHUNK_ROWS - 1

/**
 * An anchor's file and name as string ids. The ids are only good for the table's current
 * epoch (see trim): a ref from an older one is looked up again when next used.
 */
export class AnchorRef {
  fileId = -1
  nameId = -1
  epoch = -1
  constructor(readonly anchor: CodeAnchor | undefined) {}
}
export const NO_ANCHOR = new AnchorRef(undefined)

/** What the dropped part of a trimmed trace held, per actor: kept so totals still add up. */
export interface TrimmedSummary {
  events: number
  bytes: number
  ops: Record<string, number>
}

/**
 * What one source (an actor) appends with: its own four strings' ids, and per string slot the
 * last two strings it used there with their ids. An actor's addresses and connection stay the
 * same from one call to the next, so most of its strings are found without a lookup; so are
 * its last two shapes.
 */
export class SourceRef {
  // Two per slot, the latest first: an actor's payloads often alternate (PING out, PONG in).
  readonly recentText: (string | undefined)[] = new Array<string | undefined>(STRINGS * 2).fill(
    undefined,
  )
  readonly recentId = new Int32Array(STRINGS * 2)
  /** The shape being built by append(), its own strings already in place. */
  readonly draft = new Int32Array(STRINGS).fill(-1)
  readonly recentShapes = new Int32Array(2).fill(-1)
  /** The table epoch these ids belong to (see TraceColumns.trim). */
  epoch = -1
  constructor(readonly source: TraceSource) {}
}

/**
 * A call a source makes once per packet (recv on one connection), prepared: its shape and
 * message are found once, so each call stores only its payload, numbers and time.
 */
export class CallTemplate {
  lastPayload: string | undefined = undefined
  lastPayloadId = -1
  shape = -1
  message = -1
  /** The table epoch the ids belong to (see TraceColumns.trim). */
  epoch = -1
  constructor(
    readonly source: SourceRef,
    readonly call: TraceCall,
    readonly anchor: AnchorRef,
  ) {}
}

/**
 * A session's trace, kept as rows of numbers rather than one object per event. Recording is
 * on the path of every packet, and measured (`npm run bench -- pingpong`): an object kept per
 * event, or even one reference kept per field, is copied by each young-generation garbage
 * collection it survives, and that was most of what tracing added to a round trip (about
 * 3 of 5 µs). Typed arrays live outside the collected heap, so appending keeps nothing new
 * there. Strings repeat (an actor's addresses, PING, the op names) and are stored once each;
 * so do shapes, which leaves 36 bytes per event.
 *
 * Nothing here builds an event object on the way to the screen: batches for the host are
 * packed straight from the rows. Objects are built only for a checkpoint pass or a snapshot.
 */
export class TraceColumns {
  private count = 0
  private firstSeq = 1
  private readonly numberChunks: Float64Array[] = []
  private readonly refChunks: Int32Array[] = []
  /** The chunk being appended to. */
  private numbers: Float64Array = new Float64Array(0)
  private refs: Int32Array = new Int32Array(0)
  private readonly strings: string[] = []
  private readonly stringIds = new Map<string, number>()
  private readonly shapes: Int32Array[] = []
  private readonly shapeIds = new Map<string, number>()
  private readonly sourceRefs = new Map<TraceSource, SourceRef>()
  private readonly anchorRefs = new Map<CodeAnchor, AnchorRef>()
  /** at(): one anchor object per (file id, name id). */
  private readonly anchors = new Map<string, CodeAnchor>()
  // pack(): where each string went in the batch being packed, valid when mark === generation.
  private packMark = new Int32Array(0)
  private packIndex = new Int32Array(0)
  private generation = 0
  /** Bumped by trim(), which renumbers strings and shapes: refs from before look theirs up again. */
  private epoch = 0

  get length(): number {
    return this.count
  }

  /** How many distinct call sites (shapes) the trace has stored: what memory grows with. */
  get shapeCount(): number {
    return this.shapes.length
  }

  /** How many distinct strings the trace holds: bounded by trim() along with the rows. */
  get stringCount(): number {
    return this.strings.length
  }

  /** Rows live in chunks of this many; trim() drops whole chunks. */
  static readonly chunkRows = CHUNK_ROWS

  /** A source's handle for appending: its strings looked up once (see SourceRef). */
  sourceRef(source: TraceSource): SourceRef {
    let ref = this.sourceRefs.get(source)
    if (!ref) {
      ref = new SourceRef(source)
      this.sourceRefs.set(source, ref)
    }
    return this.fresh(ref)
  }

  /** An anchor's string ids, looked up once per anchor object (and once per epoch). */
  anchorRef(anchor: CodeAnchor): AnchorRef {
    let ref = this.anchorRefs.get(anchor)
    if (!ref) {
      ref = new AnchorRef(anchor)
      this.anchorRefs.set(anchor, ref)
    }
    return ref
  }

  /** The template for appending calls like `call` (its bytes, payload and rttMs left out). */
  prepare(source: SourceRef, call: TraceCall, anchor: AnchorRef): CallTemplate {
    return this.freshTemplate(new CallTemplate(source, call, anchor))
  }

  /** Appends one call made from `template` at time `t`; returns its seq. rttMs -1: none. */
  appendCall(
    template: CallTemplate,
    t: number,
    bytes: number,
    payload: string,
    rttMs: number,
  ): number {
    if (template.epoch !== this.epoch) this.freshTemplate(template)
    if (template.lastPayload !== payload) {
      template.lastPayload = payload
      template.lastPayloadId = this.stringId(payload)
    }
    const { shape, lastPayloadId, message } = template
    return this.appendRow(t, bytes, rttMs, shape, lastPayloadId, message)
  }

  /** Appends one event at time `t` (ms since the trace began); returns its seq. */
  append(source: SourceRef, call: TraceCall, anchor: AnchorRef, t: number): number {
    if (source.epoch !== this.epoch) this.fresh(source)
    if (anchor.epoch !== this.epoch) this.freshAnchor(anchor)
    const draft = source.draft
    draft[ANCHOR_FILE] = anchor.fileId
    draft[ANCHOR_NAME] = anchor.nameId
    draft[OP] = this.idFor(source, OP, call.op)
    draft[LEVEL] = this.idFor(source, LEVEL, call.level ?? 'info')
    draft[LOCAL] = this.idFor(source, LOCAL, call.local)
    draft[REMOTE] = this.idFor(source, REMOTE, call.remote)
    draft[CONN] = this.idFor(source, CONN, call.conn)
    draft[TAG] = this.idFor(source, TAG, call.tag)
    const shape = this.draftShape(source)
    const payload = this.idFor(source, PAYLOAD, call.payload)
    const message = this.idFor(source, MESSAGE, call.message)
    return this.appendRow(t, call.bytes ?? -1, call.rttMs ?? -1, shape, payload, message)
  }

  /** Event `row` (0-based) as an object, in one fixed shape: absent fields are undefined. */
  at(row: number): TraceEvent {
    const chunk = row >> CHUNK_BITS
    const numbers = this.numberChunks[chunk]!
    const refs = this.refChunks[chunk]!
    const n = (row & IN_CHUNK) * NUMBERS
    const r = (row & IN_CHUNK) * REFS
    const ids = this.shapes[refs[r + SHAPE_REF]!]!
    const bytes = numbers[n + BYTES]!
    const rtt = numbers[n + RTT]!
    const file = ids[ANCHOR_FILE]!
    return {
      seq: this.firstSeq + row,
      t: numbers[n + T]!,
      actor: this.string(ids[ACTOR]!)!,
      actorKind: this.string(ids[ACTOR_KIND]!)!,
      role: this.string(ids[ROLE]!) as TraceEvent['role'],
      proto: this.string(ids[PROTO]!) as TraceEvent['proto'],
      op: this.string(ids[OP]!) as TraceEvent['op'],
      local: this.string(ids[LOCAL]!),
      remote: this.string(ids[REMOTE]!),
      conn: this.string(ids[CONN]!),
      bytes: bytes < 0 ? undefined : bytes,
      payload: this.string(refs[r + PAYLOAD_REF]!),
      rttMs: rtt < 0 ? undefined : rtt,
      // Rows that share an anchor share its object, as the actors' tracers do.
      anchor: file < 0 ? undefined : this.anchorOf(file, ids[ANCHOR_NAME]!),
      tag: this.string(ids[TAG]!) as TraceEvent['tag'],
      message: this.string(refs[r + MESSAGE_REF]!),
      level: this.string(ids[LEVEL]!) as TraceEvent['level'],
    }
  }

  /** Events [from, to) as objects. */
  slice(from = 0, to = this.count): TraceEvent[] {
    const out: TraceEvent[] = []
    for (let row = from; row < to; row++) out.push(this.at(row))
    return out
  }

  /** Events [from, to) packed for the wire, with only the strings they use. */
  pack(from: number, to: number): PackedTrace {
    if (this.packMark.length < this.strings.length) {
      const size = this.strings.length * 2
      this.packMark = new Int32Array(size)
      this.packIndex = new Int32Array(size)
      this.generation = 0
    }
    const generation = ++this.generation
    const mark = this.packMark
    const index = this.packIndex
    const strings: string[] = []
    // Sized up front: a batch can hold thousands of rows, and growing it cell by cell
    // would copy it again and again.
    const cells = new Array<number>(Math.max(0, to - from) * TRACE_ROW)
    let c = 0
    for (let row = from; row < to; row++) {
      const numbers = this.numberChunks[row >> CHUNK_BITS]!
      const refs = this.refChunks[row >> CHUNK_BITS]!
      const n = (row & IN_CHUNK) * NUMBERS
      const r = (row & IN_CHUNK) * REFS
      const shape = this.shapes[refs[r + SHAPE_REF]!]!
      const payload = refs[r + PAYLOAD_REF]!
      const message = refs[r + MESSAGE_REF]!
      cells[c++] = this.firstSeq + row
      cells[c++] = numbers[n + T]!
      cells[c++] = numbers[n + BYTES]!
      cells[c++] = numbers[n + RTT]!
      for (let s = 0; s < STRINGS; s++) {
        const id = s === PAYLOAD ? payload : s === MESSAGE ? message : shape[s]!
        if (id >= 0 && mark[id] !== generation) {
          mark[id] = generation
          index[id] = strings.push(this.strings[id]!) - 1
        }
        cells[c++] = id < 0 ? -1 : index[id]!
      }
    }
    return { strings, cells }
  }

  /**
   * Forget every event; seq numbers carry on from where they were. The distinct strings and
   * shapes are kept: the next trace of the same lab uses the same ones.
   */
  clear(): void {
    this.firstSeq += this.count
    this.count = 0
    // The first chunk is reused; the memory of a long trace is given back.
    this.numberChunks.length = Math.min(this.numberChunks.length, 1)
    this.refChunks.length = this.numberChunks.length
  }

  /**
   * Forget the oldest `rows` events (rounded down to whole chunks, so nothing is copied) and
   * the strings and shapes only they used: a flood cannot grow the trace without end. The
   * kept rows are renumbered into fresh tables, and the epoch moves on so every SourceRef,
   * AnchorRef and CallTemplate looks its ids up again on next use. Returns, per actor, what
   * was dropped.
   */
  trim(rows: number): { dropped: number; byActor: Map<string, TrimmedSummary> } {
    const chunks = Math.min(Math.floor(rows / CHUNK_ROWS), this.count >> CHUNK_BITS)
    const byActor = new Map<string, TrimmedSummary>()
    if (chunks <= 0) return { dropped: 0, byActor }
    const dropped = chunks * CHUNK_ROWS
    for (let row = 0; row < dropped; row++) this.summarize(row, byActor)

    const oldStrings = this.strings.splice(0)
    const oldShapes = this.shapes.splice(0)
    this.stringIds.clear()
    this.shapeIds.clear()
    this.anchors.clear()
    const stringMap = new Int32Array(oldStrings.length).fill(-1)
    const shapeMap = new Int32Array(oldShapes.length).fill(-1)
    const remapString = (id: number) => {
      if (id < 0) return -1
      if (stringMap[id]! < 0) stringMap[id] = this.stringId(oldStrings[id])
      return stringMap[id]!
    }
    const remapShape = (id: number) => {
      if (shapeMap[id]! < 0) shapeMap[id] = this.shapeId(oldShapes[id]!.map(remapString))
      return shapeMap[id]!
    }
    this.numberChunks.splice(0, chunks)
    this.refChunks.splice(0, chunks)
    this.count -= dropped
    this.firstSeq += dropped
    for (let row = 0; row < this.count; row++) {
      const refs = this.refChunks[row >> CHUNK_BITS]!
      const r = (row & IN_CHUNK) * REFS
      refs[r + SHAPE_REF] = remapShape(refs[r + SHAPE_REF]!)
      refs[r + PAYLOAD_REF] = remapString(refs[r + PAYLOAD_REF]!)
      refs[r + MESSAGE_REF] = remapString(refs[r + MESSAGE_REF]!)
    }
    this.epoch++
    return { dropped, byActor }
  }

  private summarize(row: number, byActor: Map<string, TrimmedSummary>) {
    const refs = this.refChunks[row >> CHUNK_BITS]!
    const numbers = this.numberChunks[row >> CHUNK_BITS]!
    const ids = this.shapes[refs[(row & IN_CHUNK) * REFS + SHAPE_REF]!]!
    const actor = this.strings[ids[ACTOR]!]!
    const op = this.strings[ids[OP]!]!
    let summary = byActor.get(actor)
    if (!summary) byActor.set(actor, (summary = { events: 0, bytes: 0, ops: {} }))
    summary.events++
    summary.bytes += Math.max(0, numbers[(row & IN_CHUNK) * NUMBERS + BYTES]!)
    summary.ops[op] = (summary.ops[op] ?? 0) + 1
  }

  /** A source's ids for this epoch (its own four strings; its caches emptied after a trim). */
  private fresh(ref: SourceRef): SourceRef {
    if (ref.epoch === this.epoch) return ref
    const { actor, actorKind, role, proto } = ref.source
    ref.draft.fill(-1)
    ref.draft.set(
      [actor, actorKind, role, proto].map((text) => this.stringId(text)),
      ACTOR,
    )
    ref.recentText.fill(undefined)
    ref.recentShapes.fill(-1)
    ref.epoch = this.epoch
    return ref
  }

  private freshAnchor(ref: AnchorRef): void {
    if (ref.anchor) {
      ref.fileId = this.stringId(ref.anchor.file)
      ref.nameId = this.stringId(ref.anchor.name)
    }
    ref.epoch = this.epoch
  }

  private freshTemplate(template: CallTemplate): CallTemplate {
    const { source, call, anchor } = template
    this.fresh(source)
    if (anchor.epoch !== this.epoch) this.freshAnchor(anchor)
    const shape = new Int32Array(source.draft)
    shape[ANCHOR_FILE] = anchor.fileId
    shape[ANCHOR_NAME] = anchor.nameId
    shape[OP] = this.stringId(call.op)
    shape[LEVEL] = this.stringId(call.level ?? 'info')
    shape[LOCAL] = this.stringId(call.local)
    shape[REMOTE] = this.stringId(call.remote)
    shape[CONN] = this.stringId(call.conn)
    shape[PAYLOAD] = -1
    shape[MESSAGE] = -1
    shape[TAG] = this.stringId(call.tag)
    template.shape = this.shapeId(shape)
    template.message = this.stringId(call.message)
    template.lastPayload = undefined
    template.lastPayloadId = -1
    template.epoch = this.epoch
    return template
  }

  private string(id: number): string | undefined {
    return id < 0 ? undefined : this.strings[id]
  }

  private anchorOf(fileId: number, nameId: number): CodeAnchor {
    const key = `${fileId} ${nameId}`
    let anchor = this.anchors.get(key)
    if (!anchor) {
      anchor = { file: this.strings[fileId]!, name: this.strings[nameId]! }
      this.anchors.set(key, anchor)
    }
    return anchor
  }

  private stringId(text: string | undefined): number {
    if (text === undefined) return -1
    let id = this.stringIds.get(text)
    if (id === undefined) {
      id = this.strings.push(text) - 1
      this.stringIds.set(text, id)
    }
    return id
  }

  /** The id of `text` in a string slot, trying first the strings the source used there last. */
  private idFor(source: SourceRef, slot: number, text: string | undefined): number {
    if (text === undefined) return -1
    const texts = source.recentText
    const ids = source.recentId
    const latest = slot * 2
    if (texts[latest] === text) return ids[latest]!
    const id = texts[latest + 1] === text ? ids[latest + 1]! : this.stringId(text)
    texts[latest + 1] = texts[latest]
    ids[latest + 1] = ids[latest]!
    texts[latest] = text
    ids[latest] = id
    return id
  }

  /** The id of the shape `draft` holds (a copy is kept the first time it is seen). */
  private shapeId(draft: Int32Array): number {
    const key = draft.join(' ')
    let id = this.shapeIds.get(key)
    if (id === undefined) {
      id = this.shapes.push(Int32Array.from(draft)) - 1
      this.shapeIds.set(key, id)
    }
    return id
  }

  /** The id of the shape in `source.draft`, trying first the last two shapes the source used. */
  private draftShape(source: SourceRef): number {
    const recent = source.recentShapes
    for (let i = 0; i < 2; i++) {
      const id = recent[i]!
      if (id >= 0 && sameIds(this.shapes[id]!, source.draft)) {
        if (i === 1) recent.reverse()
        return id
      }
    }
    const id = this.shapeId(source.draft)
    recent[1] = recent[0]!
    recent[0] = id
    return id
  }

  /** Stores one row; returns its seq. A new chunk is allocated the first time one is reached. */
  private appendRow(
    t: number,
    bytes: number,
    rttMs: number,
    shape: number,
    payload: number,
    message: number,
  ): number {
    const row = this.count & IN_CHUNK
    if (row === 0) {
      const chunk = this.count >> CHUNK_BITS
      if (chunk === this.numberChunks.length) {
        this.numberChunks.push(new Float64Array(CHUNK_ROWS * NUMBERS))
        this.refChunks.push(new Int32Array(CHUNK_ROWS * REFS))
      }
      this.numbers = this.numberChunks[chunk]!
      this.refs = this.refChunks[chunk]!
    }
    const n = row * NUMBERS
    this.numbers[n + T] = t
    this.numbers[n + BYTES] = bytes
    this.numbers[n + RTT] = rttMs
    this.refs[row * REFS + SHAPE_REF] = shape
    this.refs[row * REFS + PAYLOAD_REF] = payload
    this.refs[row * REFS + MESSAGE_REF] = message
    return this.firstSeq + this.count++
  }
}

function sameIds(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
