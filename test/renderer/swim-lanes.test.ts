// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { fixedLog } from '@renderer/trace-log'
import type { TraceEvent } from '@shared/trace'
import SwimLanes from '@renderer/features/diagram/SwimLanes.vue'
import { layoutSwimLanes, maxOverlap } from '@renderer/features/diagram/swim-lanes'

const SERVER = '127.0.0.1:50009'
let seq = 0

function ev(
  t: number,
  actor: string,
  op: TraceEvent['op'],
  extra: Partial<TraceEvent> = {},
): TraceEvent {
  const kind = actor.split('#')[0]!
  return {
    seq: ++seq,
    t,
    actor,
    actorKind: kind,
    role: kind.endsWith('server') ? 'server' : 'client',
    proto: 'tcp',
    op,
    level: 'info',
    ...extra,
  }
}

/** A client `n` that connects at `at`, is accepted at `accepted`, served until `done`. */
function client(server: string, n: number, at: number, accepted: number, done: number) {
  const conn = `127.0.0.1:4000${n}->${SERVER}`
  const ends = { conn, remote: SERVER }
  const actor = `mc-client#${n}`
  return [
    ev(at, actor, 'connect', ends),
    ev(accepted, server, 'accept', { conn, remote: `127.0.0.1:4000${n}` }),
    ev(accepted + 1, server, 'send', { conn, payload: 'PONG\\n' }),
    ev(accepted + 2, actor, 'recv', { ...ends, payload: 'PONG\\n' }),
    ev(done, server, 'close', { conn }),
  ]
}

function run(server: string, clients: [number, number, number][], end?: number) {
  const events = [ev(0, server, 'listen', { local: SERVER })]
  clients.forEach(([at, accepted, done], i) =>
    events.push(...client(server, i + 1, at, accepted, done)),
  )
  if (end !== undefined) events.push(ev(end, server, 'close', { local: SERVER }))
  return events.sort((a, b) => a.t - b.t)
}

describe('layoutSwimLanes', () => {
  it('gives each client of a sequential run its connect, first-served and done times', () => {
    const [g] = layoutSwimLanes(
      run(
        'sequential-server#1',
        [
          [10, 10, 100],
          [12, 100, 200],
          [13, 200, 300],
        ],
        310,
      ),
    )
    expect(g!.kind).toBe('sequential-server')
    expect(g!.lanes.map((l) => [l.label, l.connectedAt, l.firstServedAt, l.doneAt])).toEqual([
      ['mc-client#1', 10, 11, 100],
      ['mc-client#2', 12, 101, 200],
      ['mc-client#3', 13, 201, 300],
    ])
    expect(g!.lanes.map((l) => l.waitMs)).toEqual([1, 89, 188])
    expect(g!.maxOverlap).toBe(1)
    expect(g!.longestWaitMs).toBe(188)
    expect(g!.end).toBe(300)
    expect(g!.start).toBe(10)
  })

  it('sees the overlap of a concurrent run, and keeps two runs apart', () => {
    const events = [
      ...run('sequential-server#1', [[1, 1, 50]], 60),
      ...run('concurrent-server#1', [
        [100, 100, 200],
        [101, 101, 201],
        [102, 102, 202],
      ]),
    ]
    const groups = layoutSwimLanes(events)
    expect(groups.map((g) => [g.server, g.clients, g.maxOverlap])).toEqual([
      ['sequential-server#1', 1, 1],
      ['concurrent-server#1', 3, 3],
    ])
  })

  it('shows a client still waiting in the backlog, and caps the lanes it returns', () => {
    const events = run('sequential-server#1', [[1, 1, 500]])
    events.push(ev(600, 'mc-client#9', 'connect', { conn: 'x', remote: SERVER }))
    const [g] = layoutSwimLanes(events)
    const waiting = g!.lanes.find((l) => l.label === 'mc-client#9')!
    expect(waiting.state).toBe('waiting')
    const many = run(
      'concurrent-server#1',
      Array.from({ length: 100 }, (_, i) => [i, i, i + 5] as [number, number, number]),
    )
    const [big] = layoutSwimLanes(many, { maxLanes: 10 })
    expect(big!.lanes).toHaveLength(10)
    expect(big!.hidden).toBe(90)
    expect(big!.clients).toBe(100)
  })

  it('does not count touching service as overlap', () => {
    const lane = (a: number, b: number) => ({
      conn: `${a}`,
      label: '',
      connectedAt: a,
      acceptedAt: a,
      firstServedAt: a,
      doneAt: b,
      pongs: 1,
      state: 'done' as const,
      waitMs: 0,
    })
    expect(maxOverlap([lane(0, 10), lane(10, 20)], 20)).toBe(1)
    expect(maxOverlap([lane(0, 10), lane(5, 20)], 20)).toBe(2)
  })
})

describe('SwimLanes', () => {
  it('draws a waiting bar for a client served late, and says how many lanes are not drawn', () => {
    const events = run('sequential-server#1', [
      [10, 10, 1000],
      [12, 1000, 2000],
    ])
    const wrapper = mount(SwimLanes, { props: { log: fixedLog(events), maxLanes: 1 } })
    expect(wrapper.findAll('[data-testid="lane"]')).toHaveLength(1)
    expect(wrapper.get('[data-testid="lanes-hidden"]').text()).toContain('1 more clients not drawn')
    const all = mount(SwimLanes, { props: { log: fixedLog(events) } })
    const lanes = all.findAll('[data-testid="lane"]')
    expect(lanes[0]!.find('[data-testid="lane-waiting"]').exists()).toBe(false)
    expect(lanes[1]!.get('[data-testid="lane-waiting"]').text()).toContain(
      'waiting (in the backlog)',
    )
    expect(all.get('[data-testid="lane-group"]').attributes('data-max-overlap')).toBe('1')
  })

  it('says what to do when there is no run yet', () => {
    const wrapper = mount(SwimLanes, { props: { log: fixedLog([]) } })
    expect(wrapper.text()).toContain('No multi-client run yet')
  })
})

describe('swim lanes of the student’s own threaded server', () => {
  // As the tracer reports it: accept() in the main thread, each client served by a thread
  // that is an actor of its own, the server listening on every interface.
  const me = 'your threaded_server.py'
  const student = (
    t: number,
    actor: string,
    op: TraceEvent['op'],
    extra: Partial<TraceEvent> = {},
  ) => ({
    ...ev(t, 'x#1', op, extra),
    actor,
    actorKind: 'student-program',
    role: 'server' as const,
  })
  const served = (n: number, at: number, done: number) => {
    const conn = `127.0.0.1:4100${n}->127.0.0.1:50009`
    const thread = `${me} · Thread-${n}`
    return [
      ev(at, `mc-client#${n}`, 'connect', { conn, remote: '127.0.0.1:50009' }),
      student(at + 1, me, 'accept', { conn, remote: `127.0.0.1:4100${n}` }),
      student(at + 2, thread, 'send', { conn, payload: 'PONG #1\\n' }),
      ev(at + 3, `mc-client#${n}`, 'recv', {
        conn,
        remote: '127.0.0.1:50009',
        payload: 'PONG #1\\n',
      }),
      student(done, thread, 'close', { conn }),
    ]
  }

  it('gets a group, a lane per client, and sees two served at once', () => {
    const trace = [
      student(0, me, 'listen', { local: '0.0.0.0:50009' }),
      ...served(1, 10, 500),
      ...served(2, 20, 400),
    ].sort((a, b) => a.t - b.t)
    const [group, ...more] = layoutSwimLanes(trace)
    expect(more).toEqual([])
    expect(group).toMatchObject({ server: me, kind: 'student-program', clients: 2, maxOverlap: 2 })
    expect(group!.lanes.map((l) => [l.label, l.state])).toEqual([
      ['mc-client#1', 'done'],
      ['mc-client#2', 'done'],
    ])
  })

  it('a UDP program of the student’s, or one that only connects, gets no lanes', () => {
    const udp = student(0, 'your lossy_client.py', 'bind', { proto: 'udp', local: '0.0.0.0:4000' })
    const client = { ...student(1, 'your client.py', 'connect'), role: 'client' as const }
    expect(layoutSwimLanes([udp, client])).toEqual([])
  })
})
