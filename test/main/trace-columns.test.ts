import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { traceOps, traceTags, type TraceEvent } from '@shared/trace'
import { unpackTrace } from '@shared/trace-wire'
import { NO_ANCHOR, TraceColumns, type CallTemplate } from '../../src/main/session/trace-columns'
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

const entryArb = fc.record({
  source: fc.nat({ max: 2 }),
  call: callArb,
  t: fc.nat({ max: 1e7 }),
  // Appended through a prepared call template rather than field by field.
  prepared: fc.boolean(),
})

/** The ping-pong TCP client's or server's source. */
const tcpSource = (columns: TraceColumns, role: 'client' | 'server') =>
  columns.sourceRef({ actor: `tcp-${role}#1`, actorKind: `tcp-${role}`, role, proto: 'tcp' })

describe('TraceColumns', () => {
  it('gives back every event as it was appended, field by field or prepared, through objects and through the wire', () => {
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
          // Templates are reused for calls that share their fixed fields, as actors reuse them.
          const templates = new Map<string, CallTemplate>()
          const expected: TraceEvent[] = entries.map(({ source, call, t, prepared }, i) => {
            const { anchor: a, ...rest } = call
            const key = a && `${a.file}\n${a.name}`
            const anchor = key ? (anchors.get(key) ?? anchors.set(key, a!).get(key)!) : undefined
            const anchorRef = anchor ? columns.anchorRef(anchor) : NO_ANCHOR
            if (!prepared) {
              const seq = columns.append(refs[source]!, rest, anchorRef, t)
              expect(seq).toBe(i + 1)
              return { seq, t, ...sources[source]!, ...rest, level: rest.level ?? 'info', anchor }
            }
            // A prepared call always has a byte count and a payload.
            const { bytes = 0, payload = '', rttMs, ...fixed } = rest
            const templateKey = JSON.stringify([source, fixed, key])
            let template = templates.get(templateKey)
            if (!template) {
              template = columns.prepare(refs[source]!, fixed, anchorRef)
              templates.set(templateKey, template)
            }
            const seq = columns.appendCall(template, t, bytes, payload, rttMs ?? -1)
            expect(seq).toBe(i + 1)
            const event = { ...rest, bytes, payload, level: rest.level ?? 'info' }
            return { seq, t, ...sources[source]!, ...event, anchor }
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

  it('keeps events across its chunks of rows, and a batch carries each string once', () => {
    const columns = new TraceColumns()
    const client = tcpSource(columns, 'client')
    const send = columns.anchorRef({ file: 'tcp_client.py', name: 'send' })
    // Enough rows for three chunks (4,096 rows each).
    for (let i = 0; i < 10_000; i++) {
      columns.append(client, { op: 'send', payload: `PING ${i % 7}`, bytes: i }, send, i / 4)
    }
    expect(columns.length).toBe(10_000)
    for (const row of [0, 4095, 4096, 8191, 8192, 9999]) {
      expect(columns.at(row)).toMatchObject({
        seq: row + 1,
        t: row / 4,
        bytes: row,
        payload: `PING ${row % 7}`,
      })
    }
    // A batch that spans a chunk boundary.
    const packed = columns.pack(4000, 8300)
    expect(packed.cells.length / 4300).toBe(18)
    expect(unpackTrace(packed)).toEqual(columns.slice(4000, 8300))
    expect(unpackTrace(packed).map((e) => e.bytes)).toEqual(
      Array.from({ length: 4300 }, (_, i) => 4000 + i),
    )
    expect(new Set(packed.strings).size).toBe(packed.strings.length)
    // actor, kind, role, proto, op (also the anchor's name), level, anchor file, 7 payloads.
    expect(packed.strings).toHaveLength(14)
  })

  it('a prepared call records what varies each time and repeats the rest', () => {
    const columns = new TraceColumns()
    const server = tcpSource(columns, 'server')
    const anchor = { file: 'tcp_server.py', name: 'recv' }
    const recv = columns.prepare(
      server,
      { op: 'recv', local: '127.0.0.1:50007', remote: '127.0.0.1:41000', conn: 'c' },
      columns.anchorRef(anchor),
    )
    const payloads = ['PING', 'PING', 'HELLO', 'PING', '', 'PING']
    payloads.forEach((payload, i) => columns.appendCall(recv, i, payload.length, payload, i / 10))
    columns.append(server, { op: 'close', local: '127.0.0.1:50007' }, NO_ANCHOR, 9)
    expect(columns.slice().map((e) => [e.op, e.payload, e.bytes, e.rttMs, e.t])).toEqual([
      ...payloads.map((p, i) => ['recv', p, p.length, i / 10, i]),
      ['close', undefined, undefined, undefined, 9],
    ])
    expect(columns.at(3)).toEqual({
      seq: 4,
      t: 3,
      actor: 'tcp-server#1',
      actorKind: 'tcp-server',
      role: 'server',
      proto: 'tcp',
      op: 'recv',
      local: '127.0.0.1:50007',
      remote: '127.0.0.1:41000',
      conn: 'c',
      bytes: 4,
      payload: 'PING',
      rttMs: 0.3,
      anchor,
      tag: undefined,
      message: undefined,
      level: 'info',
    })
  })

  it('events of one call site share a shape even when each has its own message', () => {
    const columns = new TraceColumns()
    const ref = columns.sourceRef({ actor: 'a#1', actorKind: 'a', role: 'client', proto: 'udp' })
    for (let i = 0; i < 500; i++) {
      const call = { op: 'sendto' as const, remote: '127.0.0.1:9', message: `try ${i}` }
      columns.append(ref, call, NO_ANCHOR, i)
    }
    expect(columns.shapeCount).toBe(1)
    expect(columns.at(321)?.message).toBe('try 321')
    const packed = unpackTrace(columns.pack(0, 500))
    expect(packed.map((e) => e.message)).toEqual(Array.from({ length: 500 }, (_, i) => `try ${i}`))
  })

  it('after clear() a long trace grows again from its first chunk', () => {
    const columns = new TraceColumns()
    const ref = columns.sourceRef({ actor: 'a#1', actorKind: 'a', role: 'server', proto: 'udp' })
    for (let i = 0; i < 9000; i++) columns.append(ref, { op: 'recvfrom', bytes: i }, NO_ANCHOR, i)
    columns.clear()
    for (let i = 0; i < 6000; i++) columns.append(ref, { op: 'sendto', bytes: i }, NO_ANCHOR, i)
    expect(columns.length).toBe(6000)
    expect(columns.at(5000)).toMatchObject({ seq: 9000 + 5001, op: 'sendto', bytes: 5000 })
    expect(columns.slice(4094, 4098).map((e) => e.bytes)).toEqual([4094, 4095, 4096, 4097])
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
