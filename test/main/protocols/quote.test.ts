import { describe, expect, it } from 'vitest'
import { QUOTE_CHARS, showChar, showWord } from '../../../src/main/protocols/quote'

describe("quoting a client's word in an error", () => {
  it('escapes the quote and the backslash, so the quoted word cannot end the quotes', () => {
    expect(showChar('"')).toBe('\\"')
    expect(showChar('\\')).toBe('\\\\')
  })

  it('writes control characters (C0, DEL and C1) as \\xNN, and keeps the printable ones around them', () => {
    expect(showChar('\x00')).toBe('\\x00')
    expect(showChar('\x1f')).toBe('\\x1f')
    expect(showChar(' ')).toBe(' ')
    expect(showChar('~')).toBe('~')
    expect(showChar('\x7f')).toBe('\\x7f')
    expect(showChar('\x9f')).toBe('\\x9f')
    expect(showChar('\xa0')).toBe('\xa0')
    expect(showChar('é')).toBe('é')
  })

  it(`cuts a word after ${QUOTE_CHARS} characters with an ellipsis, and only a longer one`, () => {
    expect(QUOTE_CHARS).toBe(32)
    expect(showWord('x'.repeat(32))).toBe('x'.repeat(32))
    expect(showWord('x'.repeat(33))).toBe(`${'x'.repeat(32)}…`)
    // Characters, not UTF-16 units: an emoji is one.
    expect(showWord('😀'.repeat(32))).toBe('😀'.repeat(32))
    expect(showWord('a\tb')).toBe('a\\x09b')
  })
})
