import type { CheckpointResult, PassedCheckpoint } from '@shared/checkpoints'
import type { EventPayloads } from '@shared/ipc'
import type { Lab } from '@shared/lab'
import type { TraceEvent } from '@shared/trace'
import { evaluateCheckpoints, type CheckpointContext } from '../checkpoints'
import type { ProgressStore } from '../progress/progress-store'
import { describeEvent } from './describe-event'

export interface EvaluatorDeps {
  progress: ProgressStore
  /** The lab, or undefined for an id no lab has. */
  lab(labId: string): Lab | undefined
  /** The lab's live trace (empty when no session is open). */
  trace(labId: string): readonly TraceEvent[]
  /** What rules may read besides the trace: the saved worksheet, the check runs. */
  context(labId: string): CheckpointContext
  emit(payload: EventPayloads['checkpoints:update']): void
  report(error: unknown): void
  /** The shortest pause between passes while events arrive. */
  evaluateMs?: number
}

/**
 * Evaluates a lab's checkpoints over its trace, saves new passes with their evidence, and tells
 * the page when the results change. Passes are scheduled, not run per event: a flood of events
 * must leave main its time for the sockets.
 */
export class CheckpointEvaluator {
  private readonly timers = new Map<string, NodeJS.Timeout>()
  private readonly lastResults = new Map<string, CheckpointResult[]>()
  private readonly lastPassMs = new Map<string, number>()

  constructor(private readonly deps: EvaluatorDeps) {}

  /**
   * Evaluate a little later. A long trace makes each pass slower, so the pause after a pass
   * grows with it (ten times the pass).
   */
  schedule(labId: string, delay?: number) {
    if (this.timers.has(labId)) return
    const pause =
      delay ?? Math.max(this.deps.evaluateMs ?? 50, 10 * (this.lastPassMs.get(labId) ?? 0))
    this.timers.set(
      labId,
      setTimeout(() => {
        this.timers.delete(labId)
        const started = performance.now()
        this.evaluate(labId, this.deps.trace(labId))
          .catch((error) => this.deps.report(error))
          .finally(() => this.lastPassMs.set(labId, performance.now() - started))
      }, pause),
    )
  }

  /**
   * Evaluate once more now over a closing session's last events and what its checks proved
   * (whatever they proved still counts), then forget the lab.
   */
  async finish(labId: string, trace: readonly TraceEvent[], context: CheckpointContext) {
    this.cancel(labId)
    // A failure here must not stop the close (nor the quit that waits for it).
    await this.evaluate(labId, trace, context).catch((error) => this.deps.report(error))
    this.lastResults.delete(labId)
  }

  /** Forget what was last sent, so the next pass is sent whatever it says. */
  forget(labId: string) {
    this.lastResults.delete(labId)
  }

  dispose() {
    for (const labId of [...this.timers.keys()]) this.cancel(labId)
  }

  /** Fresh results, with anything passed before (this run or an earlier one) kept passed. */
  results(
    labId: string,
    trace: readonly TraceEvent[],
    fresh?: CheckpointResult[],
    context = this.deps.context(labId),
  ): CheckpointResult[] {
    const lab = this.deps.lab(labId)
    if (!lab) return []
    const now = fresh ?? evaluateCheckpoints(lab.checkpoints, trace, context)
    return now.map((result): CheckpointResult => {
      const kept = this.deps.progress.isPassed(labId, result.id)
      if (!kept) return result
      return {
        ...result,
        passed: true,
        passedAt: kept.passedAt,
        // A pass that holds now says what the trace shows now; else the saved words.
        reason: result.passed ? result.reason : kept.reason,
        evidence: result.passed ? result.evidence : [],
      }
    })
  }

  private cancel(labId: string) {
    clearTimeout(this.timers.get(labId))
    this.timers.delete(labId)
  }

  private async evaluate(
    labId: string,
    trace: readonly TraceEvent[],
    context = this.deps.context(labId),
  ): Promise<void> {
    const lab = this.deps.lab(labId)
    if (!lab) return
    const fresh = evaluateCheckpoints(lab.checkpoints, trace, context)
    for (const result of fresh) {
      if (!result.passed || this.deps.progress.isPassed(labId, result.id)) continue
      try {
        await this.deps.progress.markPassed(labId, result.id, passRecord(result, trace))
      } catch (error) {
        // The pass stays in memory and the store retries the save (the page shows "Progress
        // not saved"); the other checkpoints and the results must still go out.
        this.deps.report(error)
      }
    }
    const results = this.results(labId, trace, fresh, context)
    if (JSON.stringify(results) !== JSON.stringify(this.lastResults.get(labId))) {
      this.lastResults.set(labId, results)
      this.deps.emit({ labId, results })
    }
  }
}

/** What is saved of a pass: when, why, and the events it cites in words. */
function passRecord(result: CheckpointResult, trace: readonly TraceEvent[]): PassedCheckpoint {
  const bySeq = new Map(trace.map((e) => [e.seq, e]))
  return {
    passedAt: new Date().toISOString(),
    reason: result.reason,
    evidence: result.evidence.flatMap((seq) => {
      const e = bySeq.get(seq)
      return e ? [describeEvent(e)] : []
    }),
  }
}
