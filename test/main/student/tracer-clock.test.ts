import { describe, expect, it } from 'vitest'
import { MAX_CLOCK_GAP_MS, tracerClock } from '../../../src/main/student/tracer-clock'

describe('tracerClock', () => {
  it("turns the tracer's monotonic seconds into main's clock", () => {
    let perf = 1000
    const clock = tracerClock(
      () => perf,
      () => 50_000, // the monotonic clock reads 50 s when main's reads 1 s
    )
    perf = 1010
    // A call made at monotonic 50.004 s happened at main's 1004 ms, before it arrived (1010).
    expect(clock(50.004)).toBeCloseTo(1004, 6)
  })

  it('never stamps a call after it arrived, nor absurdly before', () => {
    let perf = 1000
    const clock = tracerClock(
      () => perf,
      () => 50_000,
    )
    perf = 1010
    expect(clock(50.02)).toBe(1010)
    perf = 1000 + MAX_CLOCK_GAP_MS + 10
    expect(clock(50)).toBe(perf)
    expect(clock(50.011)).toBeCloseTo(1011, 6)
  })

  it('with the real clocks, a time.monotonic() reading now is now', async () => {
    const clock = tracerClock()
    const monotonicNow = Number(process.hrtime.bigint()) / 1e9
    const before = performance.now()
    expect(Math.abs(clock(monotonicNow) - before)).toBeLessThan(50)
  })
})
