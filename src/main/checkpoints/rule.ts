import type { TraceEvent } from '@shared/trace'

export interface RuleOutcome {
  passed: boolean
  /** Why not yet, in words that tell the student what is missing; or what proved it. */
  reason: string
  evidence: number[]
}

/** A checkpoint rule: a pure function of the trace and the rule's parameters from lab.yaml. */
export interface CheckpointRule {
  kind: string
  evaluate(trace: readonly TraceEvent[], params: Record<string, unknown>): RuleOutcome
}

export function countParam(params: Record<string, unknown>, fallback: number): number {
  const n = params.count
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
