import type { ActorRole, Protocol, TraceEvent, TraceOp, TraceTag } from '@shared/trace'
import { isWildcardAddress, normalizeAddress as normalizeShared } from '@shared/address'
import { actorKindLabel, payloadLabel } from '@renderer/format'
import { STUDENT_ACTOR_KIND } from '@renderer/features/student/student-lines'
import { fixedLog, TraceCursor, type TraceLog } from '@renderer/trace-log'

/**
 * Pure layout logic of the sequence diagram: from a trace to lifelines and rows.
 *
 * Works in three passes so that a 100,000-event trace stays cheap:
 *   1. who owns which address (Maps only);
 *   2. a plan per event (compact arrays: how many rows it draws, which send a receive
 *      belongs to, where the inferred handshake goes);
 *   3. row objects, built only for the last `maxRows` rows.
 *
 * A `DiagramBuilder` keeps the first two passes' state between calls, so a live trace
 * (an append-only log) costs only its new events: the result is exactly what a full
 * build of the whole trace gives (when a new event would change how an earlier one was
 * resolved, or the log starts a new epoch, the builder starts over).
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
  /** Its program closed its socket and did nothing since (a client that is done). */
  finished?: boolean
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
  /**
   * Badges: what the relay did to the datagram (delayed, duplicated, reordered) and what
   * the receiver made of it (late, duplicate). `lost` is the arrow's own shape instead.
   */
  tags?: TraceTag[]
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
  /** How many rows the whole trace draws, and the number of the first one drawn here. */
  totalRows: number
  firstRow: number
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

/** Events processed between two looks at the clock, when updating against a deadline. */
const SLICE = 512
/** Receives kept per sender and receiver while their send may still be reported late. */
const EARLY_WINDOW = 32

const F_HANDSHAKE = 1
const F_MERGED = 2
const F_LATE = 4
const F_FIN = 8
const F_MATCHED = 16

// ---------------------------------------------------------------------------------------
// Addresses

const normCache = new Map<string, string>()

/** The shared normaliser, cached: the same few addresses come back on every event. */
export function normalizeAddress(addr: string): string {
  const cached = normCache.get(addr)
  if (cached !== undefined) return cached
  const out = normalizeShared(addr)
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

interface ActorInfo {
  id: string
  kind: string
  role: ActorRole
  local?: string
  /** The last raw local address seen, to skip repeats cheaply. */
  lastRaw?: string
  /** Its last event so far was a close(). */
  closed?: boolean
}

/** A growable array of small unsigned numbers (flags, row counts). */
class Bytes {
  data = new Uint8Array(256)
  at(i: number): number {
    return this.data[i]!
  }
  set(i: number, value: number): void {
    if (i >= this.data.length) {
      const next = new Uint8Array(Math.max(i + 1, this.data.length * 2))
      next.set(this.data)
      this.data = next
    }
    this.data[i] = value
  }
}

interface SendQueue {
  items: number[]
  head: number
}

// ---------------------------------------------------------------------------------------
// The builder

/**
 * Builds the diagram of a trace log: `update` processes only the events appended since the
 * last call (within a time budget if asked), `diagram` draws the last rows of what was
 * processed. A new epoch of the log starts it over. `buildDiagram` is a one-shot use of it.
 */
export class DiagramBuilder {
  private readonly hints: LifelineHint[] | undefined
  /** A hand-written flow's lifeline ids double as addresses, in both protocols. */
  private readonly hintOwner = new Map<string, string>()
  private readonly hintLabels: Map<string, string>

  /** The log's events as of the last update, and where the builder is in its epoch. */
  private events: readonly TraceEvent[] = []
  /** Programs the log leaves out, by address: they name a peer that is not drawn. */
  private others: ReadonlyMap<string, string> | undefined
  private readonly cursor = new TraceCursor()
  /** Events planned (pass 2), and events whose owners are known (pass 1, never fewer). */
  private n = 0
  private collected = 0
  /** Events processed between two looks at the clock, when updating against a deadline. */
  private readonly slice: number
  private rowTotal = 0

  // --- Pass 1: actors and the addresses they own (from the events only) ---------------
  private actors = new Map<string, ActorInfo>()
  /** The first actor that ever used each local address (keyed by protocol and address). */
  private firstOwner = new Map<string, string>()
  /** Wildcard listeners (0.0.0.0:port) by protocol and port: the last one wins. */
  private wildcardByPort = new Map<string, string>()
  /** Address keys resolved without a first owner: a first owner appearing later changes them. */
  private resolvedWithoutOwner = new Set<string>()
  /** Ports whose wildcard listener was looked up: a new listener there changes them. */
  private resolvedByPort = new Set<string>()

  // --- Pass 2: the plan ---------------------------------------------------------------
  private rowCount = new Bytes()
  private flags = new Bytes()
  /** For a send: the seq of the receive that took it (0 = none). */
  private arrival: number[] = []
  /** The lifeline at the other end of each event (undefined if none). */
  private peerLane: (string | undefined)[] = []
  /** Peers that are not traced actors: their address and who first talked to them. */
  private externals = new Map<string, ExternalInfo>()
  /** Who owns an address right now (a port can be reused by a later actor). */
  private owner = new Map<string, string>()
  /** The last actor seen on each raw local address, by protocol (no string building). */
  private ownerByRaw = { tcp: new Map<string, string>(), udp: new Map<string, string>() }
  /** Resolutions, cached by protocol and raw address until the owners change. */
  private resolved = { tcp: new Map<string, string>(), udp: new Map<string, string>() }
  /** Unmatched sends, by sender then by receiver lifeline. */
  private queues = new Map<string, Map<string, SendQueue>>()
  /** TCP: bytes of a send not yet taken by a recv(). */
  private remaining = new Map<number, number>()
  /** A word on an unusual receive (several sends at once, part of one). */
  private receiveNote = new Map<number, string>()
  /** For a send: the tag of the receive that took it (late, duplicate), drawn on its arrow. */
  private arrivalTag = new Map<number, TraceTag>()
  /**
   * Receives from a traced actor whose send had not been reported yet, by sender then
   * receiver: a student's program reports through a pipe, so its send can come in after the
   * app's receive of it. The late send then joins the arrow the receive drew.
   */
  private earlyReceives = new Map<string, number[]>()
  private pendingAccept = new Set<string>()
  private pendingConnect = new Set<string>()
  private lastRowEvent = -1
  /**
   * For an event drawn as a row: when the next row's event happened. A receive recorded after
   * other rows (a student program's calls reach main a few milliseconds late, through its
   * pipe) but made before the first of them was read at once, not "sent earlier".
   */
  private nextRowTime = new Map<number, number>()

  constructor(lifelines?: LifelineHint[], options: { slice?: number } = {}) {
    this.slice = Math.max(1, options.slice ?? SLICE)
    this.hints = lifelines?.length ? lifelines : undefined
    for (const hint of lifelines ?? []) {
      for (const proto of ['tcp', 'udp'] as const) {
        const key = `${proto}|${hint.id}`
        if (!this.hintOwner.has(key)) this.hintOwner.set(key, hint.id)
      }
    }
    this.hintLabels = new Map(lifelines?.map((h) => [h.id, h.label]))
  }

  /** How many rows the events processed so far draw. */
  get totalRows(): number {
    return this.rowTotal
  }

  /**
   * Brings the plan up to date with the log: only the events appended since the last call
   * cost anything. With a `deadline` (a `performance.now()` time) it stops once that has
   * passed, between slices of events: call again to go on (`behind` says how many events
   * are left). Returns how many rows the events processed added.
   */
  update(log: TraceLog, deadline = Infinity): number {
    const before = this.rowTotal
    if (this.cursor.sync(log)) this.reset()
    const events = (this.events = log.events)
    this.others = log.others
    const to = log.length
    while (this.n < to) {
      if (this.collected === this.n) {
        const end = deadline === Infinity ? to : Math.min(to, this.n + this.slice)
        if (!this.collectActors(events, this.n, end)) {
          // A new address owner changes how earlier events resolve: plan them again,
          // knowing every owner up to here.
          this.reset()
          this.collectActors(events, 0, end)
        }
        this.collected = end
      }
      const planEnd =
        deadline === Infinity ? this.collected : Math.min(this.collected, this.n + this.slice)
      this.plan(events, this.n, planEnd)
      if (this.n < to && performance.now() > deadline) break
    }
    this.cursor.next = this.n
    return Math.max(0, this.rowTotal - before)
  }

  /** How many events of the log are not processed yet. */
  behind(log: TraceLog): number {
    return this.cursor.behind(log)
  }

  /** The last `maxRows` rows of what was processed, with the lifelines they use. */
  diagram(maxRows = DEFAULT_MAX_ROWS): Diagram {
    const events = this.events
    const n = this.n
    const budgetMax = Math.max(1, maxRows)
    let start = n
    let budget = 0
    while (start > 0 && budget < budgetMax) {
      start--
      budget += this.rowCount.at(start)
    }

    const rows: DiagramRow[] = []
    for (let i = start; i < n; i++) {
      if (this.rowCount.at(i) === 0) continue
      emitRows(
        events[i]!,
        this.flags.at(i),
        this.peerLane[i],
        this.arrival[i]!,
        rows,
        this.hintLabels,
        this.receiveNote.get(i),
        this.arrivalTag.get(i),
      )
    }
    // The oldest event may have drawn more rows than the budget left: cut those.
    const drawn = rows.length > budgetMax ? rows.slice(rows.length - budgetMax) : rows
    const used = new Set<string>()
    for (const row of drawn) {
      if (row.kind === 'arrow') {
        used.add(row.from)
        used.add(row.to)
      } else used.add(row.lifeline)
    }

    return {
      lifelines: orderLifelines(used, drawn, this.actors, this.externals, this.hints, this.others),
      rows: drawn,
      hiddenEvents: start,
      totalEvents: n,
      totalRows: this.rowTotal,
      firstRow: this.rowTotal - drawn.length,
    }
  }

  private reset(): void {
    this.n = 0
    this.collected = 0
    this.rowTotal = 0
    this.actors = new Map()
    this.firstOwner = new Map()
    this.wildcardByPort = new Map()
    this.resolvedWithoutOwner = new Set()
    this.resolvedByPort = new Set()
    this.rowCount = new Bytes()
    this.flags = new Bytes()
    this.arrival = []
    this.peerLane = []
    this.externals = new Map()
    this.owner = new Map()
    this.ownerByRaw = { tcp: new Map(), udp: new Map() }
    this.resolved = { tcp: new Map(), udp: new Map() }
    this.queues = new Map()
    this.remaining = new Map()
    this.receiveNote = new Map()
    this.arrivalTag = new Map()
    this.earlyReceives = new Map()
    this.pendingAccept = new Set()
    this.pendingConnect = new Set()
    this.lastRowEvent = -1
    this.nextRowTime = new Map()
  }

  /**
   * Pass 1 over events[from..to]. False when a new entry would change how an event
   * already planned resolved its peer (the plan must then be made again).
   */
  private collectActors(events: readonly TraceEvent[], from: number, to: number): boolean {
    let stillValid = true
    for (let i = from; i < to; i++) {
      const e = events[i]!
      let info = this.actors.get(e.actor)
      if (!info) {
        info = { id: e.actor, kind: e.actorKind, role: e.role }
        this.actors.set(e.actor, info)
      }
      // A student's socket is a client until it binds a port to wait on: then its lane is
      // a server's, drawn on the servers' side.
      if (e.role === 'server') info.role = 'server'
      info.closed = e.op === 'close'
      if (e.local && e.local !== info.lastRaw) {
        info.lastRaw = e.local
        const local = normalizeAddress(e.local)
        const key = `${e.proto}|${local}`
        // An app actor keeps its first address (a relay's listening one). The student's
        // program is one actor over all its runs: its lane shows the latest run's address.
        if (info.kind === STUDENT_ACTOR_KIND || info.local === undefined) info.local = local
        if (!this.firstOwner.has(key)) {
          this.firstOwner.set(key, e.actor)
          if (this.resolvedWithoutOwner.has(key)) stillValid = false
        }
        if (isWildcardAddress(local)) {
          const port = `${e.proto}|${portOf(local)}`
          if (this.wildcardByPort.get(port) !== e.actor) {
            this.wildcardByPort.set(port, e.actor)
            if (this.resolvedByPort.has(port)) stillValid = false
          }
        }
      }
    }
    return stillValid
  }

  private resolve(proto: Protocol, addr: string, selfRole: ActorRole): string {
    const cache = this.resolved[proto]
    const hit = cache.get(addr)
    if (hit !== undefined) return hit
    const key = addrKey(proto, addr)
    let lane = this.owner.get(key) ?? this.firstOwner.get(key)
    if (lane === undefined) {
      this.resolvedWithoutOwner.add(key)
      lane = this.hintOwner.get(key)
    }
    if (lane === undefined) {
      const port = `${proto}|${portOf(normalizeAddress(addr))}`
      this.resolvedByPort.add(port)
      lane = this.wildcardByPort.get(port)
    }
    if (lane === undefined) {
      lane = EXTERNAL_PREFIX + key
      if (!this.externals.has(lane)) {
        this.externals.set(lane, {
          address: normalizeAddress(addr),
          seenBy: selfRole,
          heard: false,
        })
      }
    }
    cache.set(addr, lane)
    return lane
  }

  /**
   * The role an untraced peer is seen from. A relay faces clients on the address it listens
   * on (its first) and servers on its upstream sockets: a peer of the first is a client.
   */
  private sideOf(e: TraceEvent): ActorRole {
    if (e.role !== 'relay') return e.role
    const listen = this.actors.get(e.actor)?.local
    return e.local !== undefined && normalizeAddress(e.local) === listen ? 'server' : 'client'
  }

  private queueOf(from: string, to: string, create: boolean): SendQueue | undefined {
    let byPeer = this.queues.get(from)
    if (!byPeer) {
      if (!create) return undefined
      byPeer = new Map()
      this.queues.set(from, byPeer)
    }
    let q = byPeer.get(to)
    if (!q && create) {
      q = { items: [], head: 0 }
      byPeer.set(to, q)
    }
    return q
  }

  /** Pass 2 over events[from..to]: what each event draws. */
  private plan(events: readonly TraceEvent[], from: number, to: number): void {
    const flags = this.flags
    const arrival = this.arrival
    const remaining = this.remaining
    for (let i = from; i < to; i++) {
      const e = events[i]!
      if (e.local) {
        const byRaw = this.ownerByRaw[e.proto]
        if (byRaw.get(e.local) !== e.actor) {
          byRaw.set(e.local, e.actor)
          this.owner.set(addrKey(e.proto, e.local), e.actor)
          this.resolved.tcp.clear()
          this.resolved.udp.clear()
        }
      }
      const peer = e.remote ? this.resolve(e.proto, e.remote, this.sideOf(e)) : undefined
      if (peer !== undefined && HEARD_FROM.has(e.op)) {
        const ext = this.externals.get(peer)
        if (ext) ext.heard = true
      }
      this.peerLane[i] = peer
      arrival[i] = 0
      // Every event draws one thing; flags below add inferred packets or merge a receive.
      let rows = 1
      let flag = 0

      switch (e.op) {
        case 'send':
        case 'sendto': {
          if (peer === undefined || peer === e.actor) break
          const r = this.takeEarlyReceive(events, e, peer)
          if (r >= 0) {
            // Already drawn by its receive, where it belongs in time: nothing more to draw.
            flag |= F_MATCHED
            arrival[i] = events[r]!.seq
            rows = 0
          } else this.queueOf(e.actor, peer, true)!.items.push(i)
          break
        }
        case 'recv':
        case 'recvfrom': {
          if (peer === undefined) break
          const q = this.queueOf(peer, e.actor, false)
          if (!q) break
          while (q.head < q.items.length && flags.at(q.items[q.head]!) & F_MATCHED) q.head++
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
                flags.set(s, flags.at(s) | F_MATCHED)
                arrival[s] = e.seq
                whole++
                q.head++
              } else {
                remaining.set(s, left - need)
                need = 0
              }
            }
            if (last < 0) break
            if (whole === 1 && need === 0 && !remaining.has(last) && this.readAtOnce(last, e)) {
              flag |= F_MERGED
              rows = 0
            } else {
              flag |= F_LATE
              if (whole > 1) this.receiveNote.set(i, `${whole} sends arrived in one recv()`)
              else if (whole === 0 || remaining.has(last)) {
                this.receiveNote.set(i, 'part of a send: the rest is still in the buffer')
              }
            }
            break
          }
          // Datagrams (and flows written without sizes): the earliest unmatched send of the
          // same size.
          const end = Math.min(q.items.length, q.head + MATCH_WINDOW)
          for (let k = q.head; k < end; k++) {
            const s = q.items[k]!
            if (flags.at(s) & F_MATCHED || events[s]!.bytes !== e.bytes) continue
            flags.set(s, flags.at(s) | F_MATCHED)
            arrival[s] = e.seq
            if (e.tag !== undefined) this.arrivalTag.set(s, e.tag)
            if (this.readAtOnce(s, e)) {
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
          const waiting = isConnect ? this.pendingConnect : this.pendingAccept
          const other = isConnect ? this.pendingAccept : this.pendingConnect
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
      if (
        (e.op === 'recv' || e.op === 'recvfrom') &&
        !(flag & (F_MERGED | F_LATE)) &&
        peer !== undefined &&
        peer !== e.actor &&
        !peer.startsWith(EXTERNAL_PREFIX) &&
        e.bytes
      ) {
        this.rememberEarlyReceive(peer, e.actor, i)
      }
      this.rowCount.set(i, rows)
      flags.set(i, flags.at(i) | flag)
      this.rowTotal += rows
      if (rows > 0) {
        if (this.lastRowEvent >= 0) this.nextRowTime.set(this.lastRowEvent, e.t)
        this.lastRowEvent = i
      }
    }
    this.n = to
  }

  private rememberEarlyReceive(from: string, to: string, i: number): void {
    const key = `${from}\u0000${to}`
    let list = this.earlyReceives.get(key)
    if (!list) this.earlyReceives.set(key, (list = []))
    list.push(i)
    if (list.length > EARLY_WINDOW) list.shift()
  }

  /** The earliest remembered receive that the send `e` can be: same size, made after it. */
  private takeEarlyReceive(events: readonly TraceEvent[], e: TraceEvent, peer: string): number {
    const list = this.earlyReceives.get(`${e.actor}\u0000${peer}`)
    if (!list) return -1
    for (let k = 0; k < list.length; k++) {
      const r = events[list[k]!]!
      if (r.bytes === e.bytes && r.t > e.t) return list.splice(k, 1)[0]!
    }
    return -1
  }

  /** Was the receive `e` of send `s` made before anything drawn after the send happened? */
  private readAtOnce(s: number, e: TraceEvent): boolean {
    if (this.lastRowEvent === s) return true
    const next = this.nextRowTime.get(s)
    return next !== undefined && e.t < next
  }
}

/** The whole diagram of a trace at once: its last `maxRows` rows and their lifelines. */
export function buildDiagram(events: readonly TraceEvent[], options: BuildOptions = {}): Diagram {
  const builder = new DiagramBuilder(options.lifelines)
  builder.update(fixedLog(events))
  return builder.diagram(options.maxRows ?? DEFAULT_MAX_ROWS)
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
  arrivalTag?: TraceTag,
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
        const said = e.tag ? (e.message ?? `${e.tag} reply`) : undefined
        out.push({
          ...base(''),
          kind: 'call',
          lifeline: me,
          op: e.op,
          label: e.op,
          detail: `${payloadLabel(e)} — ${said ?? note ?? 'sent earlier, waited in the receive buffer'}`,
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
      const tags = badgesOf(e.tag, arrivalTag)
      if (tags) row.tags = tags
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

/** The badges of an arrow: its own tag and its receiver's, without `lost` (drawn as a cross). */
function badgesOf(own?: TraceTag, arrival?: TraceTag): TraceTag[] | undefined {
  if (own === undefined && arrival === undefined) return undefined
  const tags: TraceTag[] = []
  if (own !== undefined && own !== 'lost') tags.push(own)
  if (arrival !== undefined && arrival !== 'lost' && arrival !== own) tags.push(arrival)
  return tags.length ? tags : undefined
}

/**
 * A server stopped and started again on the same address is a new program run with a new
 * lifeline; number such runs so two identical headers never sit side by side.
 */
function numberRuns(lifelines: Lifeline[]): Lifeline[] {
  const total = new Map<string, number>()
  for (const l of lifelines) total.set(l.label, (total.get(l.label) ?? 0) + 1)
  const seen = new Map<string, number>()
  return lifelines.map((l) => {
    if (l.external || total.get(l.label)! < 2) return l
    const run = (seen.get(l.label) ?? 0) + 1
    seen.set(l.label, run)
    const title = `${l.title} (run ${run})`
    return { ...l, title, label: l.subtitle ? `${title} ${l.subtitle}` : title }
  })
}

/**
 * "your x.py · Thread-2 (serve)" → "Thread-2 · x.py": the thread's name (without the target
 * function Python adds to it), then the file. The main thread keeps "your x.py".
 */
export function studentTitle(id: string): string {
  const at = id.indexOf(' · ')
  if (at < 0) return id
  const thread = id.slice(at + 3).replace(/ \(.*\)$/, '')
  return `${thread} · ${id.slice(0, at).replace(/^your /, '')}`
}

/** The program of another step that used this address (`proto|host:port`), if one did. */
function otherProgram(others: ReadonlyMap<string, string> | undefined, key: string) {
  if (!others) return undefined
  return others.get(key) ?? others.get(`${key.slice(0, key.indexOf('|'))}|*:${portOf(key)}`)
}

function orderLifelines(
  used: Set<string>,
  rows: DiagramRow[],
  actors: Map<string, ActorInfo>,
  externals: Map<string, ExternalInfo>,
  hints?: LifelineHint[],
  others?: ReadonlyMap<string, string>,
): Lifeline[] {
  const make = (id: string): Lifeline => {
    const ext = externals.get(id)
    if (ext) {
      // A program of another step, left out of this drawing: named for what it is. Else,
      // heard from (it sent data, or a handshake completed with it): a real program the
      // app does not trace, most likely the student's own. Only ever sent to: unknown.
      const other = otherProgram(others, id.slice(EXTERNAL_PREFIX.length))
      // Its name is the head's title (dashed, as every program not drawn); the label read
      // aloud and shown on hover says why its own calls are missing.
      const title = other ?? (ext.heard ? 'Your program' : 'Unknown peer')
      return {
        id,
        title,
        subtitle: ext.address,
        label: `${title}${other ? ' (another step’s program, not drawn here)' : ''} ${ext.address}`,
        role: ext.seenBy === 'server' ? 'client' : 'server',
        external: true,
      }
    }
    const info = actors.get(id)
    // The student's own program is named after its file ("your counter_server.py"); one of
    // its threads leads with the thread's name, the part that tells its lanes apart.
    const title =
      info?.kind && info.kind !== STUDENT_ACTOR_KIND ? actorKindLabel(info.kind) : studentTitle(id)
    const subtitle = info?.local ?? ''
    return {
      id,
      title,
      subtitle,
      label: subtitle ? `${title} ${subtitle}` : title,
      role: info?.role ?? 'client',
      external: false,
      finished: info?.closed === true,
    }
  }

  if (hints && hints.length) {
    const hinted = hints.map((h) => ({
      id: h.id,
      title: h.label,
      subtitle: '',
      label: h.label,
      role: h.role ?? actors.get(h.id)?.role ?? 'client',
      external: false,
    }))
    const known = new Set(hints.map((h) => h.id))
    const extra = [...used].filter((id) => !known.has(id)).map(make)
    return [...hinted, ...extra]
  }

  // First appearance in the drawn rows, clients on the left, servers on the right, and a
  // relay between them.
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
  const lifelines = numberRuns(order.map(make))
  return [
    ...lifelines.filter((l) => l.role === 'client'),
    ...lifelines.filter((l) => l.role === 'relay'),
    ...lifelines.filter((l) => l.role !== 'client' && l.role !== 'relay'),
  ]
}
