import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { traceOps, traceTags, type TraceEvent } from '@shared/trace'
import { unpackTrace } from '@shared/trace-wire'
import { NO_ANCHOR, TraceColumns } from '../../src/main/session/trace-columns'
import type { TraceSource } from '../../src/main/session/trace-source'

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined })
// A few values per field, so strings repeat and sources reuse their last ids, as in real traces.
const few = (...values: string[]) => fc.constantFrom(...values)

const sourceArb: fc.Arbitrary<TraceSource> = fc.record({
  actor: few('tcp-client#1', 'tcp-server#1', 'udp-relay#1'),
  actorKind: few('tcp-client', 'tcp-server', 'udp-relay'),
  role: fc.constantFrom('server', 'client', 'relay'),
  proto: fc.constantFrom('tcp', 'udp'),
})

const callArb = fc.record({
  op: fc.constantFrom(...traceOps),
  local: maybe(few('127.0.0.1:50001', '127.0.0.1:41000', '::1:50001')),
  remote: maybe(few('127.0.0.1:50001', '127.0.0.1:41000')),
  conn: maybe(few('a->b', 'b->a')),
  bytes: maybe(fc.nat()),
  payload: maybe(fc.oneof(few('PING', 'PONG', ''), fc.string())),
  rttMs: maybe(fc.double({ min: 0, max: 1e5, noNaN: true })),
  tag: maybe(fc.constantFrom(...traceTags)),
  message: maybe(fc.string()),
  level: maybe(fc.constantFrom('info' as const, 'warn' as const, 'error' as const)),
  anchor: maybe(
    fc.record({ file: few('tcp_client.py', 'tcp_server.py'), name: few('send', 'recv') }),
  ),
})

const entryArb = fc.record({ source: fc.nat({ max: 2 }), call: callArb, t: fc.nat({ max: 1e7 }) })

describe('TraceColumns', () => {
  it('gives back every event as it was appended, through objects and through the wire', () => {
    fc.assert(
      fc.property(
        fc.array(sourceArb, { minLength: 3, maxLength: 3 }),
        fc.array(entryArb, { maxLength: 60 }),
        fc.nat({ max: 60 }),
        (sources, entries, cut) => {
          const columns = new TraceColumns()
          const refs = sources.map((s) => columns.sourceRef(s))
          // One anchor object per (file, name), as an actor's tracer keeps them.
          const anchors = new Map<string, { file: string; name: string }>()
          const expected: TraceEvent[] = entries.map(({ source, call, t }, i) => {
            const { anchor: a, ...rest } = call
            const key = a && `${a.file}\n${a.name}`
            const anchor = key ? (anchors.get(key) ?? anchors.set(key, a!).get(key)!) : undefined
            const seq = columns.append(
              refs[source]!,
              rest,
              anchor ? columns.anchorRef(anchor) : NO_ANCHOR,
              t,
            )
            expect(seq).toBe(i + 1)
            return { seq, t, ...sources[source]!, ...rest, level: rest.level ?? 'info', anchor }
          })
          expect(columns.slice()).toEqual(expected)
          const split = Math.min(cut, entries.length)
          for (const [from, to] of [
            [0, split],
            [split, entries.length],
          ] as const) {
            const wire = JSON.parse(JSON.stringify(columns.pack(from, to)))
            expect(unpackTrace(wire)).toEqual(expected.slice(from, to))
          }
        },
      ),
    )
  })

  it('keeps events past its first allocation, and a batch carries each string once', () => {
    const columns = new TraceColumns()
    const client = columns.sourceRef({
      actor: 'tcp-client#1',
      actorKind: 'tcp-client',
      role: 'client',
      proto: 'tcp',
    })
    const send = columns.anchorRef({ file: 'tcp_client.py', name: 'send' })
    for (let i = 0; i < 5000; i++) {
      columns.append(client, { op: 'send', payload: `PING ${i % 7}`, bytes: 6 }, send, i / 4)
    }
    expect(columns.length).toBe(5000)
    expect(columns.at(4999)).toMatchObject({ seq: 5000, t: 4999 / 4, payload: 'PING 1' })
    const packed = columns.pack(1000, 3000)
    expect(packed.cells.length / 2000).toBe(18)
    expect(new Set(packed.strings).size).toBe(packed.strings.length)
    // actor, kind, role, proto, op (also the anchor's name), level, anchor file, 7 payloads.
    expect(packed.strings).toHaveLength(14)
  })

  it('carries seq numbers on after clear(), and forgets the cleared events', () => {
    const columns = new TraceColumns()
    const ref = columns.sourceRef({ actor: 'a#1', actorKind: 'a', role: 'client', proto: 'udp' })
    columns.append(ref, { op: 'sendto' }, NO_ANCHOR, 1)
    columns.append(ref, { op: 'recvfrom' }, NO_ANCHOR, 2)
    columns.clear()
    expect(columns.slice()).toEqual([])
    expect(columns.append(ref, { op: 'close' }, NO_ANCHOR, 0)).toBe(3)
    expect(columns.slice().map((e) => [e.seq, e.op])).toEqual([[3, 'close']])
  })
})
