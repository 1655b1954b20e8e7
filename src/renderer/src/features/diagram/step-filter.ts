import { CHECKER_KIND, consoleKinds, stepActorKinds } from '@shared/lab'
import { isWildcardAddress, normalizeAddress } from '@shared/address'
import { actorKindLabel } from '@renderer/format'
import type { TraceEvent } from '@shared/trace'
import { STUDENT_ACTOR_KIND } from '@renderer/features/student/student-lines'
import { TraceCursor, type TraceLog } from '@renderer/trace-log'

/**
 * The kinds a step's live diagram draws: the step's programs, and always the app's own
 * consoles and check runs. Those talk to the step's servers from any step (a console left
 * open in step 2, a server of step 2 still drawn in step 4): without their events, the
 * server's peer would be drawn as an untraced "Your program". Empty: draw everything.
 */
export function drawnKinds(step: Parameters<typeof stepActorKinds>[0]): string[] {
  const own = stepActorKinds(step)
  // A step that runs nothing of its own (a comparison) draws every program: no filter.
  if (own.length === 0) return []
  // The student's own programs are drawn in every step too (issue 15).
  return [...new Set([...own, ...consoleKinds, CHECKER_KIND, STUDENT_ACTOR_KIND])]
}

export interface StepEvents {
  /**
   * The events the step's diagram draws: a log of its own (the trace's events, when nothing
   * is left out), a new object only when there is something new to draw.
   */
  log: TraceLog
  /** Events of other programs, left to the event log. */
  hidden: number
}

/**
 * The live diagram draws the programs a step is about. The trace grows by thousands of
 * events a second, so the filtered log is kept up to date with the new events only, and
 * nothing is copied while every event belongs to the step. Its epoch follows the trace's;
 * it gets a new result (and the diagram redraws) only when it has something new to draw.
 */
export class StepFilter {
  private readonly kinds: Set<string>
  private readonly cursor = new TraceCursor()
  /** Null while every event read belongs to the step. */
  private kept: TraceEvent[] | null = null
  /** The addresses of the programs left out, with their names (see TraceLog.others). */
  private others = new Map<string, string>()
  private epoch = 0
  private result: StepEvents = { log: { events: [], epoch: 0, length: 0 }, hidden: 0 }

  constructor(kinds: readonly string[]) {
    this.kinds = new Set(kinds)
  }

  /** The step's events of the trace, brought up to date with what was appended to it. */
  update(trace: TraceLog): StepEvents {
    if (this.cursor.sync(trace)) {
      this.kept = null
      this.others = new Map()
      this.epoch++
    }
    const [from, to] = this.cursor.take(trace)
    const source = trace.events
    if (this.kinds.size > 0) {
      let kept = this.kept
      for (let i = from; i < to; i++) {
        const e = source[i]!
        if (this.kinds.has(e.actorKind)) {
          kept?.push(e)
          continue
        }
        // The first event of another program: from now on, a filtered copy (the same
        // events first, so the log's epoch stays).
        if (!kept) kept = this.kept = source.slice(0, i)
        if (e.local) this.leftOut(e, e.local)
      }
    }
    const events = this.kept ?? source
    const length = this.kept ? this.kept.length : to
    const hidden = to - length
    let log = this.result.log
    if (log.events !== events || log.length !== length || log.epoch !== this.epoch) {
      log = { events, epoch: this.epoch, length, ...(this.kept ? { others: this.others } : {}) }
    }
    if (log !== this.result.log || hidden !== this.result.hidden) this.result = { log, hidden }
    return this.result
  }

  /** Remembers who used an address, for the diagram to name it if a drawn program talks to it. */
  private leftOut(e: TraceEvent, local: string): void {
    const address = normalizeAddress(local)
    const name = actorKindLabel(e.actorKind)
    this.others.set(`${e.proto}|${address}`, name)
    if (isWildcardAddress(address)) {
      this.others.set(`${e.proto}|*:${address.slice(address.lastIndexOf(':') + 1)}`, name)
    }
  }
}
