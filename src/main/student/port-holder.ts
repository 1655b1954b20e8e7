import type { ActorStatus } from '@shared/actors'
import { catalogueEntry, listens } from '@shared/actor-catalogue'

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
    // Only a program that listens holds a port the student's program could want.
    if (!listens(a.kind) || catalogueEntry(a.kind)?.proto !== proto) return false
    return Number(/:(\d+)$/.exec(a.address)?.[1]) === port
  })
  return holder
    ? `the app's own ${holder.actorId} in the ${holder.labId} lab (at ${holder.address})`
    : undefined
}
