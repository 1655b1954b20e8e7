import { describe, expect, it } from 'vitest'
import type { TraceEvent } from '@shared/trace'
import { STUDENT_KIND } from '../../../src/main/student/student-events'
import { checkRule, traceBuilder } from '../checkpoint-rules/trace-builder'

// "Your counter server answered PONG #1 … #5 and kept counting for a second client": passes
// on the student's own program only, and near misses say what is missing.

const SERVER = '127.0.0.1:50008'
const A = '127.0.0.1:41000'
const B = '127.0.0.1:41001'
const b = traceBuilder()

/** The student's server (as the tracer's events come into the trace) replying `PONG #n` to `client`. */
function studentReply(n: number, client: string, actor = 'your counter_server.py'): TraceEvent {
  return b.ev(actor, 'sendto', {
    actorKind: STUDENT_KIND,
    role: 'server',
    proto: 'udp',
    local: SERVER,
    remote: client,
    payload: `PONG #${n}`,
    bytes: 7,
  })
}

function studentBind(actor = 'your counter_server.py'): TraceEvent {
  return b.ev(actor, 'bind', {
    actorKind: STUDENT_KIND,
    role: 'server',
    proto: 'udp',
    local: SERVER,
  })
}

const run = (...replies: [number, string][]) => [
  studentBind(),
  ...replies.map(([n, client]) => studentReply(n, client)),
]
const ones = (from: number, to: number, client: string): [number, string][] =>
  Array.from({ length: to - from + 1 }, (_, i) => [from + i, client])

const check = (trace: TraceEvent[]) => checkRule('student-counter-server', trace, { count: 5 })

describe('student-counter-server', () => {
  it('passes when the student’s server counts 1…5 for one client and goes on at #6 for another', () => {
    const trace = run(...ones(1, 5, A), [6, B])
    const result = check(trace)
    expect(result.passed).toBe(true)
    expect(result.reason).toBe(
      `Your server answered ${A} PONG #1 to PONG #5, then ${B} PONG #6: one count, kept for a second client.`,
    )
    expect(result.evidence).toEqual(trace.slice(1).map((e) => e.seq))
  })

  it('does not pass on the app’s own counter server doing the same', () => {
    const trace = [...ones(1, 5, A), [6, B] as [number, string]].map(([n, client]) =>
      b.ev('counter-server#1', 'sendto', {
        proto: 'udp',
        local: SERVER,
        remote: client,
        payload: `PONG #${n}`,
      }),
    )
    const result = check(trace)
    expect(result.passed).toBe(false)
    expect(result.reason).toMatch(/^Nothing from your own program yet/)
  })

  it('does not pass when the student’s server restarted and counted again from #1', () => {
    const trace = [...run(...ones(1, 5, A)), studentBind(), studentReply(1, B)]
    const result = check(trace)
    expect(result.passed).toBe(false)
    expect(result.reason).toMatch(/a second client got PONG #1: the count started again/)
  })

  it('does not pass on a count per client (the second client starts at #1)', () => {
    const result = check(run(...ones(1, 5, A), ...ones(1, 5, B)))
    expect(result.passed).toBe(false)
    expect(result.reason).toMatch(/does it count per client/)
  })

  it('does not pass on one client alone, however long it counts', () => {
    const result = check(run(...ones(1, 9, A)))
    expect(result.passed).toBe(false)
    expect(result.reason).toMatch(/Now, with your server still running, run a second client/)
  })

  it('needs five replies to the first client before the second one comes', () => {
    const result = check(run(...ones(1, 3, A), [4, B], [5, A], [6, B]))
    expect(result.passed).toBe(false)
    expect(result.reason).toMatch(/PONG #1 to PONG #3 in a row; 5 are needed/)
  })

  it('does not pass when a number is skipped or repeated', () => {
    expect(check(run(...ones(1, 5, A), [7, B])).passed).toBe(false)
    expect(check(run(...ones(1, 5, A), [5, B])).passed).toBe(false)
  })

  it('does not pass on replies that do not start at #1', () => {
    const result = check(run(...ones(3, 8, A), [9, B]))
    expect(result.passed).toBe(false)
    expect(result.reason).toMatch(/no client got PONG #1/)
  })

  it('tells a program that never bound a port, and a server whose replies carry no count', () => {
    const other = b.ev('your counter_server.py', 'socket', {
      actorKind: STUDENT_KIND,
      proto: 'udp',
    })
    expect(check([other]).reason).toMatch(/has not bound a UDP port yet/)
    const plain = b.ev('your counter_server.py', 'sendto', {
      actorKind: STUDENT_KIND,
      role: 'server',
      proto: 'udp',
      remote: A,
      payload: 'PONG',
    })
    expect(check([studentBind(), plain]).reason).toMatch(/answered "PONG", with no count/)
  })

  it('counts each of the student’s servers on its own', () => {
    // Two programs, each with half of the evidence: neither passes.
    const trace = [
      ...ones(1, 5, A).map(([n, c]) => studentReply(n, c, 'your counter_server.py')),
      studentReply(6, B, 'your other_server.py'),
    ]
    expect(check(trace).passed).toBe(false)
  })
})
