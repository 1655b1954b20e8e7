import type { TraceEvent } from '@shared/trace'
import { STUDENT_KIND } from '../student/student-events'
import { countParam, notYet, pass, type CheckpointRule } from './rule'

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
  if (own < need) return { kind: 'first-client', got: own }
  const second = run.slice(own).find((r) => r.client !== first)
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

export const studentRules: readonly CheckpointRule[] = [studentCounterServer]
