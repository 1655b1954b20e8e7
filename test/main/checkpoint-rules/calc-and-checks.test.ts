import { beforeEach, describe, expect, it } from 'vitest'
import type { TraceEvent } from '@shared/trace'
import type { CheckpointContext } from '../../../src/main/checkpoints'
import { checkRule, traceBuilder } from './trace-builder'

/** Lab 5's console and own-checks checkpoints against near-miss runs. */
const { ev, reset } = traceBuilder()
beforeEach(reset)
const check = (kind: string, trace: TraceEvent[], context?: CheckpointContext) =>
  checkRule(kind, trace, {}, context)

const CALC = 'calc-server#1'
const CON = 'tcp-console#1'
const conn = '127.0.0.1:40000->127.0.0.1:50020'

describe('calc-error-via-console', () => {
  const talk = (console = CON, replies: string[] = ['ERROR unexpected "*" at column 5\\n']) => [
    ev(CALC, 'accept', { conn }),
    ev(console, 'send', { conn, payload: '1 + 1\\n' }),
    ev(console, 'recv', { conn, payload: 'OK 2\\n' }),
    ev(console, 'send', { conn, payload: '2 + * 3\\r\\n' }),
    ...replies.map((payload) => ev(console, 'recv', { conn, payload })),
    ev(console, 'send', { conn, payload: 'later\\n' }),
  ]

  it('passes on the ERROR the console received, quoting it and the last line sent before it', () => {
    const r = check('calc-error-via-console', talk())
    expect(r.passed).toBe(true)
    expect(r.evidence).toEqual([4, 5])
    expect(r.reason).toBe(
      'The calculator answered "ERROR unexpected "*" at column 5" to "2 + * 3", and the connection stayed open.',
    )
  })

  it('a UDP console counts too, and a preview cut with … still reads as ERROR', () => {
    const r = check('calc-error-via-console', talk('udp-console#1', ['ERROR too long…']))
    expect(r.passed).toBe(true)
    expect(r.reason).toMatch(/^The calculator answered "ERROR too long" to "2 \+ \* 3"/)
  })

  it('an ERROR the console sent, or one from a connection the calculator never had, does not count', () => {
    const sent = [ev(CALC, 'accept', { conn }), ev(CON, 'send', { conn, payload: 'ERROR\\n' })]
    expect(check('calc-error-via-console', sent).reason).toBe(
      'The console is connected to the calculator: now send a malformed expression, such as 2 + * 3, and read its ERROR reply.',
    )
    const elsewhere = [
      ev(CALC, 'listen'),
      ev(CON, 'recv', { conn: 'other', payload: 'ERROR x\\n' }),
      ev(CON, 'recv', { payload: 'ERROR y\\n' }),
    ]
    expect(check('calc-error-via-console', elsewhere).reason).toBe(
      'The calculator is running: open a TCP console to its port and type an expression.',
    )
    const notAConsole = [
      ev(CALC, 'accept', { conn }),
      ev('tcp-client#1', 'recv', { conn, payload: 'ERROR\\n' }),
    ]
    expect(check('calc-error-via-console', notAConsole).passed).toBe(false)
  })

  it('an ERROR with nothing sent before it is evidence alone', () => {
    const trace = [ev(CALC, 'accept', { conn }), ev(CON, 'recv', { conn, payload: 'ERROR bye\\n' })]
    const r = check('calc-error-via-console', trace)
    expect(r.evidence).toEqual([2])
    expect(r.reason).toBe('The calculator answered "ERROR bye", and the connection stayed open.')
  })

  it('an ERROR in the middle of a chunk counts; a line that only contains ERROR later does not', () => {
    const mid = [
      ev(CALC, 'accept', { conn }),
      ev(CON, 'recv', { conn, payload: 'OK 1\\nERROR x\\n' }),
    ]
    expect(check('calc-error-via-console', mid).reason).toMatch(/answered "ERROR x"/)
    reset()
    const inside = [
      ev(CALC, 'accept', { conn }),
      ev(CON, 'recv', { conn, payload: 'OK NO ERROR\\n' }),
    ]
    expect(check('calc-error-via-console', inside).passed).toBe(false)
  })
})

describe('own-checks-pass-and-fail', () => {
  const kind = 'own-checks-pass-and-fail'
  it('needs a pass and a failure that has its transcript, and names both', () => {
    const ok = { name: 'adds', passed: true, sent: '1+1' }
    const bad = { name: 'divides', passed: false, sent: '1/0' }
    const r = check(kind, [], { checkResults: [ok, bad] })
    expect(r).toMatchObject({
      passed: true,
      evidence: [],
      reason: 'Your check "adds" passed and "divides" failed with its transcript.',
    })
    // A failure that never ran (nothing sent) has no transcript to read.
    expect(check(kind, [], { checkResults: [ok, { name: 'x', passed: false }] }).reason).toBe(
      'Every check passed so far: write one that fails (e.g. expect a wrong reply) and read its transcript.',
    )
    expect(check(kind, [], { checkResults: [bad] }).reason).toBe(
      'None of your checks has passed yet: write one the server meets.',
    )
    expect(check(kind, []).reason).toBe('Write a check and run it against a server.')
    expect(check(kind, [], {}).reason).toBe('Write a check and run it against a server.')
  })
})
