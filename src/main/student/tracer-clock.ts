/**
 * The tracer stamps each call with Python's time.monotonic(); main records events on
 * performance.now(). Both count on the system's monotonic clock (CLOCK_MONOTONIC on Linux,
 * the same counter libuv's hrtime reads elsewhere), so one offset turns a call's time into
 * main's. A student's call reaches main a few milliseconds late (through its pipe, batched):
 * with its own time, the diagram can tell a reply that was read at once from one that waited.
 */

/** Past this gap between the two clocks, they are not the same clock: use the arrival time. */
export const MAX_CLOCK_GAP_MS = 5000

export type TracerClock = (monotonicSeconds: number) => number

export function tracerClock(
  now: () => number = () => performance.now(),
  monotonicMs: () => number = () => Number(process.hrtime.bigint()) / 1e6,
): TracerClock {
  const offset = now() - monotonicMs()
  return (seconds) => {
    const arrived = now()
    const at = seconds * 1000 + offset
    // Never in the future, and never absurdly far in the past.
    return at <= arrived && arrived - at <= MAX_CLOCK_GAP_MS ? at : arrived
  }
}
