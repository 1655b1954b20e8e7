import type { TraceEvent } from '@shared/trace'

/** Binary search by seq: a trace is in seq order. */
export function findBySeq(trace: readonly TraceEvent[], seq: number): TraceEvent | undefined {
  let lo = 0
  let hi = trace.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const e = trace[mid]!
    if (e.seq === seq) return e
    if (e.seq < seq) lo = mid + 1
    else hi = mid - 1
  }
  // Not sorted after all (should not happen): fall back to a scan.
  return trace.find((e) => e.seq === seq)
}

/** The newest event that names a line of code. */
export function latestWithAnchor(trace: readonly TraceEvent[]): TraceEvent | undefined {
  for (let i = trace.length - 1; i >= 0; i--) {
    const e = trace[i]!
    if (e.anchor) return e
  }
  return undefined
}
