/** A duration in ms to the microsecond: what the trace shows of a performance.now() difference. */
export function round(ms: number): number {
  return Math.round(ms * 1000) / 1000
}
