// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { fixedLog } from '@renderer/trace-log'
import {
  buildDiagram,
  DiagramBuilder,
  type ArrowRow,
} from '@renderer/features/diagram/build-diagram'
import DiagramView from '@renderer/features/diagram/DiagramView.vue'
import { expectedLifelines, expectedToTrace } from '@renderer/features/diagram/expected-to-trace'
import { TraceBuilder } from './fixtures'
import { lossyClient, lossyRunTrace, relayTrace, RELAY_ADDR } from './lossy-fixtures'
import { GrowingLog } from './growing-log'

// Lab 4 in the sequence diagram: lost replies, the relay's lifeline between clients and
// servers, and badges for what happened to each datagram.

const arrowsOf = (rows: ReturnType<typeof buildDiagram>['rows']) =>
  rows.filter((r): r is ArrowRow => r.kind === 'arrow')

describe('lossy UDP in the diagram', () => {
  it('draws a dropped reply as a lost arrow from the server towards the client', () => {
    const d = buildDiagram(lossyRunTrace(4, { drop: [3] }))
    const lost = arrowsOf(d.rows).filter((a) => a.lost)
    expect(lost).toHaveLength(1)
    expect(lost[0]).toMatchObject({
      from: 'lossy-server#1',
      to: 'lossy-client#2',
      label: 'PONG 3 · 6 B (lost)',
    })
    // `lost` is the arrow's shape, not a badge as well.
    expect(lost[0]!.tags).toBeUndefined()
    expect(d.rows.filter((r) => r.kind === 'timeout')).toHaveLength(1)
  })

  it('puts the relay between the client and the server, with arrows through it', () => {
    const d = buildDiagram(relayTrace())
    expect(d.lifelines.map((l) => [l.id, l.role, l.subtitle])).toEqual([
      ['lossy-client#3', 'client', '127.0.0.1:46001'],
      ['udp-relay#2', 'relay', RELAY_ADDR],
      ['lossy-server#1', 'server', '127.0.0.1:50011'],
    ])
    const hops = arrowsOf(d.rows)
      .filter((a) => a.label.startsWith('PING 1') || a.label.startsWith('PONG 1'))
      .map((a) => [a.label.split(' · ')[0], a.from, a.to])
    expect(hops).toEqual([
      ['PING 1', 'lossy-client#3', 'udp-relay#2'],
      ['PING 1', 'udp-relay#2', 'lossy-server#1'],
      ['PONG 1', 'lossy-server#1', 'udp-relay#2'],
      ['PONG 1', 'udp-relay#2', 'lossy-client#3'],
    ])
    // Each hop's receive is merged into its arrow: four arrows, no stray receive boxes.
    expect(
      d.rows.filter((r) => r.kind === 'call' && r.op === 'recvfrom' && r.seq < 20),
    ).toHaveLength(0)
  })

  it('badges the delayed reply that arrived late, and the duplicate', () => {
    const d = buildDiagram(relayTrace())
    const tagged = arrowsOf(d.rows)
      .filter((a) => a.tags)
      .map((a) => [a.label.split(' · ')[0], a.from, a.to, a.tags])
    expect(tagged).toEqual([
      ['PONG 2', 'udp-relay#2', 'lossy-client#3', ['delayed', 'late']],
      ['PONG 3', 'udp-relay#2', 'lossy-client#3', ['duplicated', 'duplicate']],
    ])
  })

  it('puts the student’s own client left of the relay and their own server right of it', () => {
    const b = new TraceBuilder()
    const r = {
      id: 'udp-relay#1',
      kind: 'udp-relay',
      role: 'relay' as const,
      proto: 'udp' as const,
      file: 'impair_relay.py',
      local: RELAY_ADDR,
    }
    const up = { ...r, local: '127.0.0.1:47002' }
    b.add(r, 'socket')
    b.add(r, 'bind')
    b.add(r, 'recvfrom', { remote: '127.0.0.1:55555', bytes: 6, payload: 'PING 1' })
    b.add(up, 'sendto', { remote: '127.0.0.1:60000', bytes: 6, payload: 'PING 1' })
    b.add(up, 'recvfrom', { remote: '127.0.0.1:60000', bytes: 6, payload: 'PONG 1' })
    b.add(r, 'sendto', { remote: '127.0.0.1:55555', bytes: 6, payload: 'PONG 1' })
    const d = buildDiagram(b.events)
    expect(d.lifelines.map((l) => [l.subtitle, l.role])).toEqual([
      ['127.0.0.1:55555', 'client'],
      [RELAY_ADDR, 'relay'],
      ['127.0.0.1:60000', 'server'],
    ])
  })

  it('gives the same rows built live, batch by batch, as in one go', () => {
    const trace = relayTrace()
    const live = new GrowingLog()
    const builder = new DiagramBuilder()
    for (let i = 0; i < trace.length; i += 3) {
      live.push(...trace.slice(i, i + 3))
      builder.update(live)
    }
    expect(builder.diagram()).toEqual(buildDiagram(trace))
  })

  it('DiagramView draws the cross, the relay lifeline and the badges', () => {
    const wrapper = mount(DiagramView, { props: { log: fixedLog(relayTrace()) } })
    const heads = wrapper.findAll('[data-testid="diagram-lifeline"]')
    expect(heads.map((h) => h.classes().find((c) => c.startsWith('lane-')))).toEqual([
      'lane-client',
      'lane-relay',
      'lane-server',
    ])
    const late = wrapper.find('[data-testid="diagram-arrow"][data-tags="delayed late"]')
    expect(late.attributes('data-label')).toBe('PONG 2 · 6 B')
    expect(late.findAll('[data-testid="diagram-badge"]').map((b) => b.text())).toEqual([
      'delayed',
      'late',
    ])
    expect(late.find('title').text()).toBe('PONG 2 · 6 B — delayed, late')

    const lossy = mount(DiagramView, { props: { log: fixedLog(lossyRunTrace(3, { drop: [2] })) } })
    const lost = lossy.get('[data-testid="diagram-arrow"][data-lost="true"]')
    expect(lost.find('.cross').exists()).toBe(true)
    expect(lost.find('.head').exists()).toBe(false)
    expect(lost.find('.arrow-label').text()).toBe('PONG 2 · 6 B (lost)')
    expect(lost.findAll('[data-testid="diagram-badge"]')).toHaveLength(0)
  })

  it('shows a late reply that waited in the buffer with its message', () => {
    const trace = relayTrace()
    // Move the late receive after the next PING's hop: it is no longer next to its send.
    const i = trace.findIndex((e) => e.tag === 'late')
    const [late] = trace.splice(i, 1)
    const j = trace.findIndex((e) => e.payload === 'PONG 3' && e.actor === lossyClient(3).id)
    trace.splice(j, 0, late!)
    // It happened there, too: its time is that of the event before it.
    late!.t = trace[j - 1]!.t
    trace.forEach((e, k) => (e.seq = k + 1))
    const d = buildDiagram(trace)
    const call = d.rows.find((r) => r.kind === 'call' && r.seq === late!.seq)
    expect(call).toMatchObject({
      op: 'recvfrom',
      detail: 'PONG 2 · 6 B — late reply to PING 2 (already timed out) — ignored',
    })
  })

  it('draws an expected flow’s relay and badges like a live one', () => {
    const flow = {
      proto: 'udp' as const,
      lifelines: [
        { id: 'client', label: 'Client', role: 'client' as const },
        { id: 'relay', label: 'Relay', role: 'relay' as const },
        { id: 'server', label: 'Server', role: 'server' as const },
      ],
      events: [
        { actor: 'client', op: 'sendto' as const, peer: 'relay', payload: 'PING 1' },
        { actor: 'relay', op: 'recvfrom' as const, peer: 'client', payload: 'PING 1' },
        {
          actor: 'relay',
          op: 'sendto' as const,
          peer: 'server',
          payload: 'PING 1',
          tag: 'delayed' as const,
        },
        { actor: 'server', op: 'recvfrom' as const, peer: 'relay', payload: 'PING 1' },
        {
          actor: 'server',
          op: 'drop' as const,
          peer: 'relay',
          payload: 'PONG 1',
          tag: 'lost' as const,
        },
      ],
    }
    const d = buildDiagram(expectedToTrace(flow), { lifelines: expectedLifelines(flow) })
    expect(d.lifelines.map((l) => [l.id, l.role])).toEqual([
      ['client', 'client'],
      ['relay', 'relay'],
      ['server', 'server'],
    ])
    expect(arrowsOf(d.rows).map((a) => [a.from, a.to, a.tags, a.lost])).toEqual([
      ['client', 'relay', undefined, false],
      ['relay', 'server', ['delayed'], false],
      ['server', 'relay', undefined, true],
    ])
  })
})
