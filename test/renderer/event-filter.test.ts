import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { EventFilter, type EventQuery } from '@renderer/features/log/event-filter'
import { fixedLog } from '@renderer/trace-log'
import { GrowingLog } from './growing-log'
import { bigUdpTrace, lossyUdpTrace, tcpPingPongTrace } from './fixtures'

const everything = [...tcpPingPongTrace(3), ...lossyUdpTrace()].map((e, i) => ({
  ...e,
  seq: i + 1,
}))

function plainFilter(events: typeof everything, q: EventQuery) {
  return events.filter(
    (e) =>
      (!q.actor || e.actor === q.actor) &&
      (!q.op || e.op === q.op) &&
      (!q.text ||
        `${e.actor} ${e.op} ${e.local ?? ''} ${e.remote ?? ''} ${e.payload ?? ''} ${e.message ?? ''}`
          .toLowerCase()
          .includes(q.text)),
  )
}

describe('EventFilter', () => {
  it('returns the trace itself when nothing filters it', () => {
    const filter = new EventFilter()
    expect(filter.apply(fixedLog(everything), { text: '', actor: '', op: '' })).toBe(everything)
  })

  it('gives what a plain filter gives, however the trace grows and the query changes', () => {
    const queries: EventQuery[] = [
      { text: 'pong', actor: '', op: '' },
      { text: '', actor: 'tcp-client#2', op: '' },
      { text: '', actor: '', op: 'send' },
      { text: '127.0.0.1:50007', actor: 'udp-client#2', op: 'sendto' },
      { text: 'no such thing', actor: '', op: '' },
      { text: '', actor: '', op: '' },
    ]
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(everything.length), fc.nat(queries.length - 1)), {
          maxLength: 12,
        }),
        (steps) => {
          const filter = new EventFilter()
          const growing = new GrowingLog()
          for (const [size, qi] of steps) {
            if (size > growing.length) growing.push(...everything.slice(growing.length, size))
            const q = queries[qi]!
            expect([...filter.apply(growing, q)]).toEqual(plainFilter(growing.events, q))
          }
        },
      ),
    )
  })

  it('tests only the events appended since the last call, and grows its list in place', () => {
    const trace = bigUdpTrace(2_000)
    const growing = new GrowingLog(trace.slice(0, 1_000))
    const filter = new EventFilter()
    const q = { text: 'pong', actor: '', op: '' }
    const first = filter.apply(growing, q)
    const before = first.length
    growing.push(...trace.slice(1_000))
    const second = filter.apply(growing, q)
    expect(second).toBe(first)
    expect(second.length).toBeGreaterThan(before)
    expect([...second]).toEqual(plainFilter(growing.events, q))
    // A new epoch (the session was cleared): a new list.
    const cleared = filter.apply(growing.reset(trace.slice(0, 10)), q)
    expect(cleared).not.toBe(first)
    expect([...cleared]).toEqual(plainFilter(trace.slice(0, 10), q))
  })
})
