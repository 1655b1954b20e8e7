import { afterEach, describe, expect, it, vi } from 'vitest'
import type { TraceEvent } from '@shared/trace'
import { unpackTrace } from '@shared/trace-wire'
import { TraceRecorder, type NewTraceEvent } from '../../src/main/session/trace-recorder'

const event = (n: number): NewTraceEvent => ({
  actor: 'udp-client#1',
  actorKind: 'udp-client',
  role: 'client',
  proto: 'udp',
  op: 'sendto',
  payload: `PING ${n}`,
  level: 'info',
})

function recorder(flushMs = 16) {
  const batches: TraceEvent[][] = []
  // Batches are read as the hosts read them: packed for the wire, then unpacked.
  const rec = new TraceRecorder((batch) => batches.push(unpackTrace(batch.pack())), { flushMs })
  return { rec, batches }
}

describe('TraceRecorder', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('numbers events from 1 and stamps them with non-decreasing times since it started', () => {
    vi.useFakeTimers()
    const { rec } = recorder()
    const first = rec.record(event(1))
    vi.advanceTimersByTime(5)
    rec.record(event(2))
    rec.record(event(3))
    vi.advanceTimersByTime(20)
    rec.record(event(4))

    expect(first).toEqual(rec.events()[0])
    expect(rec.events().map((e) => e.seq)).toEqual([1, 2, 3, 4])
    expect(rec.events().map((e) => e.t)).toEqual([0, 5, 5, 25])
    expect(rec.events()[1]).toMatchObject({ ...event(2), seq: 2 })
  })

  it('counts time from the first event, not from when the session opened', () => {
    vi.useFakeTimers()
    const { rec } = recorder()
    // The student reads the step for a minute before starting anything.
    vi.advanceTimersByTime(60_000)
    rec.record(event(1))
    vi.advanceTimersByTime(12)
    rec.record(event(2))
    expect(rec.events().map((e) => e.t)).toEqual([0, 12])
  })

  it('t is non-decreasing under the real clock too', () => {
    const { rec } = recorder()
    for (let i = 0; i < 500; i++) rec.record(event(i))
    const times = rec.events().map((e) => e.t)
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!)
    expect(times[0]!).toBeGreaterThanOrEqual(0)
    rec.dispose()
  })

  it('delivers many events recorded at once in ONE batch, after flushMs', () => {
    vi.useFakeTimers()
    const { rec, batches } = recorder(16)
    for (let i = 1; i <= 200; i++) rec.record(event(i))
    expect(batches).toHaveLength(0)
    vi.advanceTimersByTime(15)
    expect(batches).toHaveLength(0)
    vi.advanceTimersByTime(1)
    expect(batches).toHaveLength(1)
    expect(batches[0]!.map((e) => e.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1))
    // Nothing is delivered twice, and no timer is left behind.
    vi.advanceTimersByTime(100)
    expect(batches).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)

    // Later events start a new batch.
    rec.record(event(201))
    vi.advanceTimersByTime(16)
    expect(batches.map((b) => b.length)).toEqual([200, 1])
    expect(batches[1]![0]!.seq).toBe(201)
  })

  it('batches with the real event loop as well', async () => {
    const batches: TraceEvent[][] = []
    let delivered!: () => void
    const first = new Promise<void>((resolve) => (delivered = resolve))
    const rec = new TraceRecorder(
      (batch) => {
        batches.push(unpackTrace(batch.pack()))
        delivered()
      },
      { flushMs: 1 },
    )
    for (let i = 1; i <= 1000; i++) rec.record(event(i))
    await first
    expect(batches).toHaveLength(1)
    expect(batches[0]).toHaveLength(1000)
    expect(batches[0]).toEqual(rec.events())
  })

  it('flush() delivers what is pending at once, and cancels the timer', () => {
    vi.useFakeTimers()
    const { rec, batches } = recorder(16)
    rec.record(event(1))
    rec.record(event(2))
    rec.flush()
    expect(batches.map((b) => b.map((e) => e.seq))).toEqual([[1, 2]])
    expect(vi.getTimerCount()).toBe(0)
    vi.advanceTimersByTime(50)
    expect(batches).toHaveLength(1)
    // Nothing pending: no empty batch.
    rec.flush()
    expect(batches).toHaveLength(1)
  })

  it('clear() empties the trace without delivering stale events; seq keeps growing', () => {
    vi.useFakeTimers()
    const { rec, batches } = recorder(16)
    rec.record(event(1))
    rec.flush()
    vi.advanceTimersByTime(40)
    rec.record(event(2))
    rec.record(event(3))

    rec.clear()
    expect(rec.events()).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
    vi.advanceTimersByTime(50)
    // Events 2 and 3 were recorded before the clear and never delivered: they stay unsent.
    expect(batches.map((b) => b.map((e) => e.seq))).toEqual([[1]])

    vi.advanceTimersByTime(7)
    const next = rec.record(event(4))
    expect(next.seq).toBe(4)
    // Time restarts with the fresh trace: its first event is at 0 ms.
    expect(next.t).toBe(0)
    expect(rec.events().map((e) => e.seq)).toEqual([4])
    vi.advanceTimersByTime(16)
    expect(batches.map((b) => b.map((e) => e.seq))).toEqual([[1], [4]])
  })

  it('dispose() delivers the last pending events and leaves no timer', () => {
    vi.useFakeTimers()
    const { rec, batches } = recorder(16)
    rec.record(event(1))
    rec.dispose()
    expect(batches.map((b) => b.map((e) => e.seq))).toEqual([[1]])
    expect(vi.getTimerCount()).toBe(0)
  })
})
