// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { TraceEvent } from '@shared/trace'
import { GrowingLog } from './growing-log'
import {
  DiagramBuilder,
  buildDiagram,
  type Diagram,
  type LifelineHint,
} from '@renderer/features/diagram/build-diagram'
import { expectedLifelines, expectedToTrace } from '@renderer/features/diagram/expected-to-trace'
import {
  SERVER_ADDR,
  TraceBuilder,
  actor,
  bigUdpTrace,
  externalClientTrace,
  fakeLab,
  lossyUdpTrace,
  tcpClient,
  tcpPingPongTrace,
  tcpServer,
} from './fixtures'

// --- Random traces over a small world, so addresses collide and sends find receives ----

const ACTORS = [
  actor('tcp-server#1', 'server', 'tcp', '127.0.0.1:50007'),
  actor('tcp-server#2', 'server', 'tcp', '0.0.0.0:50007'),
  actor('tcp-client#3', 'client', 'tcp', '127.0.0.1:54012'),
  actor('tcp-client#4', 'client', 'tcp', 'localhost:54013'),
  actor('udp-server#5', 'server', 'udp', '127.0.0.1:50007'),
  actor('udp-client#6', 'client', 'udp', '[::ffff:127.0.0.1]:41234'),
  actor('udp-client#7', 'client', 'udp'),
  actor('client', 'client', 'tcp', 'client'),
]
const ADDRESSES = [
  '127.0.0.1:50007',
  '127.0.0.1:54012',
  '::ffff:127.0.0.1:54013',
  '127.0.0.1:41234',
  '127.0.0.1:54999',
  'localhost:50007',
  '0.0.0.0:50007',
  'client',
  'server',
]
const OPS = [
  'socket',
  'bind',
  'listen',
  'accept',
  'connect',
  'send',
  'recv',
  'eof',
  'sendto',
  'recvfrom',
  'timeout',
  'drop',
  'close',
  'error',
  'note',
] as const

const eventArb = fc.record({
  who: fc.nat(ACTORS.length - 1),
  op: fc.constantFrom(...OPS),
  local: fc.option(fc.constantFrom(...ADDRESSES), { nil: undefined }),
  useOwnLocal: fc.boolean(),
  remote: fc.option(fc.constantFrom(...ADDRESSES), { nil: undefined }),
  bytes: fc.option(fc.constantFrom(0, 1, 4, 8, 12), { nil: undefined }),
  message: fc.option(fc.constantFrom('waiting', 'refused'), { nil: undefined }),
})

type EventSpec = typeof eventArb extends fc.Arbitrary<infer T> ? T : never

function toTrace(specs: EventSpec[]) {
  const b = new TraceBuilder()
  for (const s of specs) {
    const a = ACTORS[s.who]!
    const extra: Partial<TraceEvent> = {}
    if (!s.useOwnLocal) extra.local = s.local
    if (s.remote !== undefined) extra.remote = s.remote
    if (s.bytes !== undefined) {
      extra.bytes = s.bytes
      extra.payload = 'x'.repeat(s.bytes)
    }
    if (s.message !== undefined) extra.message = s.message
    b.add(a, s.op, extra)
  }
  return b.events
}

const HINTS: LifelineHint[] = [
  { id: 'client', label: 'Client', role: 'client' },
  { id: 'server', label: 'Server', role: 'server' },
]

/** Feeds `events` to one builder in pieces (the array grows in place), checking each step. */
function checkIncremental(
  events: readonly TraceEvent[],
  cuts: number[],
  maxRows: number,
  hints?: LifelineHint[],
): void {
  const builder = new DiagramBuilder(hints)
  const growing = new GrowingLog()
  const points = [...new Set([...cuts.map((c) => c % (events.length + 1)), events.length])].sort(
    (a, b) => a - b,
  )
  for (const point of points) {
    growing.push(...events.slice(growing.length, point))
    builder.update(growing)
    const incremental: Diagram = builder.diagram(maxRows)
    const whole = buildDiagram(growing.events.slice(), { lifelines: hints, maxRows })
    expect(incremental).toEqual(whole)
  }
}

describe('DiagramBuilder (incremental)', () => {
  it('gives exactly the full build after every batch, for any trace and any batching', () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, { maxLength: 60 }),
        fc.array(fc.nat(60), { maxLength: 6 }),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        (specs, cuts, maxRows, withHints) => {
          checkIncremental(toTrace(specs), cuts, maxRows, withHints ? HINTS : undefined)
        },
      ),
      { numRuns: 400 },
    )
  })

  it('gives the same when it stops at a deadline and goes on later', () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, { maxLength: 60 }),
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.nat(60), { maxLength: 4 }),
        fc.boolean(),
        (specs, slice, cuts, withHints) => {
          const events = toTrace(specs)
          const hints = withHints ? HINTS : undefined
          const builder = new DiagramBuilder(hints, { slice })
          const growing = new GrowingLog()
          for (const cut of [...cuts.map((c) => c % (events.length + 1)), events.length]) {
            if (cut > growing.length) growing.push(...events.slice(growing.length, cut))
            // A deadline already passed: one slice per call.
            let calls = 0
            while (builder.behind(growing) > 0) {
              builder.update(growing, -Infinity)
              expect(++calls).toBeLessThanOrEqual((growing.length + 2) ** 2)
            }
            expect(builder.diagram(12)).toEqual(
              buildDiagram(growing.events.slice(), { lifelines: hints, maxRows: 12 }),
            )
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('matches the full build on the fixtures, one event at a time', () => {
    for (const trace of [tcpPingPongTrace(3), externalClientTrace(), lossyUdpTrace()]) {
      checkIncremental(
        trace,
        trace.map((_, i) => i),
        150,
      )
      checkIncremental(
        trace,
        trace.map((_, i) => i),
        4,
      )
    }
    const flow = fakeLab().steps[0]!.expected!
    const events = expectedToTrace(flow)
    checkIncremental(
      events,
      events.map((_, i) => i),
      150,
      expectedLifelines(flow),
    )
  })

  it('starts over when a later owner changes how an earlier peer resolved', () => {
    // The client talks to 127.0.0.1:50007 before any server has used that address: in the
    // full build the server that binds it later owns it, so the arrow must move lanes.
    const b = new TraceBuilder()
    b.add(tcpClient, 'connect', { remote: SERVER_ADDR })
    b.add(tcpClient, 'send', { remote: SERVER_ADDR, bytes: 4, payload: 'PING' })
    const early = b.events.slice()
    b.add(tcpServer, 'bind')
    b.add(tcpServer, 'recv', { remote: tcpClient.local, bytes: 4, payload: 'PING' })

    const builder = new DiagramBuilder()
    const growing = new GrowingLog(early)
    builder.update(growing)
    expect(builder.diagram().lifelines.some((l) => l.external)).toBe(true)
    growing.push(...b.events.slice(early.length))
    builder.update(growing)
    const d = builder.diagram()
    expect(d).toEqual(buildDiagram(b.events))
    expect(d.lifelines.some((l) => l.external)).toBe(false)
  })

  it('starts over when the log begins a new epoch (another, a shorter, a trimmed trace)', () => {
    const builder = new DiagramBuilder()
    const log = new GrowingLog(tcpPingPongTrace(2))
    builder.update(log)
    const other = lossyUdpTrace()
    builder.update(log.reset(other))
    expect(builder.diagram()).toEqual(buildDiagram(other))
    const cleared = other.slice(0, 3)
    builder.update(log.reset(cleared))
    expect(builder.diagram()).toEqual(buildDiagram(cleared))
    // Same length, different events: a new trace too.
    builder.update(log.reset(tcpPingPongTrace(2).slice(0, 3)))
    expect(builder.diagram()).toEqual(buildDiagram(tcpPingPongTrace(2).slice(0, 3)))
  })

  it('reads only up to the length the log announces', () => {
    const trace = tcpPingPongTrace(2)
    const builder = new DiagramBuilder()
    // Events stored but not announced yet (the store tells the views once a frame).
    builder.update({ events: trace, epoch: 0, length: 4 })
    expect(builder.diagram()).toEqual(buildDiagram(trace.slice(0, 4)))
    expect(builder.behind({ events: trace, epoch: 0, length: trace.length })).toBe(trace.length - 4)
    builder.update({ events: trace, epoch: 0, length: trace.length })
    expect(builder.diagram()).toEqual(buildDiagram(trace))
  })

  it('counts rows: the window is numbered within the whole trace', () => {
    const trace = bigUdpTrace(2_000)
    const builder = new DiagramBuilder()
    const growing = new GrowingLog(trace.slice(0, 1_000))
    const added = builder.update(growing)
    expect(added).toBe(builder.totalRows)
    growing.push(...trace.slice(1_000))
    const more = builder.update(growing)
    expect(builder.totalRows).toBe(added + more)
    const d = builder.diagram(30)
    expect(d.rows).toHaveLength(30)
    expect(d.totalRows).toBe(builder.totalRows)
    expect(d.firstRow).toBe(d.totalRows - 30)
    expect(d).toEqual(buildDiagram(trace, { maxRows: 30 }))
  })
})
