import type { TraceEvent } from '@shared/trace'
import { isWildcardAddress, normalizeAddress } from '@shared/address'
import { STUDENT_ACTOR_KIND } from '@renderer/features/student/student-lines'

/** The server kinds whose clients get swim lanes: the app's, and a TCP server of the student's. */
export const LANE_SERVER_KINDS = [
  'sequential-server',
  'concurrent-server',
  STUDENT_ACTOR_KIND,
] as const

/**
 * The program an actor belongs to: a student's threaded server reports each thread as an
 * actor of its own ("your threaded_server.py · Thread-1"), all of one server run.
 */
const programOf = (actor: string) => actor.split(' · ')[0]!

const portOf = (addr: string) => addr.slice(addr.lastIndexOf(':') + 1)
/** A server listening on every interface is reached at any of them: known by its port. */
const listenKey = (local: string) => (isWildcardAddress(local) ? `*:${portOf(local)}` : local)

/** One client connection, from its connect to its close, as times in ms of the trace. */
export interface Lane {
  conn: string
  /** The client actor (e.g. "mc-client#2"), or the client's address for a foreign client. */
  label: string
  connectedAt: number
  acceptedAt?: number
  firstServedAt?: number
  doneAt?: number
  pongs: number
  /** Connected, not served yet; being served; gone. */
  state: 'waiting' | 'served' | 'done'
  /** From connect to the first PONG (or to now, while still waiting). */
  waitMs: number
}

/** One server run and the clients it had. */
export interface LaneGroup {
  server: string
  kind: string
  start: number
  /** The listening socket's close, or the latest time seen while it still runs. */
  end: number
  lanes: Lane[]
  /** Lanes not drawn because of the cap. */
  hidden: number
  clients: number
  /** The most clients being served at one moment. */
  maxOverlap: number
  longestWaitMs: number
}

export interface LaneOptions {
  /** At most this many lanes per server run are returned; the rest are only counted. */
  maxLanes?: number
}

const isPong = (e: TraceEvent) => e.payload?.startsWith('PONG') === true

interface Building {
  group: LaneGroup
  local: string
  byConn: Map<string, Lane>
  open: boolean
}

/**
 * Swim lanes from a trace: one group per multi-client server run, one lane per client
 * connection. Pure, one pass over the events.
 */
export function layoutSwimLanes(
  events: readonly TraceEvent[],
  { maxLanes = 40 }: LaneOptions = {},
): LaneGroup[] {
  const kinds = new Set<string>(LANE_SERVER_KINDS)
  const groups: Building[] = []
  const byServer = new Map<string, Building>()
  const byLocal = new Map<string, Building>()
  const now = events.length ? events[events.length - 1]!.t : 0

  const lane = (b: Building, conn: string, t: number, label: string) => {
    let l = b.byConn.get(conn)
    if (!l) {
      l = { conn, label, connectedAt: t, pongs: 0, state: 'waiting', waitMs: 0 }
      b.byConn.set(conn, l)
    }
    return l
  }

  for (const e of events) {
    if (kinds.has(e.actorKind) && e.role === 'server') {
      const server = programOf(e.actor)
      if (e.op === 'listen') {
        const b: Building = {
          group: emptyGroup(server, e.actorKind, e.t),
          local: e.local ? normalizeAddress(e.local) : '',
          byConn: new Map(),
          open: true,
        }
        groups.push(b)
        byServer.set(server, b)
        if (b.local) byLocal.set(listenKey(b.local), b)
        continue
      }
      const b = byServer.get(server)
      if (!b) continue
      if (e.conn === undefined) {
        if (e.op === 'close') {
          b.open = false
          b.group.end = e.t
          if (byLocal.get(listenKey(b.local)) === b) byLocal.delete(listenKey(b.local))
        }
        continue
      }
      const l = lane(b, e.conn, e.t, e.remote ?? e.conn)
      if (e.op === 'accept') {
        l.acceptedAt = e.t
        l.connectedAt = Math.min(l.connectedAt, e.t)
      } else if (e.op === 'send' && isPong(e)) {
        l.firstServedAt ??= e.t
        l.pongs++
      } else if (e.op === 'close') l.doneAt = e.t
      continue
    }
    if (e.role !== 'client' || e.conn === undefined || e.remote === undefined) continue
    const remote = normalizeAddress(e.remote)
    const b = byLocal.get(remote) ?? byLocal.get(`*:${portOf(remote)}`)
    if (!b) continue
    if (e.op === 'connect') {
      const l = lane(b, e.conn, e.t, e.actor)
      l.label = e.actor
      l.connectedAt = Math.min(l.connectedAt, e.t)
    } else if (e.op === 'recv' && isPong(e)) {
      const l = b.byConn.get(e.conn)
      if (l) l.firstServedAt ??= e.t
    }
  }

  return groups.map(({ group, byConn, open }) => {
    const all = [...byConn.values()].sort((a, b) => a.connectedAt - b.connectedAt)
    if (open) group.end = Math.max(group.start, now)
    for (const l of all) {
      l.state =
        l.doneAt !== undefined ? 'done' : l.firstServedAt !== undefined ? 'served' : 'waiting'
      l.waitMs = round((l.firstServedAt ?? l.doneAt ?? group.end) - l.connectedAt)
      group.longestWaitMs = Math.max(group.longestWaitMs, l.waitMs)
    }
    // The drawn span is the clients' time, from the first connect to the last close: the
    // server's idle time before and after would only squeeze the bars.
    if (all.length > 0) {
      const stillOpen = all.some((l) => l.doneAt === undefined)
      group.start = all[0]!.connectedAt
      group.end = stillOpen ? group.end : Math.max(...all.map((l) => l.doneAt!))
    }
    group.clients = all.length
    group.maxOverlap = maxOverlap(all, group.end)
    group.lanes = all.slice(0, maxLanes)
    group.hidden = all.length - group.lanes.length
    return group
  })
}

function emptyGroup(server: string, kind: string, start: number): LaneGroup {
  return {
    server,
    kind,
    start,
    end: start,
    lanes: [],
    hidden: 0,
    clients: 0,
    maxOverlap: 0,
    longestWaitMs: 0,
  }
}

/** The most lanes whose service (first PONG to close) covers one moment. */
export function maxOverlap(lanes: readonly Lane[], end: number): number {
  const points: [number, number][] = []
  for (const l of lanes) {
    if (l.firstServedAt === undefined) continue
    points.push([l.acceptedAt ?? l.firstServedAt, 1], [l.doneAt ?? end, -1])
  }
  // Ends before starts at the same instant: touching is not overlapping.
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1])
  let current = 0
  let best = 0
  for (const [, d] of points) {
    current += d
    best = Math.max(best, current)
  }
  return best
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10
}
