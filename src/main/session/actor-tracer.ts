import type { CodeAnchor, TraceEvent } from '@shared/trace'
import type { ActorDefinition, ActorTraceInput } from '../net/actor'
import type { TraceRecorder } from './trace-recorder'

/**
 * The `trace` function an actor calls. It runs once per socket call, so it builds each
 * event as one object literal of a fixed shape and shares anchor objects: tracing must
 * cost little next to the socket call itself (see `npm run bench`).
 */
export function makeActorTracer(
  definition: ActorDefinition,
  actorId: string,
  recorder: TraceRecorder,
) {
  const anchors = new Map<string, CodeAnchor>()
  const anchorFor = (name: string | undefined) => {
    if (name === undefined) return undefined
    let a = anchors.get(name)
    if (!a) anchors.set(name, (a = { file: definition.file, name }))
    return a
  }
  return (e: ActorTraceInput): TraceEvent =>
    recorder.record(
      {
        // Numbered by the recorder; present from the start so every event keeps one shape.
        seq: 0,
        t: 0,
        actor: actorId,
        actorKind: definition.kind,
        role: definition.role,
        proto: definition.proto,
        op: e.op,
        local: e.local,
        remote: e.remote,
        conn: e.conn,
        bytes: e.bytes,
        payload: e.payload,
        rttMs: e.rttMs,
        anchor: anchorFor(e.at),
        tag: e.tag,
        message: e.message,
        level: e.level ?? 'info',
      },
      e.now,
    )
}
