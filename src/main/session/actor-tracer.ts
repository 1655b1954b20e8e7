import type { ActorRole, CodeAnchor, Protocol, TraceEvent } from '@shared/trace'
import type { ActorDefinition, ActorTraceInput } from '../net/actor'
import type { TraceRecorder } from './trace-recorder'

/** Who made a call, as every event of that actor (or checker run) names it. */
export interface TraceSource {
  actor: string
  actorKind: string
  role: ActorRole
  proto: Protocol
}

/**
 * One trace event, always as one object literal of the same shape (seq and t are numbered by
 * the recorder but present from the start): every event keeps one hidden class, and this
 * runs once per socket call.
 */
export function traceEvent(
  source: TraceSource,
  e: Omit<ActorTraceInput, 'at' | 'now'>,
  anchor: CodeAnchor | undefined,
): TraceEvent {
  return {
    seq: 0,
    t: 0,
    actor: source.actor,
    actorKind: source.actorKind,
    role: source.role,
    proto: source.proto,
    op: e.op,
    local: e.local,
    remote: e.remote,
    conn: e.conn,
    bytes: e.bytes,
    payload: e.payload,
    rttMs: e.rttMs,
    anchor,
    tag: e.tag,
    message: e.message,
    level: e.level ?? 'info',
  }
}

/**
 * The `trace` function an actor calls. It runs once per socket call, so it builds each
 * event in one fixed shape and shares anchor objects: tracing must cost little next to the
 * socket call itself (see `npm run bench`).
 */
export function makeActorTracer(
  definition: ActorDefinition,
  actorId: string,
  recorder: TraceRecorder,
) {
  const source: TraceSource = {
    actor: actorId,
    actorKind: definition.kind,
    role: definition.role,
    proto: definition.proto,
  }
  const anchors = new Map<string, CodeAnchor>()
  const anchorFor = (name: string | undefined) => {
    if (name === undefined) return undefined
    let a = anchors.get(name)
    if (!a) anchors.set(name, (a = { file: definition.file, name }))
    return a
  }
  return (e: ActorTraceInput): TraceEvent =>
    recorder.record(traceEvent(source, e, anchorFor(e.at)), e.now)
}
