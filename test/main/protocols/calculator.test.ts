import { describe, expect, it } from 'vitest'
import {
  calculatorReply,
  formatNumber,
  MAX_DEPTH,
  MAX_EXPRESSION_BYTES,
  parseExpression,
} from '../../../src/main/protocols/calculator'

describe('calculator: results', () => {
  it.each([
    ['1+2', 'OK 3'],
    ['  2 * (3 + 4) ', 'OK 14'],
    ['2+3*4', 'OK 14'],
    ['(2+3)*4', 'OK 20'],
    ['10-4-3', 'OK 3'],
    ['100/10/5', 'OK 2'],
    ['-3', 'OK -3'],
    ['--3', 'OK 3'],
    ['2*-3', 'OK -6'],
    ['-(2+3)*2', 'OK -10'],
    ['1/3', 'OK 0.3333333333'],
    ['0.1+0.2', 'OK 0.3'],
    ['2.50*2', 'OK 5'],
    ['-0', 'OK 0'],
    ['\t7\t', 'OK 7'],
    ['1000000000000000', 'OK 1000000000000000'],
  ])('%j → %s', (input, reply) => {
    expect(calculatorReply(input)).toBe(reply)
  })

  it('builds the tree with the usual precedence and left associativity', () => {
    expect(parseExpression('1-2*3-4')).toEqual({
      kind: 'binary',
      op: '-',
      left: {
        kind: 'binary',
        op: '-',
        left: { kind: 'number', value: 1 },
        right: {
          kind: 'binary',
          op: '*',
          left: { kind: 'number', value: 2 },
          right: { kind: 'number', value: 3 },
        },
      },
      right: { kind: 'number', value: 4 },
    })
  })

  it('formats without exponents and with at most 10 decimals', () => {
    expect(formatNumber(1e-12)).toBe('0')
    expect(formatNumber(-1e-12)).toBe('0')
    expect(formatNumber(123456789012345)).toBe('123456789012345')
    expect(formatNumber(2 / 3)).toBe('0.6666666667')
  })
})

describe('calculator: errors', () => {
  it.each([
    ['', 'ERROR empty expression'],
    ['   \t ', 'ERROR empty expression'],
    ['1/0', 'ERROR division by zero'],
    ['1/(2-2)', 'ERROR division by zero'],
    ['1000000000000001', 'ERROR overflow'],
    ['999999999*999999999', 'ERROR overflow'],
    ['9'.repeat(199), 'ERROR overflow'],
    ['1 + x', 'ERROR unexpected "x" at column 5'],
    ['2 3', 'ERROR unexpected "3" at column 3'],
    ['1+2)', 'ERROR unexpected ")" at column 4'],
    ['()', 'ERROR unexpected ")" at column 2'],
    ['+1', 'ERROR unexpected "+" at column 1'],
    ['1.', 'ERROR unexpected "." at column 2'],
    ['(1+2', 'ERROR missing ")" at column 5'],
    ['((1+2)*3', 'ERROR missing ")" at column 9'],
    ['(1 2)', 'ERROR unexpected "2" at column 4'],
    ['1+', 'ERROR unexpected end of expression at column 3'],
    ['é+1', 'ERROR unexpected "é" at column 1'],
    ['1+😀', 'ERROR unexpected "😀" at column 3'],
    ['1+"', 'ERROR unexpected "\\"" at column 3'],
    ['1\u0000', 'ERROR unexpected "\\x00" at column 2'],
    ['eval("1")', 'ERROR unexpected "e" at column 1'],
  ])('%j → %s', (input, reply) => {
    expect(calculatorReply(input)).toBe(reply)
  })

  it('refuses an expression over the byte limit, counting UTF-8 bytes', () => {
    expect(calculatorReply('1+'.repeat(100) + '1')).toBe(
      `ERROR expression too long (max ${MAX_EXPRESSION_BYTES} bytes)`,
    )
    expect(calculatorReply('1' + ' '.repeat(MAX_EXPRESSION_BYTES - 1))).toBe('OK 1')
    expect(calculatorReply('é'.repeat(101))).toMatch(/^ERROR expression too long/)
  })

  it('allows a result of exactly MAX_MAGNITUDE, and refuses one more', () => {
    expect(calculatorReply('999999999999999+1')).toBe('OK 1000000000000000')
    expect(calculatorReply('999999999999999+2')).toBe('ERROR overflow')
  })

  it('counts depth, not how many groups there are: many groups side by side are fine', () => {
    // 40 groups in 161 bytes, within the length limit; each group is one level deep.
    expect(calculatorReply('(1)+'.repeat(40) + '1')).toBe('OK 41')
  })

  it('allows nesting up to the depth limit and refuses one level more', () => {
    const nest = (n: number) => '('.repeat(n) + '1' + ')'.repeat(n)
    expect(calculatorReply(nest(MAX_DEPTH))).toBe('OK 1')
    expect(calculatorReply(nest(MAX_DEPTH + 1))).toBe(
      `ERROR nesting too deep (max ${MAX_DEPTH} levels)`,
    )
    expect(calculatorReply('-'.repeat(MAX_DEPTH + 1) + '1')).toMatch(/^ERROR nesting too deep/)
  })

  it('reports the first syntax error before any arithmetic error', () => {
    expect(calculatorReply('1/0 +')).toBe('ERROR unexpected end of expression at column 6')
  })
})
