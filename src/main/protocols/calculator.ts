import { showChar } from './quote'

/**
 * The calculator protocol: a request is one arithmetic expression, the reply is
 * `OK <number>` or `ERROR <reason>`. A recursive-descent parser builds a tree, then the tree
 * is evaluated: nothing is ever handed to `eval`. Grammar, lowest precedence first:
 *
 *   expression := term (("+" | "-") term)*
 *   term       := factor (("*" | "/") factor)*
 *   factor     := "-" factor | number | "(" expression ")"
 *   number     := digits ["." digits]
 *
 * Spaces and tabs between tokens are ignored. Columns in errors count characters from 1.
 */
export const MAX_EXPRESSION_BYTES = 200
/** How many parentheses and unary minus signs may be nested inside each other. */
export const MAX_DEPTH = 50
/** The largest magnitude of a number, typed or computed; beyond it the reply is an overflow. */
export const MAX_MAGNITUDE = 1e15
/** Results are rounded to this many decimal places, trailing zeros removed. */
export const DECIMALS = 10

export const CALC_ERRORS = {
  empty: 'ERROR empty expression',
  divisionByZero: 'ERROR division by zero',
  overflow: 'ERROR overflow',
  tooLong: `ERROR expression too long (max ${MAX_EXPRESSION_BYTES} bytes)`,
  tooDeep: `ERROR nesting too deep (max ${MAX_DEPTH} levels)`,
} as const

export type CalcNode =
  | { kind: 'number'; value: number }
  | { kind: 'negate'; operand: CalcNode }
  | { kind: 'binary'; op: Operator; left: CalcNode; right: CalcNode }

export type CalcResult = { ok: true; value: number } | { ok: false; error: string }

/** A reason the request cannot be answered with a number; `message` is the whole reply. */
class CalcError extends Error {}

/** The reply line (without its newline) to one request line. */
export function calculatorReply(line: string): string {
  const result = calculate(line)
  return result.ok ? `OK ${formatNumber(result.value)}` : result.error
}

export function calculate(text: string): CalcResult {
  try {
    if (Buffer.byteLength(text) > MAX_EXPRESSION_BYTES) throw new CalcError(CALC_ERRORS.tooLong)
    return { ok: true, value: evaluate(parseExpression(text)) }
  } catch (error) {
    // Stryker: equivalent — only CalcError is thrown here (length and depth are bounded first);
    // the re-throw is for a bug of ours, which no input can reach.
    if (error instanceof CalcError) return { ok: false, error: error.message }
    throw error
  }
}

/** Parse a whole expression into a tree, or throw the CalcError a client is told. */
export function parseExpression(text: string): CalcNode {
  const parser = new Parser(text)
  return parser.parseAll()
}

class Parser {
  /** Characters, not UTF-16 units, so a column is what the student counts. */
  private readonly chars: string[]
  private pos = 0
  private depth = 0

  constructor(text: string) {
    this.chars = Array.from(text)
  }

  parseAll(): CalcNode {
    this.skipSpaces()
    if (this.pos === this.chars.length) throw new CalcError(CALC_ERRORS.empty)
    const tree = this.expression()
    this.skipSpaces()
    if (this.pos < this.chars.length) throw this.unexpected()
    return tree
  }

  private expression(): CalcNode {
    let left = this.term()
    for (let op = this.peekOperator('+-'); op; op = this.peekOperator('+-')) {
      this.pos++
      left = { kind: 'binary', op, left, right: this.term() }
    }
    return left
  }

  private term(): CalcNode {
    let left = this.factor()
    for (let op = this.peekOperator('*/'); op; op = this.peekOperator('*/')) {
      this.pos++
      left = { kind: 'binary', op, left, right: this.factor() }
    }
    return left
  }

  private factor(): CalcNode {
    this.skipSpaces()
    const ch = this.chars[this.pos]
    if (ch === '-') {
      this.pos++
      return this.nested(() => ({ kind: 'negate', operand: this.factor() }))
    }
    if (ch === '(') {
      this.pos++
      return this.nested(() => {
        const inner = this.expression()
        this.skipSpaces()
        if (this.chars[this.pos] !== ')') {
          if (this.pos < this.chars.length) throw this.unexpected()
          throw new CalcError(`ERROR missing ")" at column ${this.pos + 1}`)
        }
        this.pos++
        return inner
      })
    }
    if (isDigit(ch)) return this.number()
    throw this.unexpected()
  }

  private number(): CalcNode {
    const start = this.pos
    while (isDigit(this.chars[this.pos])) this.pos++
    if (this.chars[this.pos] === '.' && isDigit(this.chars[this.pos + 1])) {
      this.pos++
      while (isDigit(this.chars[this.pos])) this.pos++
    }
    const value = Number(this.chars.slice(start, this.pos).join(''))
    if (Math.abs(value) > MAX_MAGNITUDE) throw new CalcError(CALC_ERRORS.overflow)
    return { kind: 'number', value }
  }

  /** Run one level deeper, refusing to go past MAX_DEPTH (the parser's own stack is bounded). */
  private nested(parse: () => CalcNode): CalcNode {
    if (++this.depth > MAX_DEPTH) throw new CalcError(CALC_ERRORS.tooDeep)
    const node = parse()
    this.depth--
    return node
  }

  /** The operator at the current position if it is one of `ops` (e.g. "+-"). */
  private peekOperator(ops: string): Operator | undefined {
    this.skipSpaces()
    const ch = this.chars[this.pos]
    // Stryker: equivalent — without the check, ops.includes(undefined) looks for "undefined": false.
    return ch !== undefined && ops.includes(ch) ? (ch as Operator) : undefined
  }

  private skipSpaces() {
    while (this.chars[this.pos] === ' ' || this.chars[this.pos] === '\t') this.pos++
  }

  private unexpected(): CalcError {
    const column = this.pos + 1
    const ch = this.chars[this.pos]
    if (ch === undefined)
      return new CalcError(`ERROR unexpected end of expression at column ${column}`)
    return new CalcError(`ERROR unexpected "${showChar(ch)}" at column ${column}`)
  }
}

type Operator = '+' | '-' | '*' | '/'

/** Evaluate a tree; every intermediate result must stay finite and within MAX_MAGNITUDE. */
export function evaluate(node: CalcNode): number {
  switch (node.kind) {
    case 'number':
      return node.value
    case 'negate':
      return -evaluate(node.operand)
    case 'binary': {
      const a = evaluate(node.left)
      const b = evaluate(node.right)
      if (node.op === '/' && b === 0) throw new CalcError(CALC_ERRORS.divisionByZero)
      const value =
        node.op === '+' ? a + b : node.op === '-' ? a - b : node.op === '*' ? a * b : a / b
      if (!Number.isFinite(value) || Math.abs(value) > MAX_MAGNITUDE) {
        throw new CalcError(CALC_ERRORS.overflow)
      }
      return value
    }
  }
}

/** "3", "-2.5", "0.3333333333": at most DECIMALS places, no exponent, never "-0". */
export function formatNumber(value: number): string {
  let text = value.toFixed(DECIMALS)
  // Stryker: equivalent — below 1e21 toFixed always writes a '.', and values stay under MAX_MAGNITUDE.
  if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '')
  return text === '-0' ? '0' : text
}

function isDigit(ch: string | undefined): boolean {
  // Stryker: equivalent — `undefined >= '0'` is false anyway; the check is for the type.
  return ch !== undefined && ch >= '0' && ch <= '9'
}
