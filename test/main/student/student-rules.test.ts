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

  it('reads the reply as the student wrote it: a line ending is fine, anything else is not', () => {
    const withNewline = run(...ones(1, 5, A), [6, B])
    for (const e of withNewline) if (e.payload) e.payload += '\n'
    expect(check(withNewline).passed).toBe(true)
    for (const wrap of [(p: string) => `ERROR ${p}`, (p: string) => `${p} (shared)`]) {
      const trace = run(...ones(1, 5, A), [6, B])
      for (const e of trace) if (e.payload) e.payload = wrap(e.payload)
      expect(check(trace).passed).toBe(false)
    }
  })

  it('counts past #9: the numbers are whole numbers, not digits', () => {
    const trace = run(...ones(1, 10, A), [11, B])
    const result = checkRule('student-counter-server', trace, { count: 10 })
    expect(result.passed).toBe(true)
    expect(result.reason).toContain(`then ${B} PONG #11`)
  })

  it('counts only what the student program sent: not the app server, not what it received', () => {
    // The student's program runs (it bound), but the PONGs come from the app's server…
    const app = [...ones(1, 5, A), [6, B] as [number, string]].map(([n, client]) =>
      b.ev('counter-server#1', 'sendto', {
        proto: 'udp',
        local: SERVER,
        remote: client,
        payload: `PONG #${n}`,
      }),
    )
    expect(check([studentBind(), ...app]).passed).toBe(false)
    // …or the student's program is a client that received them.
    const received = [...ones(1, 5, A), [6, B] as [number, string]].map(([n, client]) =>
      b.ev('your counter_client.py', 'recvfrom', {
        actorKind: STUDENT_KIND,
        role: 'client',
        proto: 'udp',
        local: client,
        remote: SERVER,
        payload: `PONG #${n}`,
      }),
    )
    expect(check([studentBind(), ...received]).passed).toBe(false)
  })

  it('one program run twice on two ports keeps two counts', () => {
    // The same file, run on two ports: #1…#5 from one process and #6 from the other are not
    // one count kept for a second client.
    const trace = [
      studentBind(),
      ...ones(1, 5, A).map(([n, c]) => studentReply(n, c)),
      { ...studentReply(6, B), local: '127.0.0.1:50009' },
    ]
    expect(check(trace).passed).toBe(false)
  })

  it('names what is missing from what the program did', () => {
    // A TCP bind is not the UDP port a counter server needs.
    const tcpBind = b.ev('your counter_server.py', 'bind', {
      actorKind: STUDENT_KIND,
      proto: 'tcp',
      local: SERVER,
    })
    expect(check([tcpBind]).reason).toMatch(/has not bound a UDP port yet/)
    // The PING it received is not an answer: the reply it sent is what is quoted.
    const got = b.ev('your counter_server.py', 'recvfrom', {
      actorKind: STUDENT_KIND,
      proto: 'udp',
      remote: A,
      payload: 'PING',
    })
    const plain = b.ev('your counter_server.py', 'sendto', {
      actorKind: STUDENT_KIND,
      proto: 'udp',
      remote: A,
      payload: 'PONG',
    })
    expect(check([studentBind(), got, plain]).reason).toMatch(/answered "PONG", with no count/)
    const silent = b.ev('your counter_server.py', 'sendto', {
      actorKind: STUDENT_KIND,
      proto: 'udp',
      remote: A,
    })
    expect(check([studentBind(), got, silent]).reason).toMatch(/has not answered a PING yet/)
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
    expect(result.reason).toBe(
      'Your server served 2 clients at the same time: each was answered while the others were still connected (127.0.0.1:1, 127.0.0.1:2).',
    )
    expect(result.evidence).toEqual([trace[1]!.seq, trace[3]!.seq, trace[6]!.seq, trace[7]!.seq])
  })

  it('counts only connections the student server answered over TCP', () => {
    // Two clients talking at once, but read and never answered: nothing served.
    const unanswered = [listen(), served('recv', 1), served('recv', 2), served('recv', 1)]
    expect(checkConcurrent(unanswered).reason).toMatch(/has not answered a client yet/)
    // The student's program as the clients (role client), or over UDP: not a server's work.
    const asClient = (op: 'recv' | 'send', port: number) =>
      b.ev('your client.py', op, {
        actorKind: STUDENT_KIND,
        role: 'client',
        conn: conn(port),
        payload: 'PING',
      })
    const clients = [
      listen(),
      asClient('send', 1),
      asClient('send', 2),
      asClient('recv', 1),
      asClient('recv', 2),
    ]
    expect(checkConcurrent(clients).passed).toBe(false)
    const udp = [1, 2, 1, 2].map((port, i) =>
      b.ev('your threaded_server.py', i < 2 ? 'recv' : 'send', {
        actorKind: STUDENT_KIND,
        role: 'server',
        proto: 'udp',
        conn: conn(port),
      }),
    )
    expect(checkConcurrent([listen(), ...udp]).passed).toBe(false)
    // Events without a connection are not a client served.
    const loose = [1, 2, 3, 4].map((_, i) =>
      b.ev('your threaded_server.py', i < 2 ? 'recv' : 'send', {
        actorKind: STUDENT_KIND,
        role: 'server',
      }),
    )
    expect(checkConcurrent([listen(), ...loose]).passed).toBe(false)
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
    expect(checkConcurrent([listen(), served('recv', 1), served('send', 1)]).reason).toBe(
      'Your server has served 1 client so far; add 2 at once, at a Slow pace, so that they are connected at the same time.',
    )
    const twoOfThree = [
      listen(),
      served('recv', 1),
      served('send', 1),
      served('recv', 2),
      served('send', 2),
    ]
    expect(checkRule('student-concurrent-server', twoOfThree, { count: 3 }).reason).toBe(
      'Your server has served 2 clients so far; add 3 at once, at a Slow pace, so that they are connected at the same time.',
    )
  })
})

describe('student-client-survives-loss', () => {
  const client = (
    op: TraceEvent['op'],
    actor = 'your lossy_client.py',
    local = '127.0.0.1:40001',
  ) =>
    b.ev(actor, op, {
      actorKind: STUDENT_KIND,
      proto: 'udp',
      local,
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

  it('does not pass on runs that each crashed at a lost reply (the exercise run three times)', () => {
    // Each run is a new socket on a new port: its replies came before its own timeout.
    const run = (local: string) => [
      client('sendto', undefined, local),
      client('recvfrom', undefined, local),
      client('sendto', undefined, local),
      client('timeout', undefined, local),
    ]
    const crashes = [
      ...run('127.0.0.1:40001'),
      ...run('127.0.0.1:40002'),
      ...run('127.0.0.1:40003'),
    ]
    const result = checkLoss(crashes)
    expect(result.passed).toBe(false)
    expect(result.reason).toBe(
      'Your client timed out on a lost reply, but that run got no reply after it: catch socket.timeout (Python calls it TimeoutError) around recvfrom() and go on with the next PING. A reply in another run does not count.',
    )
    // A fourth run that catches its timeout and goes on passes, on its own events.
    const fixed = [
      client('sendto', undefined, '127.0.0.1:40004'),
      client('timeout', undefined, '127.0.0.1:40004'),
      client('sendto', undefined, '127.0.0.1:40004'),
      client('recvfrom', undefined, '127.0.0.1:40004'),
    ]
    const passed = checkLoss([...crashes, ...fixed])
    expect(passed.passed).toBe(true)
    expect(passed.evidence).toEqual([fixed[1]!.seq, fixed[3]!.seq])
  })

  it('asks for a loss when nothing was lost yet', () => {
    expect(checkLoss([client('sendto'), client('recvfrom')]).reason).toMatch(
      /none was lost yet: set a drop probability/,
    )
  })
})
