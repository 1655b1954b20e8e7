import type { ActorRole, Protocol, TraceEvent, TraceOp } from '@shared/trace'
import { actorKindLabel, payloadLabel } from '@renderer/format'

/**
 * Pure layout logic of the sequence diagram: from a trace to lifelines and rows.
 *
 * Works in three passes so that a 100,000-event trace stays cheap:
 *   1. who owns which address (Maps only);
 *   2. a plan per event (typed arrays: how many rows it draws, which send a receive
 *      belongs to, where the inferred handshake goes);
 *   3. row objects, built only for the last `maxRows` rows.
 */

export const DEFAULT_MAX_ROWS = 150

/** An optional, fixed list of lifelines (the expected flow names its own). */
export interface LifelineHint {
  id: string
  label: string
  role?: ActorRole
}

export interface Lifeline {
  /** The actor id, or "peer:<address>" for a program that is not traced. */
  id: string
  /** Full label, e.g. "TCP server 127.0.0.1:50007". */
  label: string
  /** First line of the header, e.g. "TCP server". */
  title: string
  /** Second line of the header, e.g. "127.0.0.1:50007". */
  subtitle: string
  role: ActorRole
  /** True for a peer that is not one of the app's actors (e.g. the student's own script). */
  external: boolean
}

export type Level = 'info' | 'warn' | 'error'

interface RowBase {
  /** Unique within the diagram, stable across rebuilds. */
  key: string
  /** The event the row stands for; clicking the row selects it. */
  seq: number
  level: Level
}

/** A local call drawn as a small box on one lifeline. */
export interface CallRow extends RowBase {
  kind: 'call'
  lifeline: string
  op: TraceOp
  label: string
  detail?: string
}

export interface ArrowRow extends RowBase {
  kind: 'arrow'
  from: string
  to: string
  label: string
  /** Packets user-space sockets never see (handshake, FIN): drawn dashed. */
  inferred: boolean
  /** A dropped datagram: the arrow stops halfway with a cross. */
  lost: boolean
  /** The receive that took this data off the wire, when it was traced. */
  arrivalSeq?: number
}

export interface TimeoutRow extends RowBase {
  kind: 'timeout'
  lifeline: string
  label: string
  detail?: string
}

export interface NoteRow extends RowBase {
  kind: 'note'
  lifeline: string
  text: string
}

export type DiagramRow = CallRow | ArrowRow | TimeoutRow | NoteRow

export interface Diagram {
  lifelines: Lifeline[]
  rows: DiagramRow[]
  /** Events before the first drawn one ("N earlier events not drawn"). */
  hiddenEvents: number
  totalEvents: number
}

export interface BuildOptions {
  lifelines?: LifelineHint[]
  maxRows?: number
}

const EXTERNAL_PREFIX = 'peer:'

interface ExternalInfo {
  address: string
  /** The role of the first actor that talked to it (the peer has the other one). */
  seenBy: ActorRole
  /** Whether anything came back from it: data, a connection, end-of-stream. */
  heard: boolean
}

/** Operations that prove the peer at `remote` exists and talks. */
const HEARD_FROM = new Set<TraceOp>(['recv', 'recvfrom', 'accept', 'connect', 'eof'])
/** How far back a receive looks for its send among the unmatched ones. */
const MATCH_WINDOW = 64

const F_HANDSHAKE = 1
const F_MERGED = 2
const F_LATE = 4
const F_FIN = 8
const F_MATCHED = 16

// ---------------------------------------------------------------------------------------
// Addresses

const normCache = new Map<string, string>()

/** Canonical "host:port": lower case, no brackets, no IPv4-mapped prefix, localhost → 127.0.0.1. */
export function normalizeAddress(addr: string): string {
  const cached = normCache.get(addr)
  if (cached !== undefined) return cached
  let out = addr.trim().toLowerCase()
  const colon = out.lastIndexOf(':')
  if (colon > 0) {
    let host = out.slice(0, colon)
    const port = out.slice(colon + 1)
    if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1)
    if (host.startsWith('::ffff:') && host.includes('.')) host = host.slice(7)
    if (host === 'localhost') host = '127.0.0.1'
    out = `${host}:${port}`
  }
  if (normCache.size > 10_000) normCache.clear()
  normCache.set(addr, out)
  return out
}

/** TCP and UDP have separate port spaces: an address is owned per protocol. */
function addrKey(proto: Protocol, addr: string): string {
  return `${proto}|${normalizeAddress(addr)}`
}

function portOf(addr: string): string {
  return addr.slice(addr.lastIndexOf(':') + 1)
}

function isWildcard(addr: string): boolean {
  const host = addr.slice(0, addr.lastIndexOf(':'))
  return host === '0.0.0.0' || host === '::' || host === ''
}

interface ActorInfo {
  id: string
  kind: string
  role: ActorRole
  local?: string
  /** The last raw local address seen, to skip repeats cheaply. */
  lastRaw?: string
}

// ---------------------------------------------------------------------------------------
// Pass 1: actors and the addresses they own

interface AddressBook {
  actors: Map<string, ActorInfo>
  /** The first actor that ever used each local address (keyed by protocol and address). */
  firstOwner: Map<string, string>
  /** Wildcard listeners (0.0.0.0:port) by protocol and port. */
  wildcardByPort: Map<string, string>
}

function collectActors(events: readonly TraceEvent[], hints?: LifelineHint[]): AddressBook {
  const actors = new Map<string, ActorInfo>()
  const firstOwner = new Map<string, string>()
  const wildcardByPort = new Map<string, string>()
  for (const e of events) {
    let info = actors.get(e.actor)
    if (!info) {
      info = { id: e.actor, kind: e.actorKind, role: e.role }
      actors.set(e.actor, info)
    }
    if (e.local && e.local !== info.lastRaw) {
      info.lastRaw = e.local
      const local = normalizeAddress(e.local)
      const key = `${e.proto}|${local}`
      info.local ??= local
      if (!firstOwner.has(key)) firstOwner.set(key, e.actor)
      if (isWildcard(local)) wildcardByPort.set(`${e.proto}|${portOf(local)}`, e.actor)
    }
  }
  if (hints) {
    for (const hint of hints) {
      if (!actors.has(hint.id)) {
        actors.set(hint.id, { id: hint.id, kind: '', role: hint.role ?? 'client' })
      }
      for (const proto of ['tcp', 'udp'] as const) {
        const key = `${proto}|${hint.id}`
        if (!firstOwner.has(key)) firstOwner.set(key, hint.id)
      }
    }
  }
  return { actors, firstOwner, wildcardByPort }
}

// ---------------------------------------------------------------------------------------
// The builder

export function buildDiagram(events: readonly TraceEvent[], options: BuildOptions = {}): Diagram {
  const maxRows = Math.max(1, options.maxRows ?? DEFAULT_MAX_ROWS)
  const n = events.length
  const book = collectActors(events, options.lifelines)

  // --- Pass 2: the plan -----------------------------------------------------------------
  const rowCount = new Uint8Array(n)
  const flags = new Uint8Array(n)
  /** For a send: the seq of the receive that took it (0 = none). */
  const arrival = new Float64Array(n)
  /** The lifeline at the other end of each event (undefined if none). */
  const peerLane: (string | undefined)[] = new Array(n)
  /** Peers that are not traced actors: their address and who first talked to them. */
  const externals = new Map<string, ExternalInfo>()

  // Who owns an address right now (a port can be reused by a later actor).
  const owner = new Map<string, string>()
  const ownerByRaw = new Map<string, string>()
  // Resolutions are cached by protocol and raw address until the owners change.
  const resolved = new Map<string, string>()
  const resolve = (proto: Protocol, addr: string, selfRole: ActorRole): string => {
    const raw = `${proto}|${addr}`
    const hit = resolved.get(raw)
    if (hit !== undefined) return hit
    const key = addrKey(proto, addr)
    let lane =
      owner.get(key) ??
      book.firstOwner.get(key) ??
      book.wildcardByPort.get(`${proto}|${portOf(normalizeAddress(addr))}`)
    if (lane === undefined) {
      lane = EXTERNAL_PREFIX + key
      if (!externals.has(lane)) {
        externals.set(lane, { address: normalizeAddress(addr), seenBy: selfRole, heard: false })
      }
    }
    resolved.set(raw, lane)
    return lane
  }

  interface SendQueue {
    items: number[]
    head: number
  }
  /** Unmatched sends, by sender then by receiver lifeline. */
  const queues = new Map<string, Map<string, SendQueue>>()
  const queueOf = (from: string, to: string, create: boolean): SendQueue | undefined => {
    let byPeer = queues.get(from)
    if (!byPeer) {
      if (!create) return undefined
      byPeer = new Map()
      queues.set(from, byPeer)
    }
    let q = byPeer.get(to)
    if (!q && create) {
      q = { items: [], head: 0 }
      byPeer.set(to, q)
    }
    return q
  }
  /** TCP: bytes of a send not yet taken by a recv(). */
  const remaining = new Map<number, number>()
  /** A word on an unusual receive (several sends at once, part of one). */
  const receiveNote = new Map<number, string>()
  const pendingAccept = new Set<string>()
  const pendingConnect = new Set<string>()
  let lastRowEvent = -1

  for (let i = 0; i < n; i++) {
    const e = events[i]!
    if (e.local) {
      const raw = `${e.proto}|${e.local}`
      if (ownerByRaw.get(raw) !== e.actor) {
        ownerByRaw.set(raw, e.actor)
        owner.set(addrKey(e.proto, e.local), e.actor)
        resolved.clear()
      }
    }
    const peer = e.remote ? resolve(e.proto, e.remote, e.role) : undefined
    if (peer !== undefined && HEARD_FROM.has(e.op)) {
      const ext = externals.get(peer)
      if (ext) ext.heard = true
    }
    peerLane[i] = peer
    // Every event draws one thing; flags below add inferred packets or merge a receive.
    let rows = 1
    let flag = 0

    switch (e.op) {
      case 'send':
      case 'sendto': {
        if (peer !== undefined && peer !== e.actor) {
          queueOf(e.actor, peer, true)!.items.push(i)
        }
        break
      }
      case 'recv':
      case 'recvfrom': {
        if (peer === undefined) break
        const q = queueOf(peer, e.actor, false)
        if (!q) break
        while (q.head < q.items.length && flags[q.items[q.head]!]! & F_MATCHED) q.head++
        if (e.proto === 'tcp' && e.bytes !== undefined && e.bytes > 0) {
          // A TCP stream has no message boundaries: one recv() can take several sends,
          // or part of one. Consume the sends in order, byte by byte.
          let need = e.bytes
          let whole = 0
          let last = -1
          while (need > 0 && q.head < q.items.length) {
            const s = q.items[q.head]!
            const left = remaining.get(s) ?? events[s]!.bytes ?? 0
            last = s
            if (left <= need) {
              need -= left
              remaining.delete(s)
              flags[s] = flags[s]! | F_MATCHED
              arrival[s] = e.seq
              whole++
              q.head++
            } else {
              remaining.set(s, left - need)
              need = 0
            }
          }
          if (last < 0) break
          if (whole === 1 && need === 0 && !remaining.has(last) && lastRowEvent === last) {
            flag |= F_MERGED
            rows = 0
          } else {
            flag |= F_LATE
            if (whole > 1) receiveNote.set(i, `${whole} sends arrived in one recv()`)
            else if (whole === 0 || remaining.has(last)) {
              receiveNote.set(i, 'part of a send: the rest is still in the buffer')
            }
          }
          break
        }
        // Datagrams (and flows written without sizes): the earliest unmatched send of the
        // same size.
        const end = Math.min(q.items.length, q.head + MATCH_WINDOW)
        for (let k = q.head; k < end; k++) {
          const s = q.items[k]!
          if (flags[s]! & F_MATCHED || events[s]!.bytes !== e.bytes) continue
          flags[s] = flags[s]! | F_MATCHED
          arrival[s] = e.seq
          if (lastRowEvent === s) {
            flag |= F_MERGED
            rows = 0
          } else flag |= F_LATE
          break
        }
        break
      }
      case 'connect':
      case 'accept': {
        if (e.proto !== 'tcp') break
        const isConnect = e.op === 'connect'
        const clientAddr = isConnect ? e.local : e.remote
        const key = clientAddr ? normalizeAddress(clientAddr) : undefined
        const waiting = isConnect ? pendingConnect : pendingAccept
        const other = isConnect ? pendingAccept : pendingConnect
        if (key !== undefined && waiting.has(key)) {
          waiting.delete(key)
        } else if (peer !== undefined && peer !== e.actor) {
          flag |= F_HANDSHAKE
          rows += 3
          if (key !== undefined && !peer.startsWith(EXTERNAL_PREFIX)) other.add(key)
        }
        break
      }
      case 'eof': {
        if (peer !== undefined && peer !== e.actor) {
          flag |= F_FIN
          rows += 1
        }
        break
      }
      default:
        break
    }
    rowCount[i] = rows
    flags[i] = flags[i]! | flag
    if (rows > 0) lastRowEvent = i
  }

  // --- Pass 3: rows for the tail only -------------------------------------------------
  let start = n
  let budget = 0
  while (start > 0 && budget < maxRows) {
    start--
    budget += rowCount[start]!
  }

  const rows: DiagramRow[] = []
  const hintLabels = new Map(options.lifelines?.map((h) => [h.id, h.label]))
  for (let i = start; i < n; i++) {
    if (rowCount[i] === 0) continue
    emitRows(events[i]!, flags[i]!, peerLane[i], arrival[i]!, rows, hintLabels, receiveNote.get(i))
  }
  // The oldest event may have drawn more rows than the budget left: cut those.
  const drawn = rows.length > maxRows ? rows.slice(rows.length - maxRows) : rows
  const used = new Set<string>()
  for (const row of drawn) {
    if (row.kind === 'arrow') {
      used.add(row.from)
      used.add(row.to)
    } else used.add(row.lifeline)
  }

  return {
    lifelines: orderLifelines(used, drawn, book, externals, options.lifelines),
    rows: drawn,
    hiddenEvents: start,
    totalEvents: n,
  }
}

function levelOf(e: TraceEvent): Level {
  if (e.op === 'error') return 'error'
  return e.level ?? 'info'
}

/** Names an address for a detail: a lifeline's label in a hand-written flow, else itself. */
type Namer = (addr: string) => string | undefined
const CALL_DETAIL: Partial<Record<TraceOp, (e: TraceEvent, name: Namer) => string | undefined>> = {
  socket: (e) => (e.proto === 'tcp' ? 'TCP · SOCK_STREAM' : 'UDP · SOCK_DGRAM'),
  bind: (e, name) => (e.local ? name(e.local) : undefined),
  listen: (e, name) => {
    if (e.message) return e.message
    const at = e.local ? name(e.local) : undefined
    return at ? `on ${at}` : undefined
  },
  accept: (e, name) => (e.remote ? `← ${name(e.remote) ?? e.remote}` : undefined),
  connect: (e, name) => (e.remote ? `→ ${name(e.remote) ?? e.remote}` : undefined),
  eof: () => "recv() returned b'': the peer closed",
  close: (e) => e.message,
  error: (e) => e.message,
}

function emitRows(
  e: TraceEvent,
  flag: number,
  peer: string | undefined,
  arrivalSeq: number,
  out: DiagramRow[],
  hintLabels: Map<string, string>,
  note?: string,
): void {
  const level = levelOf(e)
  const base = (suffix: string) => ({ key: `${e.seq}${suffix}`, seq: e.seq, level })
  const me = e.actor

  if (flag & F_HANDSHAKE && peer !== undefined) {
    const client = e.op === 'connect' ? me : peer
    const server = e.op === 'connect' ? peer : me
    const packets: [string, string, string][] = [
      ['SYN', client, server],
      ['SYN-ACK', server, client],
      ['ACK', client, server],
    ]
    for (const [name, from, to] of packets) {
      out.push({
        ...base(`:${name}`),
        level: 'info',
        kind: 'arrow',
        from: from,
        to: to,
        label: `${name} (inferred)`,
        inferred: true,
        lost: false,
      })
    }
  }
  if (flag & F_FIN && peer !== undefined) {
    out.push({
      ...base(':FIN'),
      level: 'info',
      kind: 'arrow',
      from: peer,
      to: me,
      label: 'FIN (inferred)',
      inferred: true,
      lost: false,
    })
  }

  switch (e.op) {
    case 'send':
    case 'sendto':
    case 'drop':
    case 'recv':
    case 'recvfrom': {
      const isReceive = e.op === 'recv' || e.op === 'recvfrom'
      if (isReceive && flag & F_LATE) {
        out.push({
          ...base(''),
          kind: 'call',
          lifeline: me,
          op: e.op,
          label: e.op,
          detail: `${payloadLabel(e)} — ${note ?? 'sent earlier, waited in the receive buffer'}`,
        })
        return
      }
      if (peer === undefined || peer === me) {
        out.push({
          ...base(''),
          kind: 'call',
          lifeline: me,
          op: e.op,
          label: e.op,
          detail: payloadLabel(e) || e.message,
        })
        return
      }
      const data = payloadLabel(e)
      const row: ArrowRow = {
        ...base(''),
        kind: 'arrow',
        from: isReceive ? peer : me,
        to: isReceive ? me : peer,
        label: e.op === 'drop' ? (data ? `${data} (lost)` : 'lost') : data || e.op,
        inferred: false,
        lost: e.op === 'drop',
      }
      if (arrivalSeq > 0) row.arrivalSeq = arrivalSeq
      out.push(row)
      return
    }
    case 'timeout':
      out.push({
        ...base(''),
        kind: 'timeout',
        lifeline: me,
        label: 'timeout',
        detail: e.message,
      })
      return
    case 'note':
      out.push({ ...base(''), kind: 'note', lifeline: me, text: e.message ?? '' })
      return
    default: {
      // A hand-written flow's "addresses" are lifeline ids: name the peer, hide its own.
      const name: Namer = (addr) =>
        hintLabels.has(addr) ? (addr === e.local ? undefined : hintLabels.get(addr)) : addr
      const detail = CALL_DETAIL[e.op]?.(e, name) ?? e.message
      const row: CallRow = { ...base(''), kind: 'call', lifeline: me, op: e.op, label: e.op }
      if (detail) row.detail = detail
      out.push(row)
    }
  }
}

function orderLifelines(
  used: Set<string>,
  rows: DiagramRow[],
  book: AddressBook,
  externals: Map<string, ExternalInfo>,
  hints?: LifelineHint[],
): Lifeline[] {
  const make = (id: string): Lifeline => {
    const ext = externals.get(id)
    if (ext) {
      // Heard from (it sent data, or a handshake completed with it): a real program the
      // app does not trace, most likely the student's own. Only ever sent to: unknown.
      const title = ext.heard ? 'Your program' : 'Unknown peer'
      return {
        id,
        title,
        subtitle: ext.address,
        label: `${title} ${ext.address}`,
        role: ext.seenBy === 'server' ? 'client' : 'server',
        external: true,
      }
    }
    const info = book.actors.get(id)
    const title = info?.kind ? actorKindLabel(info.kind) : id
    const subtitle = info?.local ?? ''
    return {
      id,
      title,
      subtitle,
      label: subtitle ? `${title} ${subtitle}` : title,
      role: info?.role ?? 'client',
      external: false,
    }
  }

  if (hints && hints.length) {
    const hinted = hints.map((h) => ({
      id: h.id,
      title: h.label,
      subtitle: '',
      label: h.label,
      role: h.role ?? book.actors.get(h.id)?.role ?? 'client',
      external: false,
    }))
    const known = new Set(hints.map((h) => h.id))
    const extra = [...used].filter((id) => !known.has(id)).map(make)
    return [...hinted, ...extra]
  }

  // First appearance in the drawn rows, clients on the left, servers on the right.
  const order: string[] = []
  const seen = new Set<string>()
  const see = (id: string) => {
    if (!seen.has(id) && used.has(id)) {
      seen.add(id)
      order.push(id)
    }
  }
  for (const row of rows) {
    if (row.kind === 'arrow') {
      see(row.from)
      see(row.to)
    } else see(row.lifeline)
  }
  const lifelines = order.map(make)
  return [
    ...lifelines.filter((l) => l.role === 'client'),
    ...lifelines.filter((l) => l.role !== 'client'),
  ]
}
