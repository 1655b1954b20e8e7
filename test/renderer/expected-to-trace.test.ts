// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { TraceEventSchema } from '@shared/trace'
import type { ExpectedFlow } from '@shared/lab'
import { expectedLifelines, expectedToTrace } from '@renderer/features/diagram/expected-to-trace'
import { buildDiagram, type ArrowRow } from '@renderer/features/diagram/build-diagram'
import { fakeLab } from './fixtures'

const flow = fakeLab().steps[0]!.expected!

describe('expectedToTrace', () => {
  it('makes valid trace events, one per expected event, in order', () => {
    const trace = expectedToTrace(flow)
    expect(trace).toHaveLength(flow.events.length)
    expect(trace.map((e) => e.seq)).toEqual(flow.events.map((_, i) => i + 1))
    for (const e of trace) expect(TraceEventSchema.safeParse(e).success).toBe(true)
    expect(trace[3]).toMatchObject({
      actor: 'client',
      actorKind: 'tcp-client',
      role: 'client',
      proto: 'tcp',
      op: 'send',
      local: 'client',
      remote: 'server',
      payload: 'PING',
      bytes: 4,
    })
  })

  it('counts escaped control characters as one byte', () => {
    const f: ExpectedFlow = {
      proto: 'udp',
      lifelines: [
        { id: 'c', label: 'Client', role: 'client' },
        { id: 's', label: 'Server', role: 'server' },
      ],
      events: [{ actor: 'c', op: 'sendto', peer: 's', payload: 'SET a 1\\n' }],
    }
    expect(expectedToTrace(f)[0]).toMatchObject({ bytes: 8, actorKind: 'udp-client' })
  })

  it('draws like a live trace: labels from the flow, handshake, one arrow per message, FIN', () => {
    const d = buildDiagram(expectedToTrace(flow), { lifelines: expectedLifelines(flow) })
    expect(d.lifelines.map((l) => l.label)).toEqual(['Client', 'Server'])
    expect(d.lifelines.every((l) => !l.external)).toBe(true)
    const arrows = d.rows.filter((r): r is ArrowRow => r.kind === 'arrow')
    expect(arrows.map((a) => a.label)).toEqual([
      'SYN (inferred)',
      'SYN-ACK (inferred)',
      'ACK (inferred)',
      'PING · 4 B',
      'PONG · 4 B',
      'FIN (inferred)',
    ])
    expect(arrows[3]).toMatchObject({ from: 'client', to: 'server' })
    // Lifeline ids stand in for addresses: details name the peer, never the fake address.
    const accept = d.rows.find((r) => r.kind === 'call' && r.op === 'accept')
    expect(accept).toMatchObject({ detail: '← Client' })
    const listen = d.rows.find((r) => r.kind === 'call' && r.op === 'listen')
    expect(listen).not.toHaveProperty('detail')
    expect(arrows[4]).toMatchObject({ from: 'server', to: 'client' })
  })

  it('keeps a lifeline that has no events yet', () => {
    const f: ExpectedFlow = {
      proto: 'udp',
      lifelines: [
        { id: 'client', label: 'Client', role: 'client' },
        { id: 'server', label: 'Server (stopped)', role: 'server' },
      ],
      events: [{ actor: 'client', op: 'timeout', message: 'no reply in 2 s' }],
    }
    const d = buildDiagram(expectedToTrace(f), { lifelines: expectedLifelines(f) })
    expect(d.lifelines.map((l) => l.id)).toEqual(['client', 'server'])
    expect(d.rows[0]).toMatchObject({ kind: 'timeout', lifeline: 'client' })
  })
})
