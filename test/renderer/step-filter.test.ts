import { describe, expect, it } from 'vitest'
import { buildDiagram, DiagramBuilder } from '@renderer/features/diagram/build-diagram'
import { StepFilter, drawnKinds } from '@renderer/features/diagram/step-filter'
import { fixedLog } from '@renderer/trace-log'
import { GrowingLog } from './growing-log'
import {
  CLIENT_ADDR,
  SERVER_ADDR,
  TraceBuilder,
  actor,
  lossyUdpTrace,
  tcpPingPongTrace,
} from './fixtures'

describe('StepFilter', () => {
  it('passes the trace itself on while every event belongs to the step', () => {
    const trace = tcpPingPongTrace(1)
    const growing = new GrowingLog(trace.slice(0, 5))
    const filter = new StepFilter(['tcp-server', 'tcp-client'])
    const first = filter.update(growing)
    expect(first.log.events).toBe(growing.events)
    expect(first.log.length).toBe(5)
    expect(first.hidden).toBe(0)
    // Unchanged: the very same result, so the views below see nothing new.
    expect(filter.update(growing)).toBe(first)
    growing.push(...trace.slice(5))
    const grown = filter.update(growing)
    expect(grown.log.events).toBe(growing.events)
    expect(grown.log.length).toBe(trace.length)
    expect(grown.log.epoch).toBe(first.log.epoch)
  })

  it('keeps a filtered copy up to date once another program shows up', () => {
    const tcp = tcpPingPongTrace(1)
    const udp = lossyUdpTrace().map((e, i) => ({ ...e, seq: 1000 + i }))
    const filter = new StepFilter(['udp-server', 'udp-client'])
    const trace = new GrowingLog(udp.slice(0, 3))
    const first = filter.update(trace)
    expect(first.log.events).toBe(trace.events)

    trace.push(...tcp)
    const mixed = filter.update(trace)
    expect(mixed.log.events).not.toBe(trace.events)
    expect(mixed.log.events).toEqual(udp.slice(0, 3))
    expect(mixed.hidden).toBe(tcp.length)
    // The copy starts with the same events: the diagram goes on, it does not start over.
    expect(mixed.log.epoch).toBe(first.log.epoch)

    // More events of other programs only: the diagram's log stays the very same.
    trace.push({ ...tcp[0]!, seq: 5000 })
    const again = filter.update(trace)
    expect(again.log).toBe(mixed.log)
    expect(again.hidden).toBe(tcp.length + 1)

    // The step's own events are appended to the copy, in place.
    trace.push(...udp.slice(3).map((e, i) => ({ ...e, seq: 6000 + i })))
    const more = filter.update(trace)
    expect(more.log.events).toBe(mixed.log.events)
    expect(more.log).not.toBe(again.log)
    expect(more.log.length).toBe(udp.length)
    expect(more.log.events).toHaveLength(udp.length)
  })

  it('starts over in a new epoch, and draws everything for a step without programs', () => {
    const filter = new StepFilter(['udp-client'])
    const a = tcpPingPongTrace(1)
    const log = new GrowingLog(a)
    const first = filter.update(log)
    expect(first.log.length).toBe(0)
    const b = lossyUdpTrace()
    const r = filter.update(log.reset(b))
    expect(r.log.events).toEqual(b.filter((e) => e.actorKind === 'udp-client'))
    expect(r.log.epoch).not.toBe(first.log.epoch)
    expect(filter.update(log.reset()).log.length).toBe(0)

    const all = new StepFilter([])
    expect(all.update(fixedLog(a))).toMatchObject({ log: { events: a }, hidden: 0 })
  })
})

describe('drawnKinds', () => {
  it('draws the app’s own console as itself in a step without a console panel', () => {
    // Step 2 of the protocol lab: a console talks to the calculator server. Step 4 lists the
    // calculator server (so its events are drawn) but no console panel.
    const server = {
      ...actor('calc-server#1', 'server', 'tcp', SERVER_ADDR, 'calc_server.py'),
      kind: 'calc-server',
    }
    const consoleActor = {
      ...actor('tcp-console#1', 'client', 'tcp', CLIENT_ADDR, 'console'),
      kind: 'tcp-console',
    }
    const b = new TraceBuilder()
    b.add(server, 'socket')
    b.add(server, 'bind')
    b.add(server, 'listen')
    b.add(consoleActor, 'socket')
    b.add(server, 'accept', { remote: CLIENT_ADDR })
    b.add(consoleActor, 'connect', { remote: SERVER_ADDR })
    b.add(consoleActor, 'send', { remote: SERVER_ADDR, payload: '1+1\\n', bytes: 4 })
    b.add(server, 'recv', { remote: CLIENT_ADDR, payload: '1+1\\n', bytes: 4 })
    const checksStep = { actors: ['calc-server' as const], panels: ['checks', 'worksheet'] }

    const drawn = new StepFilter(drawnKinds(checksStep)).update(fixedLog(b.events)).log.events
    const titles = buildDiagram(drawn).lifelines.map((l) => l.title)
    expect(titles).toEqual(['TCP console', 'calculator server'])
    expect(titles).not.toContain('Your program')
  })

  it('names a peer left out as the program of another step it is, never as "Your program"', () => {
    // Counter step 5: the app's counter server of step 4 still runs (on every interface) and
    // the app's client talks to it. The server is not drawn in this step: its lane must not
    // pass for the student's own program.
    const server = {
      ...actor('counter-server#1', 'server', 'udp', '0.0.0.0:50008'),
      kind: 'counter-server',
    }
    const client = {
      ...actor('counter-client#1', 'client', 'udp', CLIENT_ADDR),
      kind: 'counter-client',
    }
    const b = new TraceBuilder()
    b.add(server, 'bind')
    b.add(client, 'sendto', { remote: '127.0.0.1:50008', payload: 'PING', bytes: 4 })
    b.add(server, 'recvfrom', { remote: CLIENT_ADDR, payload: 'PING', bytes: 4 })
    b.add(server, 'sendto', { remote: CLIENT_ADDR, payload: 'PONG #1', bytes: 7 })
    b.add(client, 'recvfrom', { remote: '127.0.0.1:50008', payload: 'PONG #1', bytes: 7 })
    const step = { actors: ['counter-client' as const] }

    const filtered = new StepFilter(drawnKinds(step)).update(fixedLog(b.events))
    expect(filtered.hidden).toBe(3)
    const builder = new DiagramBuilder()
    builder.update(filtered.log)
    const peer = builder.diagram().lifelines.find((l) => l.external)!
    expect(peer).toMatchObject({
      title: 'counter server',
      subtitle: '127.0.0.1:50008',
      label: 'counter server (another step’s program, not drawn here) 127.0.0.1:50008',
      external: true,
    })
    // Without the names of what was left out, the same peer is taken for an untraced program.
    const unnamed = buildDiagram(filtered.log.events).lifelines.find((l) => l.external)!
    expect(unnamed.title).toBe('Your program')
    // And the UDP port space is not TCP's: a TCP peer on that port stays unknown.
    expect(filtered.log.others?.get('tcp|*:50008')).toBeUndefined()
    expect(filtered.log.others?.get('udp|*:50008')).toBe('counter server')
  })

  it('leaves a step that runs nothing of its own unfiltered, as before', () => {
    expect(drawnKinds({ actors: [], panels: [] })).toEqual([])
    const trace = tcpPingPongTrace(1)
    expect(new StepFilter(drawnKinds({ actors: [] })).update(fixedLog(trace)).log.events).toBe(
      trace,
    )
  })
})
