import { describe, expect, it } from 'vitest'
import {
  CheckListSchema,
  CheckSchema,
  compareReply,
  decodeEscapes,
  firstDifference,
  formatWithin,
  showInvisible,
  withoutLineEnd,
} from '@shared/checks'
import { formatZodError } from '@shared/ipc'

const valid = {
  id: 'c1',
  name: 'adds',
  proto: 'tcp',
  send: '2+3',
  expect: { mode: 'exact', value: 'OK 5' },
  withinMs: 2000,
}

function problem(input: unknown): string {
  const parsed = CheckSchema.safeParse(input)
  expect(parsed.success).toBe(false)
  return parsed.success ? '' : formatZodError(parsed.error)
}

describe('CheckSchema', () => {
  it('accepts a check and appends a newline unless told not to', () => {
    expect(CheckSchema.parse(valid).newline).toBe(true)
    expect(CheckSchema.parse({ ...valid, newline: false }).newline).toBe(false)
  })

  it('names the field at fault', () => {
    expect(problem({ ...valid, name: ' ' })).toBe('name: Name the check')
    expect(problem({ ...valid, send: '' })).toBe('send: Nothing to send: type a message')
    expect(problem({ ...valid, withinMs: 5 })).toBe('withinMs: Time limit must be at least 10 ms')
    expect(problem({ ...valid, proto: 'sctp' })).toMatch(/^proto: /)
    expect(problem({ ...valid, expect: { mode: 'glob', value: 'x' } })).toBe(
      'expect.mode: Expect mode must be "exact", "contains" or "regex"',
    )
  })

  it('rejects a bad regular expression with the reason', () => {
    expect(problem({ ...valid, expect: { mode: 'regex', value: 'OK (\\d+' } })).toBe(
      'expect.value: Not a valid pattern: Unterminated group',
    )
    expect(problem({ ...valid, expect: { mode: 'regex', value: '' } })).toMatch(
      /^expect.value: The pattern is empty/,
    )
    // The same text is fine as an exact value.
    expect(
      CheckSchema.safeParse({ ...valid, expect: { mode: 'exact', value: 'OK (' } }).success,
    ).toBe(true)
  })

  it('refuses duplicate ids in a list', () => {
    const parsed = CheckListSchema.safeParse([valid, valid])
    expect(parsed.success).toBe(false)
    if (!parsed.success) expect(formatZodError(parsed.error)).toBe('1.id: Duplicate check id c1')
  })
})

describe('escapes and invisible characters', () => {
  it('decodes \\n \\r \\t \\\\ and leaves other backslashes', () => {
    expect(decodeEscapes('a\\nb\\r\\tc\\\\n\\q')).toBe('a\nb\r\tc\\n\\q')
  })
  it('shows invisible characters', () => {
    expect(showInvisible('OK\t5\r\n\x00')).toBe('OK\\t5\\r\\n\\x00')
  })
  it('drops one end of line', () => {
    expect(withoutLineEnd('OK\r\n')).toBe('OK')
    expect(withoutLineEnd('OK\n\n')).toBe('OK\n')
    expect(withoutLineEnd('OK')).toBe('OK')
  })
})

describe('compareReply', () => {
  it('exact: the first differing index, or the shorter length', () => {
    expect(compareReply('OK 5', { mode: 'exact', value: 'OK 5' })).toEqual({
      passed: true,
      diffIndex: null,
    })
    expect(compareReply('OK 6', { mode: 'exact', value: 'OK 5' })).toEqual({
      passed: false,
      diffIndex: 3,
    })
    expect(compareReply('OK', { mode: 'exact', value: 'OK 5' }).diffIndex).toBe(2)
    expect(firstDifference('abc', 'abc')).toBe(3)
  })
  it('exact and contains decode escapes in the expected value; regex does not need to', () => {
    expect(compareReply('A\tB', { mode: 'exact', value: 'A\\tB' }).passed).toBe(true)
    expect(compareReply('A\tB', { mode: 'contains', value: '\\t' }).passed).toBe(true)
    expect(compareReply('A\tB', { mode: 'regex', value: '^A\\tB$' }).passed).toBe(true)
    expect(compareReply('ERROR x', { mode: 'regex', value: '^OK' }).passed).toBe(false)
  })
  it('formats time limits', () => {
    expect(formatWithin(2000)).toBe('2 s')
    expect(formatWithin(1500)).toBe('1.5 s')
    expect(formatWithin(150)).toBe('150 ms')
  })
})
