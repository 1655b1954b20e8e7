import type { TraceEvent } from './trace'

/**
 * Trace batches on the wire. Under load main sends tens of thousands of events a second;
 * as JSON objects most of those bytes would be the same keys and the same strings again
 * and again. A packed batch sends each event as a row of numbers, and each distinct
 * string once. Both hosts send this shape; the client API unpacks it.
 */
export interface PackedTrace {
  strings: string[]
  /**
   * One row per event: seq, t, bytes, rttMs, then as indices into `strings` actor,
   * actorKind, role, proto, op, local, remote, conn, payload, message, level, anchor file,
   * anchor name, tag. null is an absent field.
   */
  rows: (number | null)[][]
}

export function packTrace(events: readonly TraceEvent[]): PackedTrace {
  const strings: string[] = []
  const index = new Map<string, number>()
  const ref = (value: string | undefined): number | null => {
    if (value === undefined) return null
    let i = index.get(value)
    if (i === undefined) {
      i = strings.push(value) - 1
      index.set(value, i)
    }
    return i
  }
  const rows = events.map((e) => [
    e.seq,
    e.t,
    e.bytes ?? null,
    e.rttMs ?? null,
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
  ])
  return { strings, rows }
}

export function unpackTrace(packed: PackedTrace): TraceEvent[] {
  const { strings, rows } = packed
  const str = (i: number | null | undefined) =>
    i === null || i === undefined ? undefined : strings[i]
  // Anchors repeat a lot: share one object per (file, name), as main does.
  const anchors = new Map<string, { file: string; name: string }>()
  return rows.map((r) => {
    const file = str(r[15])
    const name = str(r[16])
    let anchor: { file: string; name: string } | undefined
    if (file !== undefined && name !== undefined) {
      const key = `${file}\n${name}`
      anchor = anchors.get(key)
      if (!anchor) anchors.set(key, (anchor = { file, name }))
    }
    const event: TraceEvent = {
      seq: r[0]!,
      t: r[1]!,
      actor: str(r[4])!,
      actorKind: str(r[5])!,
      role: str(r[6]) as TraceEvent['role'],
      proto: str(r[7]) as TraceEvent['proto'],
      op: str(r[8]) as TraceEvent['op'],
      level: (str(r[14]) ?? 'info') as TraceEvent['level'],
    }
    // Only present fields become keys, so an unpacked event equals the one main recorded.
    if (r[2] !== null && r[2] !== undefined) event.bytes = r[2]
    if (r[3] !== null && r[3] !== undefined) event.rttMs = r[3]
    const local = str(r[9])
    if (local !== undefined) event.local = local
    const remote = str(r[10])
    if (remote !== undefined) event.remote = remote
    const conn = str(r[11])
    if (conn !== undefined) event.conn = conn
    const payload = str(r[12])
    if (payload !== undefined) event.payload = payload
    const message = str(r[13])
    if (message !== undefined) event.message = message
    if (anchor) event.anchor = anchor
    const tag = str(r[17])
    if (tag !== undefined) event.tag = tag as TraceEvent['tag']
    return event
  })
}
