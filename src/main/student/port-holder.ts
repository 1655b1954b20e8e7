import type { ActorStatus } from '@shared/actors'
import { actorDefinitions } from '../net'

/**
 * The app's own actor that holds a port, in words ("the app's own counter-server#1 in the
 * counter lab (Stop it there)"), when a student's program could not bind that port; undefined
 * when no actor of the app holds it (another program does).
 */
export function appPortHolder(
  actors: readonly ActorStatus[],
  proto: 'tcp' | 'udp',
  port: number,
): string | undefined {
  const holder = actors.find((a) => {
    if (a.state !== 'running' && a.state !== 'starting') return false
    const definition = actorDefinitions[a.kind]
    if (!definition || definition.proto !== proto || definition.role === 'client') return false
    return Number(/:(\d+)$/.exec(a.address)?.[1]) === port
  })
  return holder
    ? `the app's own ${holder.actorId} in the ${holder.labId} lab (at ${holder.address})`
    : undefined
}
