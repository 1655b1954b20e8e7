import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { traceOps, traceTags, type TraceEvent } from '@shared/trace'
import { packedLength, packTrace, Slot, TRACE_ROW, unpackTrace } from '@shared/trace-wire'

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined })

const eventArb: fc.Arbitrary<TraceEvent> = fc
  .record({
    seq: fc.integer({ min: 1 }),
    t: fc.double({ min: 0, max: 1e7, noNaN: true }),
    actor: fc.string(),
    actorKind: fc.string(),
    role: fc.constantFrom('server', 'client', 'relay'),
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
    anchor: maybe(fc.record({ file: fc.string(), name: fc.string() }, { noNullPrototype: true })),
    tag: maybe(fc.constantFrom(...traceTags)),
  })
  .map(
    (e) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as TraceEvent,
  )

describe('packed trace batches', () => {
  it('unpack(pack(events)) gives the same events, through JSON', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 40 }), (events) => {
        const wire = JSON.parse(JSON.stringify(packTrace(events)))
        // Strict: an absent field must not come back as a key holding undefined.
        const unpacked = unpackTrace(wire)
        expect(unpacked).toStrictEqual(events)
        expect(packedLength(wire)).toBe(events.length)
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
    // The string table is exactly the distinct strings of the batch, each once, nothing else.
    const distinct = new Set(
      events.flatMap((e) => [
        e.actor,
        e.actorKind,
        e.role,
        e.proto,
        e.op,
        e.local!,
        e.remote!,
        e.payload!,
        e.level,
        e.anchor!.file,
        e.anchor!.name,
      ]),
    )
    expect(packed.strings).toHaveLength(distinct.size)
    expect(new Set(packed.strings)).toEqual(distinct)
    expect(packedLength(packed)).toBe(2000)
    expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify(events).length / 3)
  })

  it('keeps a zero byte count and a zero round-trip time (an empty datagram, a fast reply)', () => {
    const event: TraceEvent = {
      seq: 1,
      t: 0,
      actor: 'udp-client#1',
      actorKind: 'udp-client',
      role: 'client',
      proto: 'udp',
      op: 'recvfrom',
      level: 'info',
      bytes: 0,
      rttMs: 0,
    }
    expect(unpackTrace(JSON.parse(JSON.stringify(packTrace([event]))))).toStrictEqual([event])
  })

  it('gives events with the same anchor one shared anchor object, as main does', () => {
    const event = (seq: number, name: string): TraceEvent => ({
      seq,
      t: seq,
      actor: 'udp-client#1',
      actorKind: 'udp-client',
      role: 'client',
      proto: 'udp',
      op: 'sendto',
      level: 'info',
      anchor: { file: 'udp_client.py', name },
    })
    const [a, b, c] = unpackTrace(
      packTrace([event(1, 'sendto'), event(2, 'sendto'), event(3, 'recvfrom')]),
    )
    expect(a!.anchor).toBe(b!.anchor)
    expect(c!.anchor).toStrictEqual({ file: 'udp_client.py', name: 'recvfrom' })
  })

  it('a row with an anchor file but no name has no anchor (an anchor needs both)', () => {
    const packed = packTrace([
      {
        seq: 1,
        t: 0,
        actor: 'tcp-server#1',
        actorKind: 'tcp-server',
        role: 'server',
        proto: 'tcp',
        op: 'listen',
        level: 'info',
        anchor: { file: 'tcp_server.py', name: 'listen' },
      },
    ])
    for (const [missing, kept] of [
      [Slot.anchorName, Slot.anchorFile],
      [Slot.anchorFile, Slot.anchorName],
    ] as const) {
      const cells = [...packed.cells]
      cells[missing] = -1
      expect(cells[kept]).toBeGreaterThanOrEqual(0)
      expect(cells).toHaveLength(TRACE_ROW)
      expect(unpackTrace({ strings: packed.strings, cells })[0]).not.toHaveProperty('anchor')
    }
  })
})
