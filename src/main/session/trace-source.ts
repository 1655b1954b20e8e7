import type { ActorRole, Protocol } from '@shared/trace'

/** Who made a call, as every event of that actor (or checker run) names it. */
export interface TraceSource {
  actor: string
  actorKind: string
  role: ActorRole
  proto: Protocol
}
