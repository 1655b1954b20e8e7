import type { TraceEvent } from '@shared/trace'

/** One line that says what an event was, for the progress file's evidence. */
export function describeEvent(e: TraceEvent): string {
  const route = [e.local, e.remote].filter(Boolean).join(' ↔ ')
  const payload = e.payload !== undefined ? ` "${e.payload}"` : ''
  return `#${e.seq} ${e.actor} ${e.op}${payload}${route ? ` ${route}` : ''}`
}
