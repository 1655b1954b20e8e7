import type { TraceEvent } from './trace'

/**
 * Trace batches on the wire. Under load main sends tens of thousands of events a second;
 * as JSON objects most of those bytes would be the same keys and the same strings again
 * and again. A packed batch is one flat list of numbers, a row of `TRACE_ROW` per event,
 * and each distinct string once. Both hosts send this shape; the client API unpacks it.
 */
export interface PackedTrace {
  strings: string[]
  /**
   * `TRACE_ROW` numbers per event, in the order of `Slot`: seq, t, bytes, rttMs, then
   * indices into `strings`. -1 is an absent field (bytes and rttMs are never negative).
   */
  cells: number[]
}

/** Where each field sits in an event's row. */
export const Slot = {
  seq: 0,
  t: 1,
  bytes: 2,
  rttMs: 3,
  actor: 4,
  actorKind: 5,
  role: 6,
  proto: 7,
  op: 8,
  local: 9,
  remote: 10,
  conn: 11,
  payload: 12,
  message: 13,
  level: 14,
  anchorFile: 15,
  anchorName: 16,
  tag: 17,
} as const
export const TRACE_ROW = 18

/** Packs events that are already objects (main packs its own trace straight from its columns). */
export function packTrace(events: readonly TraceEvent[]): PackedTrace {
  const strings: string[] = []
  const index = new Map<string, number>()
  const ref = (value: string | undefined): number => {
    if (value === undefined) return -1
    let i = index.get(value)
    if (i === undefined) {
      i = strings.push(value) - 1
      index.set(value, i)
    }
    return i
  }
  const cells: number[] = []
  for (const e of events) {
    cells.push(
      e.seq,
      e.t,
      e.bytes ?? -1,
      e.rttMs ?? -1,
      ref(e.actor),
      ref(e.actorKind),
      ref(e.role),
      ref(e.proto),
      ref(e.op),
      ref(e.local),
      ref(e.remote),
      ref(e.conn),
      ref(e.payload),
      ref(e.message),
      ref(e.level),
      ref(e.anchor?.file),
      ref(e.anchor?.name),
      ref(e.tag),
    )
  }
  return { strings, cells }
}

/** The number of events in a packed batch. */
export function packedLength(packed: PackedTrace): number {
  return packed.cells.length / TRACE_ROW
}

export function unpackTrace(packed: PackedTrace): TraceEvent[] {
  const { strings, cells } = packed
  // -1 (absent) reads as undefined: an array has no element -1.
  const str = (i: number) => strings[i]
  // Anchors repeat a lot: share one object per (file, name), as main does.
  const anchors = new Map<string, { file: string; name: string }>()
  const events: TraceEvent[] = []
  let r = 0
  const cell = (slot: number) => cells[r + slot]!
  for (; r < cells.length; r += TRACE_ROW) {
    const file = str(cell(Slot.anchorFile))
    const name = str(cell(Slot.anchorName))
    let anchor: { file: string; name: string } | undefined
    if (file !== undefined && name !== undefined) {
      const key = `${file}\n${name}`
      anchor = anchors.get(key)
      if (!anchor) anchors.set(key, (anchor = { file, name }))
    }
    const event: TraceEvent = {
      seq: cell(Slot.seq),
      t: cell(Slot.t),
      actor: str(cell(Slot.actor))!,
      actorKind: str(cell(Slot.actorKind))!,
      role: str(cell(Slot.role)) as TraceEvent['role'],
      proto: str(cell(Slot.proto)) as TraceEvent['proto'],
      op: str(cell(Slot.op)) as TraceEvent['op'],
      level: (str(cell(Slot.level)) ?? 'info') as TraceEvent['level'],
    }
    // Only present fields become keys, so an unpacked event equals the one main recorded.
    const bytes = cell(Slot.bytes)
    if (bytes >= 0) event.bytes = bytes
    const rttMs = cell(Slot.rttMs)
    if (rttMs >= 0) event.rttMs = rttMs
    const local = str(cell(Slot.local))
    if (local !== undefined) event.local = local
    const remote = str(cell(Slot.remote))
    if (remote !== undefined) event.remote = remote
    const conn = str(cell(Slot.conn))
    if (conn !== undefined) event.conn = conn
    const payload = str(cell(Slot.payload))
    if (payload !== undefined) event.payload = payload
    const message = str(cell(Slot.message))
    if (message !== undefined) event.message = message
    if (anchor) event.anchor = anchor
    const tag = str(cell(Slot.tag))
    if (tag !== undefined) event.tag = tag as TraceEvent['tag']
    events.push(event)
  }
  return events
}
