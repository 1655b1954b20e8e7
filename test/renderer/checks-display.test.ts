import { describe, expect, it } from 'vitest'
import type { Check, CheckResult } from '@shared/checks'
import {
  afterReply,
  caretLine,
  checkState,
  checkSummary,
  expectedText,
  newCheckId,
  tallyOf,
} from '@renderer/features/checks/checks-display'

const check = (id: string, over: Partial<Check> = {}): Check => ({
  id,
  name: id,
  proto: 'tcp',
  send: '2+3',
  newline: true,
  expect: { mode: 'exact', value: 'OK 5' },
  withinMs: 2000,
  ...over,
})

const result = (id: string, passed: boolean): CheckResult => ({
  id,
  name: id,
  proto: 'tcp',
  passed,
  sent: '2+3\n',
  received: passed ? 'OK 5\n' : 'OK 6\n',
  reply: passed ? 'OK 5' : 'OK 6',
  expect: { mode: 'exact', value: 'OK 5' },
  diffIndex: passed ? null : 3,
  replyMs: 1,
  withinMs: 2000,
})

describe('checks display', () => {
  it('says where each check stands: in the run under way first, then its latest result', () => {
    const results = { a: result('a', true), b: result('b', false) }
    expect(checkState('a', [], results)).toBe('passed')
    expect(checkState('b', [], results)).toBe('failed')
    expect(checkState('c', [], results)).toBe('not-run')
    expect(checkState('b', ['b'], results)).toBe('running')
  })

  it('counts passes and failures of the listed checks only', () => {
    const results = { a: result('a', true), b: result('b', false), gone: result('gone', false) }
    expect(tallyOf([check('a'), check('b'), check('c')], results)).toEqual({
      passed: 1,
      failed: 1,
    })
    expect(tallyOf([], results)).toEqual({ passed: 0, failed: 0 })
  })

  it('puts the caret under the first different character, counting written-out invisibles', () => {
    expect(caretLine({ reply: 'OK 6', diffIndex: 3 })).toBe('   ^')
    // A tab is shown as the two characters "\t", so the caret under what follows moves one further.
    expect(caretLine({ reply: 'axb', diffIndex: 2 })).toBe('  ^')
    expect(caretLine({ reply: 'a\tb', diffIndex: 2 })).toBe('   ^')
    expect(caretLine({ reply: null, diffIndex: null })).toBe('^')
  })

  it('shows what came after the compared reply, and the expected text as the student reads it', () => {
    expect(afterReply({ received: 'OK 6\r\n', reply: 'OK 6' })).toBe('\r\n')
    expect(afterReply({ received: null, reply: null })).toBe('')
    expect(expectedText({ mode: 'regex', value: '^OK \\d+$' })).toBe('/^OK \\d+$/')
    expect(expectedText({ mode: 'exact', value: 'OK\\t5' })).toBe('OK\\t5')
    expect(checkSummary(check('a', { expect: { mode: 'contains', value: 'OK' } }))).toBe(
      'send "2+3\\n" · expect containing "OK" · within 2 s',
    )
  })

  it('picks a new id no existing check has', () => {
    expect(newCheckId([])).toBe('check-1')
    expect(newCheckId([check('check-2'), check('x')])).toBe('check-3')
    expect(newCheckId([check('check-3'), check('check-4')])).toBe('check-5')
  })
})
