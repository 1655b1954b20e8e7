import type { ZodType } from 'zod'
import type { TraceEvent } from '@shared/trace'
import type { Worksheet, WorksheetSpec } from '@shared/worksheet'

export interface RuleOutcome {
  passed: boolean
  /** Why not yet, in words that tell the student what is missing; or what proved it. */
  reason: string
  evidence: number[]
}

/** One result of the student's own checks, as far as checkpoints need to know it. */
export interface StudentCheckOutcome {
  name: string
  passed: boolean
  /** What was sent; present when the check ran, so a failure has a transcript to show. */
  sent?: string
  /** The checker actor of the run (`checker#3`): its addresses in the trace show who answered. */
  run?: string
}

/**
 * What a rule may read besides the trace: what the student wrote and ran for the lab.
 * AppCore builds it from the saved progress and the latest runs of the student's checks.
 */
export interface CheckpointContext {
  /** The lab's worksheet questions, when it has any (lab.yaml's `worksheet`). */
  worksheetSpec?: WorksheetSpec
  /** The lab's saved worksheet answers. */
  worksheet?: Worksheet
  /** Every result of the student's own checks run in this session, oldest first. */
  checkResults?: readonly StudentCheckOutcome[]
}

/**
 * A checkpoint rule: a pure function of the trace, the rule's parameters from lab.yaml and
 * the context (most rules read only the trace; a missing context means nothing written yet).
 */
export interface CheckpointRule {
  kind: string
  /** The schema of the rule's parameters (the generic rules have one), checked on lab load. */
  params?: ZodType
  evaluate(
    trace: readonly TraceEvent[],
    params: Record<string, unknown>,
    context?: CheckpointContext,
  ): RuleOutcome
}

export function countParam(params: Record<string, unknown>, fallback: number): number {
  const n = params.count
  // Stryker: equivalent — without the typeof, Number.isInteger still refuses any non-number;
  // the check is there for the type.
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : fallback
}

export function pass(reason: string, evidence: TraceEvent[]): RuleOutcome {
  return { passed: true, reason, evidence: evidence.map((e) => e.seq) }
}

export function notYet(reason: string): RuleOutcome {
  return { passed: false, reason, evidence: [] }
}

/** Group events by a key, keeping trace order inside each group. */
export function groupBy<K>(events: Iterable<TraceEvent>, key: (e: TraceEvent) => K | undefined) {
  const groups = new Map<K, TraceEvent[]>()
  for (const e of events) {
    const k = key(e)
    if (k === undefined) continue
    let list = groups.get(k)
    if (!list) groups.set(k, (list = []))
    list.push(e)
  }
  return groups
}
