import type { TraceEvent } from '@shared/trace'
import { STUDENT_KIND } from '../student/student-events'
import { normalizeAddress } from '@shared/address'
import { countParam, notYet, pass, type CheckpointRule, type StudentCheckOutcome } from './rule'

/**
 * Checkpoints on the student's own program: they read only events whose actor kind is
 * `student-program` (what the tracer reported from the program the student ran in the app),
 * so nothing the app's own actors do can pass them.
 */
const COUNTED = /^PONG #(\d+)$/

interface Reply {
  n: number
  client: string
  event: TraceEvent
}

/**
 * The counted replies (`PONG #n`) each of the student's servers sent, one list per program
 * and local address, in trace order. A restart of the same file is the same program: its
 * count going back to #1 shows in the list.
 */
function studentServerReplies(trace: readonly TraceEvent[]): Reply[][] {
  const servers = new Map<string, Reply[]>()
  for (const e of trace) {
    if (e.actorKind !== STUDENT_KIND || e.op !== 'sendto' || !e.remote) continue
    const m = COUNTED.exec(e.payload?.trim() ?? '')
    if (!m) continue
    const key = `${e.actor}|${e.local ?? ''}`
    let list = servers.get(key)
    // Stryker: equivalent — a made-up first entry has no number, so it never starts a count.
    if (!list) servers.set(key, (list = []))
    list.push({ n: Number(m[1]), client: e.remote, event: e })
  }
  return [...servers.values()]
}

/** Runs of replies where each is the one before plus one, starting at #1. */
function countingRuns(replies: readonly Reply[]): Reply[][] {
  const runs: Reply[][] = []
  let run: Reply[] = []
  for (const r of replies) {
    const last = run.at(-1)
    if (last && r.n === last.n + 1) run.push(r)
    else {
      if (run.length) runs.push(run)
      run = r.n === 1 ? [r] : []
    }
  }
  if (run.length) runs.push(run)
  return runs
}

type Progress =
  | { kind: 'passed'; evidence: Reply[] }
  | { kind: 'first-client'; got: number }
  | { kind: 'no-second-client' }

/** How far one unbroken count got: `need` replies to one client from #1, then more for another. */
function judge(run: readonly Reply[], need: number): Progress {
  const first = run[0]!.client
  let own = 0
  while (own < run.length && run[own]!.client === first) own++
  // Stryker: equivalent — any other kind but the two below is read as 'first-client'.
  if (own < need) return { kind: 'first-client', got: own }
  // The reply after the first client's run is, by the loop above, to another client.
  const second = run[own]
  if (!second) return { kind: 'no-second-client' }
  return { kind: 'passed', evidence: [...run.slice(0, need), second] }
}

/**
 * Counter lab: the student's own server answered one client PONG #1 … #N (N = `count`, 5 by
 * default) and then a second client with the next number, all in one unbroken count (each
 * reply the one before plus one). A restart or a count per client starts again at #1 and
 * does not pass.
 */
export const studentCounterServer: CheckpointRule = {
  kind: 'student-counter-server',
  evaluate(trace, params) {
    const need = countParam(params, 5)
    const mine = trace.filter((e) => e.actorKind === STUDENT_KIND)
    if (mine.length === 0) {
      return notYet(
        'Nothing from your own program yet: in the workspace, start from the exercise, complete counter_server.py and click Run; then run the counter client against it.',
      )
    }
    const servers = studentServerReplies(trace)
    if (servers.length === 0) {
      if (!mine.some((e) => e.op === 'bind' && e.proto === 'udp')) {
        return notYet(
          "Your program has not bound a UDP port yet: a server must bind() the port its clients send to (this lab's port, unless you give the client another), then wait in recvfrom().",
        )
      }
      const plain = mine.find((e) => e.op === 'sendto' && e.payload !== undefined)
      return notYet(
        plain
          ? `Your server answered ${JSON.stringify(plain.payload)}, with no count: each reply must be PONG # and the number of PINGs so far (PONG #1, PONG #2…).`
          : 'Your server has not answered a PING yet: is it running, and did the client send to its port?',
      )
    }
    let best = 0
    let counted = false
    let restarted = false
    for (const replies of servers) {
      const runs = countingRuns(replies)
      if (runs.length > 1) restarted = true
      for (const run of runs) {
        const verdict = judge(run, need)
        if (verdict.kind === 'passed') {
          const [a, b] = [verdict.evidence[0]!, verdict.evidence.at(-1)!]
          return pass(
            `Your server answered ${a.client} PONG #1 to PONG #${need}, then ${b.client} PONG #${b.n}: one count, kept for a second client.`,
            verdict.evidence.map((r) => r.event),
          )
        }
        if (verdict.kind === 'no-second-client') counted = true
        else best = Math.max(best, verdict.got)
      }
    }
    if (counted && restarted) {
      return notYet(
        `Your server counted to PONG #${need} for one client, but a second client got PONG #1: the count started again. Was your server restarted, or does it count per client? Keep one count and the server running, then run a second client.`,
      )
    }
    if (counted) {
      return notYet(
        `Your server answered PONG #1 to PONG #${need} to one client. Now, with your server still running, run a second client: its first reply must carry the next number.`,
      )
    }
    if (best > 0) {
      return notYet(
        `Best so far: your server answered one client PONG #1 to PONG #${best} in a row; ${need} are needed before a second client comes (let the first client finish its PINGs).`,
      )
    }
    return notYet(
      'Your server counted, but no client got PONG #1 from it first: stop and run your server again so its count starts at #1, then run the client.',
    )
  },
}

/** A TCP connection the student's server served: its events from the first to the last reply. */
interface Served {
  conn: string
  first: TraceEvent
  last: TraceEvent
  replies: number
}

function servedConnections(mine: readonly TraceEvent[]): Served[] {
  const served = new Map<string, Served>()
  for (const e of mine) {
    if (e.proto !== 'tcp' || e.role !== 'server' || !e.conn) continue
    if (e.op !== 'recv' && e.op !== 'send') continue
    let s = served.get(e.conn)
    if (!s) served.set(e.conn, (s = { conn: e.conn, first: e, last: e, replies: 0 }))
    s.last = e
    if (e.op === 'send') s.replies++
  }
  return [...served.values()].filter((s) => s.replies > 0)
}

/**
 * Multi-client lab: the student's own TCP server served `count` clients (2 by default) at the
 * same time: that many connections each between its first message and its last reply at one
 * moment of the trace, as a thread per client allows and a sequential server never does.
 */
export const studentConcurrentServer: CheckpointRule = {
  kind: 'student-concurrent-server',
  evaluate(trace, params) {
    const need = countParam(params, 2)
    const mine = trace.filter((e) => e.actorKind === STUDENT_KIND)
    if (mine.length === 0) {
      return notYet(
        'Nothing from your own program yet: in the workspace, start from the exercise, complete threaded_server.py and click Run; then add clients at a Slow pace.',
      )
    }
    const served = servedConnections(mine)
    if (served.length === 0) {
      return notYet(
        mine.some((e) => e.op === 'listen')
          ? 'Your server is listening but has not answered a client yet: add clients (Add client(s)) on its port.'
          : 'Your program has not called listen() yet: a TCP server binds its port, listens, then accepts clients.',
      )
    }
    // The most connections in service at one moment, found by sweeping their spans.
    const edges = served.flatMap((s) => [
      { at: s.first.seq, open: 1, s },
      { at: s.last.seq, open: -1, s },
    ])
    edges.sort((a, b) => a.at - b.at || b.open - a.open)
    const open = new Set<Served>()
    let most = 0
    for (const edge of edges) {
      if (edge.open > 0) open.add(edge.s)
      else open.delete(edge.s)
      most = Math.max(most, open.size)
      if (open.size >= need) {
        const together = [...open]
        return pass(
          `Your server served ${need} clients at the same time: each was answered while the others were still connected (${together.map((s) => s.conn.split('->')[0]).join(', ')}).`,
          together.flatMap((s) => [s.first, s.last]).sort((a, b) => a.seq - b.seq),
        )
      }
    }
    return notYet(
      served.length < need
        ? `Your server has served ${served.length} client${served.length === 1 ? '' : 's'} so far; add ${need} at once, at a Slow pace, so that they are connected at the same time.`
        : `Your server served ${served.length} clients, but at most ${most} at a time: hand each accepted connection to a threading.Thread, so the main thread goes straight back to accept().`,
    )
  },
}

/**
 * Lossy UDP lab: the student's own client survived a lost reply: a receive of theirs timed out
 * and the same run of the program, on the same socket, then got a reply to a later PING (it
 * caught the timeout and went on). A socket is told by the program and its local address, so
 * a run that crashed at its timeout and a later run that got a reply never add up to a pass.
 */
export const studentClientSurvivesLoss: CheckpointRule = {
  kind: 'student-client-survives-loss',
  evaluate(trace) {
    const mine = trace.filter((e) => e.actorKind === STUDENT_KIND && e.proto === 'udp')
    if (mine.length === 0) {
      return notYet(
        'Nothing from your own program yet: in the workspace, start from the exercise, complete lossy_client.py and click Run, with the lossy server dropping replies.',
      )
    }
    const lost = new Map<string, TraceEvent>()
    let stoppedAfterLoss = false
    for (const e of mine) {
      const socket = `${e.actor}|${e.local ?? ''}`
      if (e.op === 'timeout') {
        if (!lost.has(socket)) lost.set(socket, e)
        continue
      }
      const timeout = lost.get(socket)
      if (e.op === 'recvfrom' && timeout) {
        return pass(
          'Your client timed out on a lost reply, then went on and got the reply to a later PING.',
          [timeout, e],
        )
      }
      if (e.op === 'close' && timeout) stoppedAfterLoss = true
    }
    if (lost.size === 0) {
      return notYet(
        mine.some((e) => e.op === 'recvfrom')
          ? 'Your client got its replies, but none was lost yet: set a drop probability on the lossy server (or give it a drop list) and run your client again.'
          : 'Your client has not received a reply yet: does it send to the lossy server’s port, with a timeout set (settimeout) before recvfrom()?',
      )
    }
    return notYet(
      stoppedAfterLoss
        ? 'Your client timed out on a lost reply and then stopped: catch socket.timeout (Python calls it TimeoutError) around recvfrom(), say which PING got no reply, and go on with the next one.'
        : 'Your client timed out on a lost reply, but that run got no reply after it: catch socket.timeout (Python calls it TimeoutError) around recvfrom() and go on with the next PING. A reply in another run does not count.',
    )
  },
}

/**
 * Any lab with the student's own checks (the Protocol lab): one of their checks passed
 * against their own server. "Their own" is read from the trace: the student's program took
 * the connection or datagram of the checker that ran that check, not the app's server.
 */
export const studentServerPassedCheck: CheckpointRule = {
  kind: 'student-server-passed-check',
  evaluate(trace, _params, context) {
    const mine = trace.filter((e) => e.actorKind === STUDENT_KIND)
    if (mine.length === 0) {
      return notYet(
        'Nothing from your own program yet: in the workspace, start from the exercise, complete your server and click Run; then run one of your checks against its port.',
      )
    }
    // Stryker: equivalent — evaluateCheckpoints always passes a context.
    const results = context?.checkResults ?? []
    // Each run's own addresses (one per check it made): the student's server sees them as
    // its peer. A run is named by its checker actor, so no other actor can stand in for it.
    const runs = new Set(results.map((r) => r.run))
    const checkerAt = new Map<string, Set<string>>()
    for (const e of trace) {
      if (!e.local || !runs.has(e.actor)) continue
      let set = checkerAt.get(e.actor)
      if (!set) checkerAt.set(e.actor, (set = new Set()))
      set.add(normalizeAddress(e.local))
    }
    let failedOnMine: StudentCheckOutcome | undefined
    for (const r of results) {
      const peers = r.run === undefined ? undefined : checkerAt.get(r.run)
      const served = peers
        ? mine.filter((e) => e.remote && peers.has(normalizeAddress(e.remote)))
        : []
      if (served.length === 0) continue
      if (r.passed) {
        return pass(
          `Your check "${r.name}" passed against your own server, ${served[0]!.actor}.`,
          served,
        )
      }
      failedOnMine ??= r
    }
    if (failedOnMine) {
      return notYet(
        `Your check "${failedOnMine.name}" reached your own server but did not pass: read its transcript, then change the server (or the check) and run it again.`,
      )
    }
    if (results.length > 0) {
      return notYet(
        'Your checks ran, but none reached your own program: run them against the port your server listens on (its terminal says which).',
      )
    }
    return notYet('Your program ran: now write a check and run it against its port.')
  },
}

export const studentRules: readonly CheckpointRule[] = [
  studentCounterServer,
  studentConcurrentServer,
  studentClientSurvivesLoss,
  studentServerPassedCheck,
]
