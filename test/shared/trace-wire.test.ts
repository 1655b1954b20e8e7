import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { traceOps, type TraceEvent } from '@shared/trace'
import { packTrace, unpackTrace } from '@shared/trace-wire'

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined })

const eventArb: fc.Arbitrary<TraceEvent> = fc
  .record({
    seq: fc.integer({ min: 1 }),
    t: fc.double({ min: 0, max: 1e7, noNaN: true }),
    actor: fc.string(),
    actorKind: fc.string(),
    role: fc.constantFrom('server', 'client'),
    proto: fc.constantFrom('tcp', 'udp'),
    op: fc.constantFrom(...traceOps),
    level: fc.constantFrom('info', 'warn', 'error'),
    local: maybe(fc.string()),
    remote: maybe(fc.string()),
    conn: maybe(fc.string()),
    bytes: maybe(fc.nat()),
    payload: maybe(fc.string()),
    rttMs: maybe(fc.double({ min: 0, max: 1e5, noNaN: true })),
    message: maybe(fc.string()),
    anchor: maybe(fc.record({ file: fc.string(), name: fc.string() })),
  })
  .map(
    (e) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as TraceEvent,
  )

describe('packed trace batches', () => {
  it('unpack(pack(events)) gives the same events, through JSON', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 40 }), (events) => {
        const wire = JSON.parse(JSON.stringify(packTrace(events)))
        expect(unpackTrace(wire)).toEqual(events)
      }),
    )
  })

  it('sends each distinct string once, so a busy batch is far smaller than plain JSON', () => {
    const events: TraceEvent[] = Array.from({ length: 2000 }, (_, i) => ({
      seq: i + 1,
      t: i / 10,
      actor: `udp-client#${i % 20}`,
      actorKind: 'udp-client',
      role: 'client',
      proto: 'udp',
      op: i % 2 ? 'recvfrom' : 'sendto',
      local: `127.0.0.1:${40000 + (i % 20)}`,
      remote: '127.0.0.1:50007',
      bytes: 4,
      payload: i % 2 ? 'PONG' : 'PING',
      anchor: { file: 'udp_client.py', name: i % 2 ? 'recvfrom' : 'sendto' },
      level: 'info',
    }))
    const packed = packTrace(events)
    expect(new Set(packed.strings).size).toBe(packed.strings.length)
    expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify(events).length / 3)
  })
})
