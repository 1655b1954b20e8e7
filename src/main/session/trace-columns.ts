import type { CodeAnchor, TraceEvent } from '@shared/trace'
import { Slot, TRACE_ROW, type PackedTrace } from '@shared/trace-wire'
import type { TraceSource } from './trace-source'

/** The fields of one event that are not the actor's own: what a socket call adds. */
export type TraceCall = Pick<
  TraceEvent,
  'op' | 'local' | 'remote' | 'conn' | 'bytes' | 'payload' | 'rttMs' | 'tag' | 'message'
> & { level?: TraceEvent['level'] }

// An event is a row, laid out as on the wire (see Slot): t, bytes and rttMs in `numbers`
// (-1 when absent), the string fields actor … tag as ids into `strings` (-1 when absent).
// seq is not stored: it is the row's position.
const NUMBERS = 3
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

const INITIAL_ROWS = 1024

/** An anchor's file and name as string ids. */
export type AnchorRef = readonly [file: number, name: number]
export const NO_ANCHOR: AnchorRef = [-1, -1]

/**
 * What one source (an actor) appends with: the ids of its own four strings, and per string
 * slot the last string it used there with its id. An actor's addresses and connection stay
 * the same from one call to the next, so most of its strings are found without a lookup.
 */
export class SourceRef {
  readonly lastText: (string | undefined)[] = new Array<string | undefined>(STRINGS).fill(undefined)
  readonly lastId = new Int32Array(STRINGS)
  constructor(readonly ids: Int32Array) {}
}

/**
 * A session's trace, kept as rows of numbers rather than one object per event. Recording is
 * on the path of every packet, and measured (`npm run bench -- pingpong`): an object kept per
 * event, or even one reference kept per field, is copied by each young-generation garbage
 * collection it survives, and that was most of what tracing added to a round trip (about
 * 3 of 5 µs). Typed arrays live outside the collected heap, so appending keeps nothing new
 * there. Strings repeat (an
 * actor's addresses, PING, the op names) and are stored once each.
 *
 * Nothing here builds an event object on the way to the screen: batches for the host are
 * packed straight from the rows. Objects are built only for a checkpoint pass or a snapshot.
 */
export class TraceColumns {
  private count = 0
  private firstSeq = 1
  private numbers = new Float64Array(INITIAL_ROWS * NUMBERS)
  private ids = new Int32Array(INITIAL_ROWS * STRINGS)
  private readonly strings: string[] = []
  private readonly stringIds = new Map<string, number>()
  private readonly sourceRefs = new Map<TraceSource, SourceRef>()
  private readonly anchorRefs = new Map<CodeAnchor, AnchorRef>()
  /** at(): one anchor object per (file id, name id). */
  private readonly anchors = new Map<string, CodeAnchor>()
  // pack(): where each string went in the batch being packed, valid when mark === generation.
  private packMark = new Int32Array(0)
  private packIndex = new Int32Array(0)
  private generation = 0

  get length(): number {
    return this.count
  }

  /** A source's handle for appending: its strings looked up once (see SourceRef). */
  sourceRef(source: TraceSource): SourceRef {
    let ref = this.sourceRefs.get(source)
    if (!ref) {
      const ids = [source.actor, source.actorKind, source.role, source.proto]
      ref = new SourceRef(Int32Array.from(ids, (text) => this.stringId(text)))
      this.sourceRefs.set(source, ref)
    }
    return ref
  }

  /** An anchor's string ids, looked up once per anchor object. */
  anchorRef(anchor: CodeAnchor): AnchorRef {
    let ref = this.anchorRefs.get(anchor)
    if (!ref) {
      ref = [this.stringId(anchor.file), this.stringId(anchor.name)]
      this.anchorRefs.set(anchor, ref)
    }
    return ref
  }

  /** Appends one event at time `t` (ms since the trace began); returns its seq. */
  append(source: SourceRef, call: TraceCall, anchor: AnchorRef, t: number): number {
    const row = this.count
    if (row === this.numbers.length / NUMBERS) this.grow()
    const n = row * NUMBERS
    this.numbers[n + T] = t
    this.numbers[n + BYTES] = call.bytes ?? -1
    this.numbers[n + RTT] = call.rttMs ?? -1
    const s = row * STRINGS
    const ids = this.ids
    ids[s + ACTOR] = source.ids[0]!
    ids[s + ACTOR_KIND] = source.ids[1]!
    ids[s + ROLE] = source.ids[2]!
    ids[s + PROTO] = source.ids[3]!
    ids[s + ANCHOR_FILE] = anchor[0]
    ids[s + ANCHOR_NAME] = anchor[1]
    ids[s + OP] = this.idFor(source, OP, call.op)
    ids[s + LEVEL] = this.idFor(source, LEVEL, call.level ?? 'info')
    ids[s + LOCAL] = this.idFor(source, LOCAL, call.local)
    ids[s + REMOTE] = this.idFor(source, REMOTE, call.remote)
    ids[s + CONN] = this.idFor(source, CONN, call.conn)
    ids[s + PAYLOAD] = this.idFor(source, PAYLOAD, call.payload)
    ids[s + TAG] = this.idFor(source, TAG, call.tag)
    ids[s + MESSAGE] = this.idFor(source, MESSAGE, call.message)
    this.count = row + 1
    return this.firstSeq + row
  }

  /** Event `row` (0-based) as an object, in one fixed shape: absent fields are undefined. */
  at(row: number): TraceEvent {
    const n = row * NUMBERS
    const s = row * STRINGS
    const ids = this.ids
    const bytes = this.numbers[n + BYTES]!
    const rtt = this.numbers[n + RTT]!
    const file = this.string(ids[s + ANCHOR_FILE]!)
    return {
      seq: this.firstSeq + row,
      t: this.numbers[n + T]!,
      actor: this.string(ids[s + ACTOR]!)!,
      actorKind: this.string(ids[s + ACTOR_KIND]!)!,
      role: this.string(ids[s + ROLE]!) as TraceEvent['role'],
      proto: this.string(ids[s + PROTO]!) as TraceEvent['proto'],
      op: this.string(ids[s + OP]!) as TraceEvent['op'],
      local: this.string(ids[s + LOCAL]!),
      remote: this.string(ids[s + REMOTE]!),
      conn: this.string(ids[s + CONN]!),
      bytes: bytes < 0 ? undefined : bytes,
      payload: this.string(ids[s + PAYLOAD]!),
      rttMs: rtt < 0 ? undefined : rtt,
      // Rows that share an anchor share its object, as the actors' tracers do.
      anchor: file === undefined ? undefined : this.anchorOf(ids[s + ANCHOR_FILE]!, s),
      tag: this.string(ids[s + TAG]!) as TraceEvent['tag'],
      message: this.string(ids[s + MESSAGE]!),
      level: this.string(ids[s + LEVEL]!) as TraceEvent['level'],
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
    const ids = this.ids
    for (let row = from; row < to; row++) {
      const n = row * NUMBERS
      cells[c++] = this.firstSeq + row
      cells[c++] = this.numbers[n + T]!
      cells[c++] = this.numbers[n + BYTES]!
      cells[c++] = this.numbers[n + RTT]!
      for (let s = row * STRINGS, end = s + STRINGS; s < end; s++) {
        const id = ids[s]!
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
   * Forget every event; seq numbers carry on from where they were. The distinct strings are
   * kept: the next trace of the same lab uses the same ones.
   */
  clear(): void {
    this.firstSeq += this.count
    this.count = 0
  }

  private string(id: number): string | undefined {
    return id < 0 ? undefined : this.strings[id]
  }

  private anchorOf(fileId: number, s: number): CodeAnchor {
    const nameId = this.ids[s + ANCHOR_NAME]!
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

  /** The id of `text` in a string slot, trying first the string the source used there last. */
  private idFor(source: SourceRef, slot: number, text: string | undefined): number {
    if (text === undefined) return -1
    if (source.lastText[slot] === text) return source.lastId[slot]!
    const id = this.stringId(text)
    source.lastText[slot] = text
    source.lastId[slot] = id
    return id
  }

  private grow(): void {
    const numbers = new Float64Array(this.numbers.length * 2)
    numbers.set(this.numbers)
    this.numbers = numbers
    const ids = new Int32Array(this.ids.length * 2)
    ids.set(this.ids)
    this.ids = ids
  }
}
