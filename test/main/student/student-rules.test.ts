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

describe('student-concurrent-server', () => {
  const LISTEN = '127.0.0.1:50009'
  const conn = (port: number) => `127.0.0.1:${port}->${LISTEN}`
  const served = (
    op: 'recv' | 'send',
    port: number,
    actor = 'your threaded_server.py · Thread-1',
  ) =>
    b.ev(actor, op, {
      actorKind: STUDENT_KIND,
      role: 'server',
      conn: conn(port),
      payload: op === 'recv' ? 'PING' : 'PONG',
    })
  const listen = () =>
    b.ev('your threaded_server.py', 'listen', { actorKind: STUDENT_KIND, role: 'server' })
  const checkConcurrent = (trace: TraceEvent[]) =>
    checkRule('student-concurrent-server', trace, { count: 2 })

  it('passes when the student’s server answers two clients while both are connected', () => {
    const trace = [
      listen(),
      served('recv', 1),
      served('send', 1),
      served('recv', 2),
      served('send', 2),
      served('recv', 1),
      served('send', 1),
      served('send', 2),
    ]
    const result = checkConcurrent(trace)
    expect(result.passed).toBe(true)
    expect(result.reason).toMatch(/served 2 clients at the same time/)
    expect(result.evidence).toEqual([trace[1]!.seq, trace[3]!.seq, trace[6]!.seq, trace[7]!.seq])
  })

  it('does not pass on a server that serves one client after another', () => {
    const trace = [
      listen(),
      served('recv', 1),
      served('send', 1),
      served('recv', 1),
      served('send', 1),
      served('recv', 2),
      served('send', 2),
      served('recv', 3),
      served('send', 3),
    ]
    const result = checkConcurrent(trace)
    expect(result.passed).toBe(false)
    expect(result.reason).toMatch(/served 3 clients, but at most 1 at a time: hand each/)
  })

  it('does not pass on the app’s own concurrent server doing it', () => {
    const trace = [1, 2, 1, 2].map((port, i) =>
      b.ev('concurrent-server#1', i % 2 ? 'send' : 'recv', { conn: conn(port) }),
    )
    expect(checkConcurrent(trace).reason).toMatch(/^Nothing from your own program yet/)
  })

  it('says what is missing: listen(), a client, a second one', () => {
    const socketOnly = b.ev('your threaded_server.py', 'socket', { actorKind: STUDENT_KIND })
    expect(checkConcurrent([socketOnly]).reason).toMatch(/has not called listen\(\) yet/)
    expect(checkConcurrent([listen()]).reason).toMatch(/has not answered a client yet/)
    expect(checkConcurrent([listen(), served('recv', 1), served('send', 1)]).reason).toMatch(
      /has served 1 client so far; add 2 at once/,
    )
  })
})

describe('student-client-survives-loss', () => {
  const client = (op: TraceEvent['op'], actor = 'your lossy_client.py') =>
    b.ev(actor, op, {
      actorKind: STUDENT_KIND,
      proto: 'udp',
      remote: '127.0.0.1:50011',
      ...(op === 'recvfrom' ? { payload: 'PONG' } : op === 'sendto' ? { payload: 'PING' } : {}),
    })
  const checkLoss = (trace: TraceEvent[]) => checkRule('student-client-survives-loss', trace)

  it('passes when the student’s client times out and then gets a later reply', () => {
    const trace = [
      client('sendto'),
      client('recvfrom'),
      client('sendto'),
      client('timeout'),
      client('sendto'),
      client('recvfrom'),
    ]
    const result = checkLoss(trace)
    expect(result.passed).toBe(true)
    expect(result.evidence).toEqual([trace[3]!.seq, trace[5]!.seq])
  })

  it('does not pass for a client that stops at the first lost reply (the exercise as it is)', () => {
    const result = checkLoss([
      client('sendto'),
      client('recvfrom'),
      client('sendto'),
      client('timeout'),
      client('close'),
    ])
    expect(result.passed).toBe(false)
    expect(result.reason).toMatch(
      /timed out on a lost reply and then stopped: catch socket\.timeout/,
    )
  })

  it('does not pass on the app’s own lossy client, nor on a reply before the loss', () => {
    const app = [
      b.ev('lossy-client#1', 'timeout', { proto: 'udp' }),
      b.ev('lossy-client#1', 'recvfrom', { proto: 'udp' }),
    ]
    expect(checkLoss(app).reason).toMatch(/^Nothing from your own program yet/)
    expect(checkLoss([client('recvfrom'), client('timeout')]).passed).toBe(false)
  })

  it('does not pass when the timeout and the reply are two different programs’', () => {
    const trace = [client('timeout', 'your lossy_client.py'), client('recvfrom', 'your other.py')]
    expect(checkLoss(trace).passed).toBe(false)
  })

  it('asks for a loss when nothing was lost yet', () => {
    expect(checkLoss([client('sendto'), client('recvfrom')]).reason).toMatch(
      /none was lost yet: set a drop probability/,
    )
  })
})
