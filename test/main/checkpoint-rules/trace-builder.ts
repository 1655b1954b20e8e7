import type { TraceEvent } from '@shared/trace'
import { evaluateCheckpoints, type CheckpointContext } from '../../../src/main/checkpoints'

/**
 * Hand-made traces for the checkpoint rules' near-miss tests: events numbered as the
 * recorder numbers them, the role read from the actor's kind.
 */
export function traceBuilder() {
  let seq = 0
  return {
    reset: () => void (seq = 0),
    ev(actor: string, op: TraceEvent['op'], extra: Partial<TraceEvent> = {}): TraceEvent {
      const kind = actor.split('#')[0]!
      const role = kind.endsWith('server') ? 'server' : kind.endsWith('relay') ? 'relay' : 'client'
      return {
        seq: ++seq,
        t: seq,
        actor,
        actorKind: kind,
        role,
        proto: 'tcp',
        op,
        level: 'info',
        ...extra,
      } as TraceEvent
    },
  }
}

/** One checkpoint of rule `kind` (its parameters in `params`), evaluated over `trace`. */
export function checkRule(
  kind: string,
  trace: TraceEvent[],
  params: object = {},
  context?: CheckpointContext,
) {
  const spec = { id: 'x', title: 'x', hint: 'x', rule: { kind, ...params } }
  return evaluateCheckpoints([spec], trace, context)[0]!
}
