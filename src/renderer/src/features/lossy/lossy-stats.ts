import type { TraceEvent } from '@shared/trace'
import { TraceCursor, fixedLog, type TraceLog } from '@renderer/trace-log'

/**
 * Loss and round-trip statistics of lab 4, read from the trace: one run per lossy-client
 * actor. Pure and incremental: `LossyStatsCollector.update` takes in only the events appended
 * since its last call, so a live trace costs its new events, not the whole trace each batch.
 */

export const LOSSY_CLIENT_KIND = 'lossy-client'
export const LOSSY_SERVER_KIND = 'lossy-server'

/** What became of one PING. */
export type PingOutcome = 'replied' | 'timeout' | 'waiting' | 'cancelled' | 'unanswered'

export interface PingResult {
  n: number
  outcome: PingOutcome
  /** Set when the answer came. */
  rttMs?: number
  /** The event that settled it (the answer, the timeout), to select it in the views. */
  seq?: number
}

export interface RttSummary {
  min: number
  median: number
  p95: number
  max: number
}

export interface LossyRun {
  /** The client actor's id, e.g. "lossy-client#4". */
  actor: string
  /** 1 for the session's first lossy-client run, 2 for the next… */
  number: number
  /** What settimeout() was given: a number of seconds, or null for None (no timeout). */
  timeoutS: number | null | undefined
  /** The client closed its socket: the run is over. */
  closed: boolean
  /** Stopped while blocked in recvfrom() with no timeout. */
  cancelled: boolean
  sent: number
  replied: number
  /** PINGs that never got their answer (timed out or cancelled). */
  lost: number
  timeouts: number
  late: number
  duplicates: number
  rtt: RttSummary | null
  pings: PingResult[]
  /** The PING whose answer the client is waiting for right now, if any. */
  waitingFor?: number
}

const PING = /^PING (\d+)$/
const PONG = /^PONG (\d+)$/
const SEED = /^seed (\d+)[,:]/
const SETTIMEOUT = /^settimeout\((None|[\d.]+)\)/

/** The number in `PING 7`, or undefined. */
export function pingNumber(payload: string | undefined): number | undefined {
  const m = payload ? PING.exec(payload) : null
  return m ? Number(m[1]) : undefined
}

/** The number in `PONG 7`, or undefined. */
export function pongNumber(payload: string | undefined): number | undefined {
  const m = payload ? PONG.exec(payload) : null
  return m ? Number(m[1]) : undefined
}

/** The seed a lossy server or the relay announces in its first note (`seed 1234, …`). */
export function seedFromNote(message: string | undefined): number | undefined {
  const m = message ? SEED.exec(message) : null
  return m ? Number(m[1]) : undefined
}

/** settimeout(2.0) → 2, settimeout(None) → null, anything else → undefined. */
export function timeoutFromNote(message: string | undefined): number | null | undefined {
  const m = message ? SETTIMEOUT.exec(message) : null
  if (!m) return undefined
  return m[1] === 'None' ? null : Number(m[1])
}

/** Nearest-rank percentile of sorted values (p from 0 to 1). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN
  const rank = Math.ceil(p * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!
}

export function summarize(rtts: readonly number[]): RttSummary | null {
  if (rtts.length === 0) return null
  const sorted = [...rtts].sort((a, b) => a - b)
  return {
    min: sorted[0]!,
    median: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    max: sorted.at(-1)!,
  }
}

/** The mutable state behind one run while its events come in. */
interface RunState {
  actor: string
  number: number
  timeoutS: number | null | undefined
  closed: boolean
  cancelled: boolean
  timeouts: number
  late: number
  duplicates: number
  /** By PING number, in the order sent. */
  pings: Map<number, PingResult>
  current?: number
}

/** A seed announced by a lossy server or the relay. */
export interface SeedSeen {
  actor: string
  actorKind: string
  seed: number
  seq: number
}

export class LossyStatsCollector {
  private readonly cursor = new TraceCursor()
  private runs = new Map<string, RunState>()
  private seeds: SeedSeen[] = []
  private version = 0

  /** Takes in the events appended to the log since the last call; a new epoch starts over. */
  update(log: TraceLog): void {
    if (this.cursor.sync(log)) {
      this.runs = new Map()
      this.seeds = []
      this.version++
    }
    const [from, to] = this.cursor.take(log)
    for (let i = from; i < to; i++) this.take(log.events[i]!)
    if (to > from) this.version++
  }

  /** Changes whenever what the collector knows changed. */
  get changes(): number {
    return this.version
  }

  /** Every lossy-client run so far, oldest first. */
  results(): LossyRun[] {
    return [...this.runs.values()].map(finish)
  }

  /** One run's statistics, or undefined if that actor never ran. */
  run(actor: string): LossyRun | undefined {
    const state = this.runs.get(actor)
    return state ? finish(state) : undefined
  }

  /** The seeds announced so far, oldest first. */
  seedsSeen(): readonly SeedSeen[] {
    return this.seeds
  }

  private take(e: TraceEvent): void {
    if (e.op === 'note' && e.anchor?.name === 'seed') {
      const seed = seedFromNote(e.message)
      if (seed !== undefined) {
        this.seeds.push({ actor: e.actor, actorKind: e.actorKind, seed, seq: e.seq })
      }
      return
    }
    if (e.actorKind !== LOSSY_CLIENT_KIND) return
    let run = this.runs.get(e.actor)
    if (!run) {
      run = {
        actor: e.actor,
        number: this.runs.size + 1,
        timeoutS: undefined,
        closed: false,
        cancelled: false,
        timeouts: 0,
        late: 0,
        duplicates: 0,
        pings: new Map(),
      }
      this.runs.set(e.actor, run)
    }
    switch (e.op) {
      case 'note': {
        const t = timeoutFromNote(e.message)
        if (t !== undefined) run.timeoutS = t
        else if (e.message?.startsWith('cancelled while blocked')) {
          run.cancelled = true
          const p = run.current !== undefined ? run.pings.get(run.current) : undefined
          if (p && p.outcome === 'waiting') {
            p.outcome = 'cancelled'
            p.seq = e.seq
          }
          run.current = undefined
        }
        return
      }
      case 'sendto': {
        const n = pingNumber(e.payload)
        if (n === undefined) return
        // A PING whose predecessor never settled (no event for it) stays unanswered.
        const before = run.current !== undefined ? run.pings.get(run.current) : undefined
        if (before && before.outcome === 'waiting') before.outcome = 'unanswered'
        run.pings.set(n, { n, outcome: 'waiting' })
        run.current = n
        return
      }
      case 'recvfrom': {
        if (e.tag === 'late') run.late++
        else if (e.tag === 'duplicate') run.duplicates++
        if (e.tag !== undefined || e.rttMs === undefined) return
        const k = pongNumber(e.payload)
        const p = k !== undefined ? run.pings.get(k) : undefined
        if (!p) return
        p.outcome = 'replied'
        p.rttMs = e.rttMs
        p.seq = e.seq
        if (run.current === k) run.current = undefined
        return
      }
      case 'timeout': {
        run.timeouts++
        const p = run.current !== undefined ? run.pings.get(run.current) : undefined
        if (p && p.outcome === 'waiting') {
          p.outcome = 'timeout'
          p.seq = e.seq
        }
        run.current = undefined
        return
      }
      case 'close': {
        run.closed = true
        const p = run.current !== undefined ? run.pings.get(run.current) : undefined
        if (p && p.outcome === 'waiting') p.outcome = 'unanswered'
        run.current = undefined
        return
      }
      default:
        return
    }
  }
}

function finish(state: RunState): LossyRun {
  const pings = [...state.pings.values()]
  let replied = 0
  let lost = 0
  const rtts: number[] = []
  for (const p of pings) {
    if (p.outcome === 'replied') {
      replied++
      if (p.rttMs !== undefined) rtts.push(p.rttMs)
    } else if (p.outcome !== 'waiting') lost++
  }
  const run: LossyRun = {
    actor: state.actor,
    number: state.number,
    timeoutS: state.timeoutS,
    closed: state.closed,
    cancelled: state.cancelled,
    sent: pings.length,
    replied,
    lost,
    timeouts: state.timeouts,
    late: state.late,
    duplicates: state.duplicates,
    rtt: summarize(rtts),
    pings: pings.map((p) => ({ ...p })),
  }
  if (state.current !== undefined) run.waitingFor = state.current
  return run
}

/** The whole trace's runs at once. */
export function lossyRuns(events: readonly TraceEvent[]): LossyRun[] {
  const c = new LossyStatsCollector()
  c.update(fixedLog(events))
  return c.results()
}
