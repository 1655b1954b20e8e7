import { beforeEach, describe, expect, it } from 'vitest'
import type { TraceEvent } from '@shared/trace'
import type { StudentCheckOutcome } from '../../../src/main/checkpoints'
import { checkRule, traceBuilder } from './trace-builder'

/**
 * student-server-passed-check against "almost right" runs: a check that passed on the app's
 * server, one that failed on the student's, a student's server reached only by the console.
 */
const { ev, reset } = traceBuilder()
beforeEach(reset)

const SERVER = '127.0.0.1:50020'
const YOURS = 'your my_protocol_server.py'
const student = (op: TraceEvent['op'], extra: Partial<TraceEvent> = {}) =>
  ev(YOURS, op, { actorKind: 'student-program', role: 'server', local: SERVER, ...extra })

/** A checker run connecting from `from`, and the server that took its connection. */
function checkerRun(run: string, from: string, served: 'student' | 'app' | 'none') {
  // A run's first event is its note, which has no address yet.
  const events = [
    ev(run, 'note', { message: 'check "adds": sending' }),
    ev(run, 'connect', { local: from, remote: SERVER }),
  ]
  if (served === 'student')
    events.push(student('accept', { remote: from }), student('recv', { remote: from }))
  if (served === 'app') events.push(ev('calc-server#1', 'accept', { local: SERVER, remote: from }))
  events.push(ev(run, 'send', { local: from, remote: SERVER, payload: '2 + 3\\n' }))
  return events
}

const outcome = (run: string, passed: boolean, name = 'adds'): StudentCheckOutcome => ({
  name,
  passed,
  sent: '2 + 3\n',
  run,
})

const check = (trace: TraceEvent[], results?: StudentCheckOutcome[]) =>
  checkRule(
    'student-server-passed-check',
    trace,
    {},
    results ? { checkResults: results } : undefined,
  )

describe('student-server-passed-check', () => {
  it('passes when a check that passed was answered by the student program', () => {
    const trace = [student('listen'), ...checkerRun('checker#1', '127.0.0.1:41000', 'student')]
    const r = check(trace, [outcome('checker#1', true)])
    expect(r).toMatchObject({
      passed: true,
      reason: `Your check "adds" passed against your own server, ${YOURS}.`,
    })
    // The evidence is the student's own events with the checker as peer.
    expect(r.evidence).toEqual([4, 5])
  })

  it("a check that passed against the app's server does not count", () => {
    const trace = [
      student('listen', { local: '127.0.0.1:50021' }),
      ...checkerRun('checker#1', '127.0.0.1:41000', 'app'),
    ]
    expect(check(trace, [outcome('checker#1', true)])).toMatchObject({
      passed: false,
      reason:
        'Your checks ran, but none reached your own program: run them against the port your server listens on (its terminal says which).',
    })
  })

  it('a check that reached the student server but failed says so; a later pass counts', () => {
    const trace = [student('listen'), ...checkerRun('checker#1', '127.0.0.1:41000', 'student')]
    expect(check(trace, [outcome('checker#1', false, 'wrong reply')])).toMatchObject({
      passed: false,
      reason:
        'Your check "wrong reply" reached your own server but did not pass: read its transcript, then change the server (or the check) and run it again.',
    })
    trace.push(...checkerRun('checker#2', '127.0.0.1:41002', 'student'))
    const r = check(trace, [outcome('checker#1', false, 'wrong reply'), outcome('checker#2', true)])
    expect(r.passed).toBe(true)
    expect(r.evidence).toEqual([9, 10])
  })

  it("a pass by another run does not borrow the student's server from a failed run", () => {
    // checker#1 reached the student's server and failed; checker#2 passed, but on the app's.
    const trace = [
      student('listen'),
      ...checkerRun('checker#1', '127.0.0.1:41000', 'student'),
      ...checkerRun('checker#2', '127.0.0.1:41002', 'app'),
    ]
    const r = check(trace, [outcome('checker#1', false), outcome('checker#2', true)])
    expect(r.passed).toBe(false)
    expect(r.reason).toContain('reached your own server but did not pass')
  })

  it('needs the student program, and then a check run', () => {
    expect(check([ev('calc-server#1', 'listen', { local: SERVER })])).toMatchObject({
      passed: false,
      reason: expect.stringContaining('Nothing from your own program yet'),
    })
    expect(check([student('listen')])).toMatchObject({
      passed: false,
      reason: 'Your program ran: now write a check and run it against its port.',
    })
    // A student's server reached by a console, not by a check: not a check passed.
    const trace = [
      student('listen'),
      ev('tcp-console#1', 'connect', { local: '127.0.0.1:41000', remote: SERVER }),
      student('accept', { remote: '127.0.0.1:41000' }),
    ]
    expect(check(trace, [outcome('checker#1', true)]).passed).toBe(false)
    // An outcome saved without its run (an older app) is never matched by chance.
    expect(check(trace, [{ name: 'old', passed: true }]).passed).toBe(false)
  })

  it('a run of several checks: the one the student server answered is the one that counts', () => {
    // One run, two checks: the first connection went to the student's server, the second to
    // the app's (the student moved the port between two runs of the same checker).
    const trace = [
      student('listen'),
      ...checkerRun('checker#1', '127.0.0.1:41000', 'student'),
      ...checkerRun('checker#1', '127.0.0.1:41001', 'app'),
    ]
    const r = check(trace, [
      outcome('checker#1', true, 'first'),
      outcome('checker#1', true, 'second'),
    ])
    expect(r).toMatchObject({ passed: true, evidence: [4, 5] })
    expect(r.reason).toContain('"first"')
    // Not another actor's addresses: a console is never a checker run.
    const consoleOnly = [
      student('listen'),
      ev('tcp-console#1', 'connect', { local: '127.0.0.1:41000', remote: SERVER }),
      student('accept', { remote: '127.0.0.1:41000' }),
    ]
    expect(
      check(consoleOnly, [outcome('tcp-console#1'.replace('tcp-console', 'checker'), true)]).passed,
    ).toBe(false)
  })

  it('matches addresses however they are written (IPv4-mapped, localhost)', () => {
    const trace = [
      student('listen'),
      ev('checker#1', 'connect', { local: '127.0.0.1:41000', remote: SERVER }),
      student('accept', { remote: '::ffff:127.0.0.1:41000' }),
    ]
    expect(check(trace, [outcome('checker#1', true)]).passed).toBe(true)
  })
})
