import type { ZodType } from 'zod'
import type { CheckpointResult } from '@shared/checkpoints'
import type { CheckpointSpec } from '@shared/lab'
import type { TraceEvent } from '@shared/trace'
import {
  counterPerClientTwoClients,
  counterRepliesInOrder,
  counterRestarted,
  counterSharedTwoClients,
} from './counter-rules'
import { genericRules } from './generic'
import { lossyRules } from './lossy-rules'
import { multiClientRules } from './multi-client-rules'
import { protocolRules } from './protocol-rules'
import {
  bothProtocolsCompared,
  tcpRoundTrips,
  tcpServerSawEof,
  udpRepliesToSender,
  udpTimeoutsFinished,
} from './ping-pong-rules'
import type { CheckpointContext, CheckpointRule } from './rule'
import { studentRules } from './student-rules'

export type { CheckpointContext, StudentCheckOutcome } from './rule'

// A list searched on each evaluation (a few dozen rules): nothing runs at import that a
// mistake could break before any test starts.
const rules: readonly CheckpointRule[] = [
  tcpRoundTrips,
  tcpServerSawEof,
  udpRepliesToSender,
  udpTimeoutsFinished,
  bothProtocolsCompared,
  counterRepliesInOrder,
  counterRestarted,
  counterSharedTwoClients,
  counterPerClientTwoClients,
  ...multiClientRules,
  ...lossyRules,
  ...protocolRules,
  ...studentRules,
  ...genericRules,
]

export function knownRuleKinds(): string[] {
  return rules.map((rule) => rule.kind)
}

/** The schema of a rule kind's parameters, for the rules that declare one. */
export function ruleParamsSchema(kind: string): ZodType | undefined {
  return rules.find((r) => r.kind === kind)?.params
}

/**
 * Evaluate each checkpoint's rule over the trace and the context (what the student wrote and
 * ran). Unknown kinds fail loudly, never pass.
 */
export function evaluateCheckpoints(
  specs: readonly CheckpointSpec[],
  trace: readonly TraceEvent[],
  context: CheckpointContext = {},
): CheckpointResult[] {
  return specs.map((spec) => {
    const { kind, ...params } = spec.rule
    const rule = rules.find((r) => r.kind === kind)
    if (!rule) {
      return {
        id: spec.id,
        passed: false,
        reason: `Unknown checkpoint rule "${kind}"`,
        evidence: [],
      }
    }
    return { id: spec.id, ...rule.evaluate(trace, params, context) }
  })
}
