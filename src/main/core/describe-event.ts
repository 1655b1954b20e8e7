import type { TraceEvent } from '@shared/trace'

/**
 * One line that says what an event was, for the progress file's evidence: who, what, the
 * payload and the addresses. Not its place in the trace (#12): that means nothing once the
 * session that numbered it is over.
 */
export function describeEvent(e: TraceEvent): string {
  const route = [e.local, e.remote].filter(Boolean).join(' ↔ ')
  const payload = e.payload !== undefined ? ` "${e.payload}"` : ''
  return `${e.actor} ${e.op}${payload}${route ? ` (${route})` : ''}`
}
