import type { TraceEvent } from '@shared/trace'
import { countParam, notYet, pass, type CheckpointRule } from './rule'

const SEQUENTIAL = 'sequential-server'
const CONCURRENT = 'concurrent-server'

/** One connection as its server saw it, plus when its client connected. */
export interface ServedConn {
  conn: string
  server: string
  /** The client's connect (the app's client), or the server's "waits in the backlog" note. */
  connected?: TraceEvent
  accept: TraceEvent
  firstPong?: TraceEvent
  close?: TraceEvent
  eof?: TraceEvent
  pings: number
  pongs: number
}

const isPingLine = (e: TraceEvent) => e.payload?.replace(/\\n$/, '').trim() === 'PING'
const isPongLine = (e: TraceEvent) => e.payload?.replace(/\\n$/, '').trim() === 'PONG'

/** Every connection each multi-client server of `kind` accepted, grouped by server actor. */
export function servedConnections(
  trace: readonly TraceEvent[],
  kind: string,
): Map<string, ServedConn[]> {
  const byServer = new Map<string, ServedConn[]>()
  const byConn = new Map<string, ServedConn>()
  const connects = new Map<string, TraceEvent>()
  for (const e of trace) {
    if (e.conn === undefined) continue
    if (e.role === 'client' && e.op === 'connect' && !connects.has(e.conn)) connects.set(e.conn, e)
    if (e.actorKind !== kind) continue
    const key = `${e.actor} ${e.conn}`
    if (e.op === 'note' && !connects.has(e.conn)) connects.set(e.conn, e)
    if (e.op === 'accept') {
      const c: ServedConn = {
        conn: e.conn,
        server: e.actor,
        connected: connects.get(e.conn),
        accept: e,
        pings: 0,
        pongs: 0,
      }
      byConn.set(key, c)
      let list = byServer.get(e.actor)
      if (!list) byServer.set(e.actor, (list = []))
      list.push(c)
      continue
    }
    const c = byConn.get(key)
    if (!c || c.close) continue
    if (e.op === 'recv' && isPingLine(e)) c.pings++
    else if (e.op === 'send' && isPongLine(e)) {
      c.pongs++
      c.firstPong ??= e
    } else if (e.op === 'eof') c.eof = e
    else if (e.op === 'close') c.close = e
  }
  return byServer
}

/** Connections that got at least one PONG and were closed. */
const completed = (list: ServedConn[]) => list.filter((c) => c.firstPong && c.close)

/** The largest set of connections that were all being served at one moment (by seq). */
export function largestOverlap(list: ServedConn[]): ServedConn[] {
  let best: ServedConn[] = []
  for (const c of list) {
    // At the moment c was accepted: everyone accepted before and not yet closed.
    const at = c.accept.seq
    const together = list.filter(
      (o) => o.accept.seq <= at && (o.close === undefined || o.close.seq > at),
    )
    if (together.length > best.length) best = together
  }
  return best
}

/** N clients served by one sequential server, one after another, none overlapping. */
export const mcSequentialServed: CheckpointRule = {
  kind: 'mc-sequential-served',
  evaluate(trace, params) {
    const need = countParam(params, 3)
    let most = 0
    for (const [server, list] of servedConnections(trace, SEQUENTIAL)) {
      const done = completed(list)
      most = Math.max(most, done.length)
      if (done.length < need) continue
      if (largestOverlap(list).length > 1) {
        return notYet(`${server} served two clients at the same time: that is not sequential.`)
      }
      return pass(
        `${server} served ${done.length} clients one after another, never two at once.`,
        done.flatMap((c) => [c.accept, c.close!]),
      )
    }
    if (most === 0) return notYet('No client has been served by the sequential server yet.')
    return notYet(`Best so far: ${most} of ${need} clients served by one sequential server.`)
  },
}

/**
 * The backlog lesson: a client connected while the sequential server was serving another
 * one, and got its first PONG only after that other client had left.
 */
export const mcBacklogWait: CheckpointRule = {
  kind: 'mc-backlog-wait',
  evaluate(trace) {
    let connectedEarly = false
    for (const list of servedConnections(trace, SEQUENTIAL).values()) {
      for (const waiter of list) {
        const connected = waiter.connected
        if (!connected) continue
        const busyWith = list.find(
          (o) =>
            o !== waiter &&
            o.accept.seq < connected.seq &&
            (o.close === undefined || o.close.seq > connected.seq),
        )
        if (!busyWith) continue
        connectedEarly = true
        if (waiter.firstPong && busyWith.close && busyWith.close.seq < waiter.firstPong.seq) {
          return pass(
            `A client connected while ${waiter.server} was busy, waited in the backlog, and got its first PONG only after the first client left.`,
            [connected, busyWith.close, waiter.accept, waiter.firstPong],
          )
        }
      }
    }
    // The sequential server notes each connection that arrives while it is busy.
    connectedEarly ||= trace.some(
      (e) => e.actorKind === SEQUENTIAL && e.op === 'note' && e.conn !== undefined,
    )
    if (connectedEarly) {
      return notYet('A client is waiting in the backlog: let the first one finish.')
    }
    return notYet(
      'No client has connected while the sequential server was busy: start two or more clients at once.',
    )
  },
}

/** A sequential server reached its maximum number of clients and closed by itself. */
export const mcMaxClientsStop: CheckpointRule = {
  kind: 'mc-max-clients-stop',
  evaluate(trace) {
    for (const e of trace) {
      if (e.actorKind !== SEQUENTIAL || e.op !== 'note' || e.anchor?.name !== 'max-clients') {
        continue
      }
      const closed = trace.find(
        (c) =>
          c.seq > e.seq && c.actor === e.actor && c.op === 'close' && c.anchor?.name === 'close',
      )
      if (closed) {
        return pass('The sequential server reached its maximum and closed by itself.', [e, closed])
      }
    }
    return notYet('No sequential server has reached a maximum number of clients yet.')
  },
}

/** N clients served by one concurrent server at the same moment, every PING answered. */
export const mcConcurrentOverlap: CheckpointRule = {
  kind: 'mc-concurrent-overlap',
  evaluate(trace, params) {
    const need = countParam(params, 3)
    let bestOverlap = 0
    let unanswered = false
    for (const [server, list] of servedConnections(trace, CONCURRENT)) {
      const together = largestOverlap(list)
      bestOverlap = Math.max(bestOverlap, together.length)
      if (together.length < need) continue
      const allAnswered = together.every(
        (c) => c.eof && c.close && c.pings > 0 && c.pings === c.pongs,
      )
      if (!allAnswered) {
        unanswered = true
        continue
      }
      return pass(
        `${server} served ${together.length} clients at the same time and answered every PING.`,
        together.flatMap((c) => [c.accept, c.close!]),
      )
    }
    if (unanswered) {
      return notYet(
        'Clients overlapped, but not every PING was answered yet: let every client finish.',
      )
    }
    if (bestOverlap === 0) return notYet('No client has been served by the concurrent server yet.')
    return notYet(
      `At most ${bestOverlap} of ${need} clients were served at the same time: start them together, at a Slow pace.`,
    )
  },
}

/** Both servers have served several clients, so their swim lanes can be compared. */
export const mcCompared: CheckpointRule = {
  kind: 'mc-compared',
  evaluate(trace, params) {
    const need = countParam(params, 2)
    const best = (kind: string) => {
      let found: ServedConn[] = []
      for (const list of servedConnections(trace, kind).values()) {
        const done = completed(list)
        if (done.length > found.length) found = done
      }
      return found
    }
    const seq = best(SEQUENTIAL)
    const con = best(CONCURRENT)
    if (seq.length >= need && con.length >= need) {
      return pass(
        `The sequential server served ${seq.length} clients and the concurrent one ${con.length}.`,
        [...seq, ...con].map((c) => c.accept),
      )
    }
    const missing: string[] = []
    if (seq.length < need) missing.push(`the sequential server (${seq.length} of ${need})`)
    if (con.length < need) missing.push(`the concurrent server (${con.length} of ${need})`)
    return notYet(`Still to run with several clients: ${missing.join(' and ')}.`)
  },
}

export const multiClientRules = [
  mcSequentialServed,
  mcBacklogWait,
  mcMaxClientsStop,
  mcConcurrentOverlap,
  mcCompared,
]
