import { CHECKER_KIND, consoleKinds, stepActorKinds } from '@shared/lab'
import type { TraceEvent } from '@shared/trace'
import { STUDENT_ACTOR_KIND } from '@renderer/features/student/student-lines'

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
  /** The events the step's diagram draws: the trace itself when nothing is left out. */
  events: readonly TraceEvent[]
  /** Events of other programs, left to the event log. */
  hidden: number
  /** Goes up whenever `events` changed (grew in place, or is another array). */
  version: number
}

/**
 * The live diagram draws the programs a step is about. The trace grows in place by
 * thousands of events a second, so the filtered list is kept up to date with the new
 * events only, and nothing is copied while every event belongs to the step.
 */
export class StepFilter {
  private readonly kinds: Set<string>
  private source: readonly TraceEvent[] | null = null
  private lastSeen: TraceEvent | undefined
  private scanned = 0
  /** Null while every event scanned belongs to the step. */
  private kept: TraceEvent[] | null = null
  private version = 0
  private result: StepEvents = { events: [], hidden: 0, version: 0 }

  constructor(kinds: readonly string[]) {
    this.kinds = new Set(kinds)
  }

  /** The step's events of `trace`, which may have grown in place since the last call. */
  update(trace: readonly TraceEvent[]): StepEvents {
    if (
      trace !== this.source ||
      trace.length < this.scanned ||
      (this.scanned > 0 && trace[this.scanned - 1] !== this.lastSeen)
    ) {
      this.source = trace
      this.scanned = 0
      this.kept = null
      this.version++
    }
    const from = this.scanned
    const to = trace.length
    if (this.kinds.size > 0) {
      let kept = this.kept
      const keptBefore = kept?.length
      for (let i = from; i < to; i++) {
        const e = trace[i]!
        if (this.kinds.has(e.actorKind)) kept?.push(e)
        else if (!kept) {
          // The first event of another program: from now on, a filtered copy.
          kept = this.kept = trace.slice(0, i)
          this.version++
        }
      }
      if (kept && keptBefore !== undefined && kept.length > keptBefore) this.version++
    }
    if (!this.kept && to > from) this.version++
    this.scanned = to
    this.lastSeen = trace[to - 1]
    const events = this.kept ?? trace
    const hidden = to - events.length
    const r = this.result
    if (r.events !== events || r.hidden !== hidden || r.version !== this.version) {
      this.result = { events, hidden, version: this.version }
    }
    return this.result
  }
}
