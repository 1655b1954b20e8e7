import type { StudentCheckOutcome } from '../checkpoints'
import { LabSession, type LabSessionHooks } from '../session/lab-session'

/** How many of a lab's latest check outcomes checkpoint rules can see. */
export const MAX_CHECK_OUTCOMES = 500

/**
 * Everything the app holds for one open lab: its session (actors and trace), the outcomes of
 * the student's checks run in it, a check run in progress, and whether the student was told
 * the trace was trimmed. Opened with the lab page, disposed when it closes.
 */
export class LabRoom {
  readonly session: LabSession
  private outcomes: StudentCheckOutcome[] = []
  /** A check run in progress, so closing the room cuts it short. */
  checkRun: AbortController | undefined
  /** Told once per room: a flood of events is trimmed quietly after that. */
  trimNoticed = false

  constructor(
    readonly labId: string,
    hooks: LabSessionHooks,
  ) {
    this.session = new LabSession(labId, hooks)
  }

  get checkOutcomes(): readonly StudentCheckOutcome[] {
    return this.outcomes
  }

  addCheckOutcomes(outcomes: readonly StudentCheckOutcome[]) {
    // Rules only need recent runs; a class running checks all afternoon must not grow this.
    this.outcomes = [...this.outcomes, ...outcomes].slice(-MAX_CHECK_OUTCOMES)
  }

  /** Forget the trace and what the checks proved (Clear trace, Reset progress). */
  clear() {
    this.session.clear()
    this.outcomes = []
    this.trimNoticed = false
  }

  async dispose() {
    this.checkRun?.abort()
    await this.session.dispose()
  }
}
