import type {
  ActorContext,
  ActorDefinition,
  ActorTraceInput,
  PreparedCallInput,
  RecordCall,
} from '../net/actor'
import { startableEntry, traceRoleOf } from '@shared/actor-catalogue'
import { NO_ANCHOR, type AnchorRef } from './trace-columns'
import type { TraceRecorder } from './trace-recorder'

/**
 * The `trace` and `prepare` functions an actor calls. They run once per socket call, so the
 * actor's own strings and its anchors are looked up once, and each call goes straight into the
 * trace's rows: tracing must cost little next to the socket call itself (see `npm run bench`).
 */
export function makeActorTracer(
  definition: ActorDefinition,
  actorId: string,
  recorder: TraceRecorder,
) {
  const source = recorder.sourceRef({
    actor: actorId,
    actorKind: definition.kind,
    role: traceRoleOf(definition.kind),
    proto: startableEntry(definition.kind).proto,
  })
  const anchors = new Map<string, AnchorRef>()
  const anchorFor = (name: string | undefined) => {
    if (name === undefined) return NO_ANCHOR
    let a = anchors.get(name)
    if (!a) anchors.set(name, (a = recorder.anchorRef({ file: definition.file, name })))
    return a
  }
  return {
    trace: (e: ActorTraceInput): number => recorder.append(source, e, anchorFor(e.at), e.now),
    prepare(call: PreparedCallInput): RecordCall {
      const template = recorder.prepare(source, call, anchorFor(call.at))
      return (now, bytes, payload, rttMs) =>
        recorder.appendCall(template, now, bytes, payload, rttMs)
    },
  } satisfies Pick<ActorContext, 'trace' | 'prepare'>
}
