import { beforeEach, describe, expect, it } from 'vitest'
import type { TraceEvent } from '@shared/trace'
import { checkRule, traceBuilder } from './trace-builder'

/** The framing checkpoint (lab 5) against near-miss runs of the two clients and the relay. */
const { ev, reset } = traceBuilder()
beforeEach(reset)
const KIND = 'framing-naive-broke-line-coped'
const check = (trace: TraceEvent[]) => checkRule(KIND, trace)

const R = 'framing-relay#1'
const PORT = '127.0.0.1:50021'
const relayListen = () => ev(R, 'listen', { local: PORT })
const lineNote = (actor: string, name = 'line') =>
  ev(actor, 'note', { anchor: { file: 'line_client.py', name } })

function run(actor: string, chunks: string[], how: { viaConn?: string; level?: 'warn' } = {}) {
  const conn = how.viaConn ?? `c-${actor}`
  return [
    ev(actor, 'connect', how.viaConn ? { conn } : { conn, remote: PORT }),
    ev(actor, 'send', { conn, payload: '1+1\\n' }),
    ev(actor, 'send', { conn, payload: '2*3\\n' }),
    ...chunks.map((c) => ev(actor, 'recv', { conn, payload: c, level: how.level ?? 'info' })),
  ]
}
const naiveBroke = () => run('naive-client#1', ['OK', ' 2\\nOK 6\\n'], { level: 'warn' })
const lineCoped = (actor = 'line-client#1', notes = 2) => [
  ...run(actor, ['OK', ' 2\\nOK 6\\n']),
  ...Array.from({ length: notes }, () => lineNote(actor)),
  ev(actor, 'close'),
]

describe(KIND, () => {
  it('passes with the naive misread, the line client’s split chunk and its last line as evidence', () => {
    const trace = [relayListen(), ...naiveBroke(), ...lineCoped()]
    const r = check(trace)
    expect(r.passed).toBe(true)
    expect(r.evidence).toEqual([5, 10, 13])
    expect(r.reason).toBe(
      'Through the relay, naive-client#1 took a chunk that was not one reply for one ("OK"), while line-client#1 reassembled all 2 replies line by line.',
    )
  })

  it('a line client that failed (an error, an end-of-stream, an error-level call) did not cope', () => {
    for (const failure of [
      (a: string) => ev(a, 'error', { level: 'warn' }),
      (a: string) => ev(a, 'eof'),
      (a: string) => ev(a, 'recv', { level: 'error', conn: `c-${a}` }),
    ]) {
      reset()
      const trace = [relayListen(), ...naiveBroke(), ...lineCoped(), failure('line-client#1')]
      expect(check(trace).reason).toBe(
        'Through the relay, the line-reading client has not yet received every reply through a relay that split or merged them.',
      )
    }
  })

  it('fewer lines than requests, notes of another kind, no request, or no split chunk is not coping', () => {
    const cases = [
      lineCoped('line-client#1', 1),
      [
        ...run('line-client#1', ['OK', ' 2\\nOK 6\\n']),
        lineNote('line-client#1', 'recv'),
        lineNote('line-client#1', 'recv'),
      ],
      [
        ev('line-client#1', 'connect', { conn: 'c', remote: PORT }),
        ev('line-client#1', 'recv', { conn: 'c', payload: 'OK' }),
      ],
      [
        ...run('line-client#1', ['OK 2\\n', 'OK 6\\n']),
        lineNote('line-client#1'),
        lineNote('line-client#1'),
      ],
    ]
    for (const line of cases) {
      expect(check([relayListen(), ...naiveBroke(), ...line]).passed).toBe(false)
    }
  })

  it('a naive client is caught out by a warning or by a chunk that is not one whole line', () => {
    // One reply per chunk, no warning: not caught out.
    const fine = run('naive-client#1', ['OK 2\\n', 'OK 6\\n'])
    expect(check([relayListen(), ...fine, ...lineCoped()]).reason).toBe(
      'Through the relay, the naive client has not yet been caught out by a split or merged reply.',
    )
    // Two replies in one chunk, no warning: caught out all the same.
    reset()
    const merged = run('naive-client#1', ['OK 2\\nOK 6\\n'])
    expect(check([relayListen(), ...merged, ...lineCoped()]).passed).toBe(true)
    // A warning on what it sent is not a misread.
    reset()
    const warnedSend = [
      ...run('naive-client#1', ['OK 2\\n', 'OK 6\\n']),
      ev('naive-client#1', 'send', { conn: 'c-naive-client#1', payload: 'x', level: 'warn' }),
    ]
    expect(check([relayListen(), ...warnedSend, ...lineCoped()]).passed).toBe(false)
  })

  it('the relay is found by its listening port or by the connections it accepted, not by anyone else’s', () => {
    const accepted = [ev(R, 'accept', { conn: 'k1' }), ev(R, 'accept', { conn: 'k2' })]
    const viaConn = [
      ...accepted,
      ...run('naive-client#1', ['OK'], { viaConn: 'k1', level: 'warn' }),
      ...run('line-client#1', ['OK', ' 2\\nOK 6\\n'], { viaConn: 'k2' }),
      lineNote('line-client#1'),
      lineNote('line-client#1'),
    ]
    expect(check(viaConn).passed).toBe(true)
    // A server listening on the same port is not the relay; a relay accept without a connection adds nothing.
    reset()
    const notRelay = [
      ev('calc-server#1', 'listen', { local: PORT }),
      ev(R, 'listen'),
      ev(R, 'accept'),
      ev(R, 'connect', { conn: 'k3' }),
      ...naiveBroke(),
      ...lineCoped(),
    ]
    expect(check(notRelay).passed).toBe(false)
  })

  it('without any relay, says to start one', () => {
    expect(check([...naiveBroke(), ...lineCoped()]).reason).toBe(
      'Start the calculator, then the framing relay in front of it, and run both clients through the relay.',
    )
    expect(check([relayListen()]).reason).toBe(
      'Through the relay, the naive client has not yet been caught out by a split or merged reply, and the line-reading client has not yet received every reply through a relay that split or merged them.',
    )
  })
})
