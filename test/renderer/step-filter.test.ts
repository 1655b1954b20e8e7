import { describe, expect, it } from 'vitest'
import { StepFilter } from '@renderer/diagram/step-filter'
import { lossyUdpTrace, tcpPingPongTrace } from './fixtures'

describe('StepFilter', () => {
  it('passes the trace itself on while every event belongs to the step', () => {
    const trace = tcpPingPongTrace(1)
    const growing = trace.slice(0, 5)
    const filter = new StepFilter(['tcp-server', 'tcp-client'])
    const first = filter.update(growing)
    expect(first.events).toBe(growing)
    expect(first.hidden).toBe(0)
    // Unchanged: the very same result, so the views below see nothing new.
    expect(filter.update(growing)).toBe(first)
    growing.push(...trace.slice(5))
    const grown = filter.update(growing)
    expect(grown.events).toBe(growing)
    expect(grown.version).toBeGreaterThan(first.version)
  })

  it('keeps a filtered copy up to date once another program shows up', () => {
    const tcp = tcpPingPongTrace(1)
    const udp = lossyUdpTrace().map((e, i) => ({ ...e, seq: 1000 + i }))
    const filter = new StepFilter(['udp-server', 'udp-client'])
    const trace = [...udp.slice(0, 3)]
    expect(filter.update(trace).events).toBe(trace)

    trace.push(...tcp)
    const mixed = filter.update(trace)
    expect(mixed.events).not.toBe(trace)
    expect(mixed.events).toEqual(udp.slice(0, 3))
    expect(mixed.hidden).toBe(tcp.length)

    // More events of other programs only: the diagram's events and version stay.
    trace.push({ ...tcp[0]!, seq: 5000 })
    const again = filter.update(trace)
    expect(again.events).toBe(mixed.events)
    expect(again.version).toBe(mixed.version)
    expect(again.hidden).toBe(tcp.length + 1)

    // The step's own events are appended to the copy, in place.
    trace.push(...udp.slice(3).map((e, i) => ({ ...e, seq: 6000 + i })))
    const more = filter.update(trace)
    expect(more.events).toBe(mixed.events)
    expect(more.version).toBeGreaterThan(again.version)
    expect(more.events).toHaveLength(udp.length)
  })

  it('starts over for another trace, and draws everything for a step without programs', () => {
    const filter = new StepFilter(['udp-client'])
    const a = tcpPingPongTrace(1)
    expect(filter.update(a).events).toHaveLength(0)
    const b = lossyUdpTrace()
    const r = filter.update(b)
    expect(r.events).toEqual(b.filter((e) => e.actorKind === 'udp-client'))
    expect(filter.update([]).events).toHaveLength(0)

    const all = new StepFilter([])
    expect(all.update(a)).toMatchObject({ events: a, hidden: 0 })
  })
})
