import { describe, expect, it } from 'vitest'
import { TraceCursor, fixedLog } from '@renderer/trace-log'
import { GrowingLog } from './growing-log'
import { tcpPingPongTrace } from './fixtures'

describe('TraceCursor', () => {
  it('reads each appended event once, and starts over when the epoch moves', () => {
    const trace = tcpPingPongTrace(1)
    const log = new GrowingLog(trace.slice(0, 3))
    const cursor = new TraceCursor()
    expect(cursor.behind(log)).toBe(3)
    expect(cursor.sync(log)).toBe(true)
    expect(cursor.take(log)).toEqual([0, 3])
    expect(cursor.sync(log)).toBe(false)
    expect(cursor.take(log)).toEqual([3, 3])

    log.push(...trace.slice(3, 5))
    expect(cursor.behind(log)).toBe(2)
    expect(cursor.sync(log)).toBe(false)
    expect(cursor.take(log)).toEqual([3, 5])

    // Cleared, then refilled past where the cursor was: still a new start, not a continuation.
    log.reset(trace.slice(0, 8))
    expect(cursor.behind(log)).toBe(8)
    expect(cursor.sync(log)).toBe(true)
    expect(cursor.take(log)).toEqual([0, 8])
  })

  it('reads only what the log announces, not events stored ahead of it', () => {
    const trace = tcpPingPongTrace(1)
    const cursor = new TraceCursor()
    cursor.sync(fixedLog(trace))
    expect(cursor.take({ events: trace, epoch: 0, length: 2 })).toEqual([0, 2])
    expect(cursor.take({ events: trace, epoch: 0, length: trace.length })).toEqual([
      2,
      trace.length,
    ])
  })
})
