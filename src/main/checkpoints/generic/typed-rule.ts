import type { z } from 'zod'
import type { TraceEvent } from '@shared/trace'
import { notYet, type CheckpointContext, type CheckpointRule, type RuleOutcome } from '../rule'

/** A rule whose parameters have a schema: lab loading checks them, evaluation gets them typed. */
export interface TypedRuleSpec<S extends z.ZodType> {
  kind: string
  params: S
  evaluate(
    trace: readonly TraceEvent[],
    params: z.output<S>,
    context?: CheckpointContext,
  ): RuleOutcome
}

export function typedRule<S extends z.ZodType>(spec: TypedRuleSpec<S>): CheckpointRule {
  return {
    kind: spec.kind,
    params: spec.params,
    evaluate(trace, params, context) {
      const parsed = spec.params.safeParse(params)
      // Lab loading refuses bad parameters, so this only guards a spec built in code.
      if (!parsed.success) {
        return notYet(`This checkpoint's rule is set up wrongly (${spec.kind}): ask your teacher.`)
      }
      return spec.evaluate(trace, parsed.data, context)
    },
  }
}
