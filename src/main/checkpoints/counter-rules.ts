import type { TraceEvent } from '@shared/trace'
import { countParam, notYet, pass, type CheckpointRule } from './rule'

/**
 * Rules of the Counter lab. Every counted reply ("PONG #n") is seen from one or both ends:
 *
 * - the server's view: a UDP server's sendto() of PONG #n to a client address. One server
 *   actor is one run of the server, so a restart is a new run;
 * - the client's view: a UDP client's recvfrom() of PONG #n. This view needs no server
 *   trace, so it also checks a student's own counter_server.py.
 *
 * A rule passes when either view proves it.
 */

/** One counted reply: who counted (a server run, or a server address), for whom, which n. */
interface Counted {
  n: number
  /** The client: its address (server view) or its actor id (client view). */
  client: string
  /** The server: its actor id (server view) or its address (client view). */
  server: string
  event: TraceEvent
}

const COUNTED = /^PONG #(\d+)$/

function countedReply(e: TraceEvent): number | undefined {
  if (e.proto !== 'udp' || e.payload === undefined) return undefined
  const m = COUNTED.exec(e.payload.trim())
  return m ? Number(m[1]) : undefined
}

/** Replies as the servers sent them: one list per server run, in trace order. */
function serverRuns(trace: readonly TraceEvent[]): Counted[][] {
  const runs = new Map<string, Counted[]>()
  for (const e of trace) {
    if (e.role !== 'server' || e.op !== 'sendto' || e.remote === undefined) continue
    const n = countedReply(e)
    if (n === undefined) continue
    let list = runs.get(e.actor)
    if (!list) runs.set(e.actor, (list = []))
    list.push({ n, client: e.remote, server: e.actor, event: e })
  }
  return [...runs.values()]
}

/** Replies as the clients received them: one list per client run, in trace order. */
function clientRuns(trace: readonly TraceEvent[]): Counted[][] {
  const runs = new Map<string, Counted[]>()
  for (const e of trace) {
    if (e.role !== 'client' || e.op !== 'recvfrom' || e.remote === undefined) continue
    const n = countedReply(e)
    if (n === undefined) continue
    let list = runs.get(e.actor)
    if (!list) runs.set(e.actor, (list = []))
    list.push({ n, client: e.actor, server: e.remote, event: e })
  }
  return [...runs.values()]
}

/** Where a run of replies to one client has 1, 2, … `need` back to back, or how far it got. */
function inOrderFrom1(replies: readonly Counted[], need: number): Counted[] | number {
  let best = 0
  for (let i = 0; i < replies.length; i++) {
    if (replies[i]!.n !== 1) continue
    // How far 1, 2, 3… goes from here (may run past `need`: only the first `need` are evidence).
    let k = 1
    while (i + k < replies.length && replies[i + k]!.n === k + 1) k++
    // The whole run from #1, so that the pass names every reply it saw in order.
    if (k >= need) return replies.slice(i, i + k)
    best = Math.max(best, k)
  }
  return best
}

/** Replies grouped by a key, trace order kept inside each group. */
function groupReplies(replies: Iterable<Counted>, key: (r: Counted) => string) {
  const groups = new Map<string, Counted[]>()
  for (const r of replies) {
    const k = key(r)
    let list = groups.get(k)
    if (!list) groups.set(k, (list = []))
    list.push(r)
  }
  return groups
}

/**
 * The client run behind these replies opened its socket in the trace and has not closed it:
 * its count may still grow, and a pass keeps its first text, so the pass waits for the end.
 * (A run whose start is not traced, such as the student's own client, is judged as it goes.)
 */
function stillRunning(trace: readonly TraceEvent[], replies: readonly Counted[]): boolean {
  const first = replies[0]!.event
  const actor =
    first.role === 'client'
      ? first.actor
      : trace.findLast((e) => e.role === 'client' && e.local === first.remote)?.actor
  const ops = new Set(trace.filter((e) => e.actor === actor).map((e) => e.op))
  return ops.has('socket') && !ops.has('close')
}

const lowest = (replies: readonly Counted[]) => Math.min(...replies.map((r) => r.n))
const highest = (replies: readonly Counted[]) => Math.max(...replies.map((r) => r.n))

/**
 * One client got PONG #1 … PONG #N in order (N = `count`, 5 by default): the server keeps
 * a count and every PING moves it on by one.
 */
export const counterRepliesInOrder: CheckpointRule = {
  kind: 'counter-replies-in-order',
  evaluate(trace, params) {
    const need = countParam(params, 5)
    const perClient = [
      ...clientRuns(trace),
      ...serverRuns(trace).flatMap((run) => [...groupReplies(run, (r) => r.client).values()]),
    ]
    if (perClient.length === 0) {
      return notYet(
        'No counted reply (PONG #n) yet: start the counter server, then run the counter client.',
      )
    }
    let best = 0
    let running = 0
    let lateStart: Counted[] | undefined
    for (const replies of perClient) {
      const found = inOrderFrom1(replies, need)
      if (typeof found !== 'number') {
        if (stillRunning(trace, replies)) {
          running = Math.max(running, found.length)
          continue
        }
        const side =
          found[0]!.event.role === 'client' ? 'received by the client' : 'sent to one client'
        return pass(`PONG #1 to PONG #${found.length} ${side}, in order.`, found.map(toEvent))
      }
      if (found > 0) best = Math.max(best, found)
      // A client whose replies never had #1: keep the longest, to tell where its count began.
      else if (!lateStart || replies.length > lateStart.length) lateStart = replies
    }
    if (running > 0) {
      return notYet(
        `A client has PONG #1 to PONG #${running} in order so far and is still running: let it run to the end.`,
      )
    }
    if (best > 1) {
      return notYet(
        `Best so far: PONG #1 to PONG #${best} in order to one client; ${need} are needed. Let the client run to the end.`,
      )
    }
    if (best === 1) {
      return notYet(
        'A client got PONG #1, but its next reply was not PONG #2: did another client share the count? Run one client on its own.',
      )
    }
    const from = lateStart ? lowest(lateStart) : 0
    return notYet(
      `The replies started at PONG #${from}, not #1: the server had counted PINGs before this client. Stop and start the counter server, then run the client again.`,
    )
  },
}

/**
 * The count started again after a restart: a server run whose first reply is PONG #1, after
 * an earlier run had gone past #1, with one client run pinging across both. Seen from the
 * client alone: one client run got PONG #n (n > 1) and later PONG #1 from the same address.
 */
export const counterRestarted: CheckpointRule = {
  kind: 'counter-restarted',
  evaluate(trace) {
    // The client's view: its own replies went back to #1.
    for (const replies of clientRuns(trace)) {
      for (const byServer of groupReplies(replies, (r) => r.server).values()) {
        let peak: Counted | undefined
        for (const r of byServer) {
          if (r.n === 1 && peak && peak.n > 1) {
            // Stryker: equivalent — `>=`/`<=` below would also match peak and r themselves,
            // which are recvfrom events, never timeouts.
            const between = trace.filter(
              (e) =>
                e.actor === r.event.actor &&
                e.op === 'timeout' &&
                e.seq > peak!.event.seq &&
                e.seq < r.event.seq,
            )
            return pass(
              `One client run got PONG #${peak.n}, then PONG #1: the count was lost when the server stopped and started again from 1.`,
              [peak.event, ...between, r.event],
            )
          }
          if (!peak || r.n > peak.n) peak = r
        }
      }
    }
    // The server's view: a later run starts at #1 and answers a client the earlier run had
    // already counted past #1.
    const runs = serverRuns(trace)
    let restartedAlone = false
    for (let b = 1; b < runs.length; b++) {
      const later = runs[b]!
      if (later[0]!.n !== 1) continue
      for (let a = 0; a < b; a++) {
        const earlier = runs[a]!
        if (highest(earlier) < 2) continue
        restartedAlone = true
        for (const first of later) {
          const before = earlier.filter((r) => r.client === first.client && r.n > 1).at(-1)
          if (before) {
            return pass(
              `The restarted server answered ${first.client} with PONG #${first.n} after the earlier run had reached PONG #${highest(earlier)}: the count started again.`,
              [before.event, later[0]!.event, first.event],
            )
          }
        }
      }
    }
    if (restartedAlone) {
      return notYet(
        'The server was restarted and counted from #1 again, but no client was pinging across the restart. Run the client with 10 PINGs at the Slow pace, and stop and start the server while it runs.',
      )
    }
    const all = [...serverRuns(trace), ...clientRuns(trace)]
    if (all.length === 0) {
      return notYet(
        'No counted reply (PONG #n) yet: start the counter server, then run the counter client with 10 PINGs at the Slow pace.',
      )
    }
    const top = Math.max(...all.map(highest))
    if (top < 2) {
      return notYet(
        'The count has not gone past PONG #1 yet: let the client get a few replies before you stop and start the server.',
      )
    }
    return notYet(
      `The count has reached PONG #${top} and never started again. While the client is still pinging, click Stop on the counter server, then Start it again.`,
    )
  },
}

/** Two clients' replies from one server, each client with at least `need` of them. */
interface Pair {
  a: Counted[]
  b: Counted[]
  /** Both clients' replies in trace order. */
  merged: Counted[]
  /** All the server's replies from the pair's first to its last (server view only). */
  span: Counted[]
}

/** Pairs of clients served by one server (one run, or one address) whose replies interleave. */
function interleavedPairs(trace: readonly TraceEvent[], need: number) {
  const pairs: Pair[] = []
  let twoClients = false
  let tooFew = 0
  const consider = (clients: Counted[][], all: Counted[] | undefined) => {
    for (const [i, a] of clients.entries()) {
      for (const b of clients.slice(i + 1)) {
        twoClients = true
        const merged = [...a, ...b].sort((x, y) => x.event.seq - y.event.seq)
        if (!interleaves(merged)) continue
        if (a.length < need || b.length < need) {
          tooFew = Math.max(tooFew, Math.min(a.length, b.length))
          continue
        }
        const first = merged[0]!.event.seq
        const last = merged.at(-1)!.event.seq
        const span = (all ?? merged).filter((r) => r.event.seq >= first && r.event.seq <= last)
        pairs.push({ a, b, merged, span })
      }
    }
  }
  for (const run of serverRuns(trace)) {
    consider([...groupReplies(run, (r) => r.client).values()], run)
  }
  const byServer = groupReplies(clientRuns(trace).flat(), (r) => r.server)
  for (const replies of byServer.values()) {
    consider([...groupReplies(replies, (r) => r.client).values()], undefined)
  }
  return { pairs, twoClients, tooFew }
}

/** The replies switch client at least twice (A, B, A): the two runs overlapped. */
function interleaves(merged: readonly Counted[]): boolean {
  let switches = 0
  for (let i = 1; i < merged.length; i++) {
    if (merged[i]!.client !== merged[i - 1]!.client) switches++
  }
  return switches >= 2
}

function oneToN(replies: readonly Counted[]): boolean {
  return replies.every((r, i) => r.n === i + 1)
}

/** The replies that open and close the ranges a pass names, in trace order. */
function ends(replies: readonly Counted[]): TraceEvent[] {
  return [...new Set(replies.map(toEvent))].sort((x, y) => x.seq - y.seq)
}

const BOTH_STILL_RUNNING =
  'Two clients are pinging at the same time and are still running: let both finish, then their counts are compared.'

function toEvent(r: Counted): TraceEvent {
  return r.event
}

function notYetTwoClients(
  found: ReturnType<typeof interleavedPairs>,
  need: number,
  mode: string,
): string | undefined {
  if (!found.twoClients) {
    return `No server has answered two clients yet: start the counter server with ${mode}, set Pace to Slow, then click Run counter client twice.`
  }
  if (found.pairs.length === 0 && found.tooFew > 0) {
    const got = found.tooFew === 1 ? '1 reply' : `${found.tooFew} replies`
    return `Two clients pinged at the same time, but one of them got only ${got}: each needs at least ${need}. Set PINGs to ${need} or more.`
  }
  if (found.pairs.length === 0) {
    return 'Two clients were answered, but one after the other: set Pace to Slow and click Run counter client twice, quickly, so that they ping at the same time.'
  }
  return undefined
}

/**
 * Shared count: two clients pinging at once get numbers that interleave, with no gap and no
 * repeat: PONG #4 to one, #5 to the other, #6 to the first…
 */
export const counterSharedTwoClients: CheckpointRule = {
  kind: 'counter-shared-two-clients',
  evaluate(trace, params) {
    const need = countParam(params, 5)
    const found = interleavedPairs(trace, need)
    const early = notYetTwoClients(found, need, 'Shared count')
    if (early) return notYet(early)
    let repeats = false
    let running = false
    for (const pair of found.pairs) {
      const numbers = pair.span.map((r) => r.n)
      const serverView = pair.merged[0]!.event.role === 'server'
      // From the server: every reply is the one before plus one. From the clients: the
      // numbers both got are all different and leave no hole.
      const ok = serverView
        ? numbers.every((n, i) => i === 0 || n === numbers[i - 1]! + 1)
        : new Set(numbers).size === numbers.length &&
          Math.max(...numbers) - Math.min(...numbers) + 1 === numbers.length
      if (ok && (stillRunning(trace, pair.a) || stillRunning(trace, pair.b))) {
        running = true
      } else if (ok) {
        const [lo, hi] = [Math.min(...numbers), Math.max(...numbers)]
        return pass(
          `Two clients shared one count: PONG #${lo} to PONG #${hi} went to both in turn, no gap, no repeat.`,
          ends(pair.span.filter((r) => r.n === lo || r.n === hi)),
        )
      }
      if (new Set(numbers).size < numbers.length) repeats = true
    }
    if (running) return notYet(BOTH_STILL_RUNNING)
    if (repeats) {
      return notYet(
        'Both clients got the same numbers (each its own PONG #1): that server counts per client. Choose Shared count, stop and start the server, and run two clients again.',
      )
    }
    return notYet(
      'The two clients got numbers with a gap between them: was a third client pinging too? Run exactly two clients at the same time.',
    )
  },
}

/** Per-client count: two clients pinging at once each see their own PONG #1, #2, #3… */
export const counterPerClientTwoClients: CheckpointRule = {
  kind: 'counter-per-client-two-clients',
  evaluate(trace, params) {
    const need = countParam(params, 5)
    const found = interleavedPairs(trace, need)
    const early = notYetTwoClients(found, need, 'Per-client count')
    if (early) return notYet(early)
    let running = false
    for (const pair of found.pairs) {
      if (!oneToN(pair.a) || !oneToN(pair.b)) continue
      if (stillRunning(trace, pair.a) || stillRunning(trace, pair.b)) {
        running = true
        continue
      }
      return pass(
        `Two clients pinged at the same time and each counted on its own: PONG #1 to #${pair.a.length} and PONG #1 to #${pair.b.length}.`,
        ends([pair.a[0]!, pair.a.at(-1)!, pair.b[0]!, pair.b.at(-1)!]),
      )
    }
    if (running) return notYet(BOTH_STILL_RUNNING)
    return notYet(
      'The two clients did not each get their own PONG #1, #2, #3…: that server shares one count. Choose Per-client count, stop and start the server, and run two clients again.',
    )
  },
}
