import { describe, expect, it } from 'vitest'
import {
  MAX_TRACE_HEADS,
  MAX_TRACE_LINE,
  parseTraceLine,
  TraceLineSplitter,
  type ParsedTraceLine,
} from '../../../src/main/student/trace-lines'

// The tracer's lines as it writes them (tracer/socketlabs_tracer.py), and lines that are
// almost right: each must be rejected with a reason that names what is wrong.

const good = {
  v: 1,
  n: 7,
  t: 1234.5,
  op: 'recvfrom',
  sock: 1,
  proto: 'udp',
  file: '/home/s/counter_server.py',
  line: 14,
  thread: 'MainThread',
  tid: 140001,
  local: '127.0.0.1:50008',
  remote: '127.0.0.1:40000',
  bytes: 4,
  data: 'PING',
  outcome: 'ok',
}
const line = (change: Record<string, unknown> = {}, drop: string[] = []) => {
  const record: Record<string, unknown> = { ...good, ...change }
  for (const key of drop) delete record[key]
  return JSON.stringify(record)
}
const reasonOf = (parsed: ParsedTraceLine) => (parsed.ok ? 'accepted' : parsed.reason)

describe('parseTraceLine', () => {
  it('accepts a record as the tracer writes it, and keeps every field', () => {
    const parsed = parseTraceLine(line())
    expect(parsed).toEqual({ ok: true, record: good })
  })

  it('accepts a failed call with its error, and a call outside the student code (no file, no line)', () => {
    const failed = parseTraceLine(
      line({ op: 'connect', outcome: 'refused', errno: 'ECONNREFUSED', file: null, line: null }),
    )
    expect(failed.ok).toBe(true)
    const withText = parseTraceLine(
      line({ outcome: 'timeout', error: 'TimeoutError: timed out' }, ['bytes', 'data']),
    )
    expect(withText.ok).toBe(true)
  })

  it('accepts a payload preview of exactly 200 bytes, every byte value among them', () => {
    const bytes = Array.from({ length: 200 }, (_, i) => String.fromCharCode(i + 50))
    expect(parseTraceLine(line({ data: bytes.join('') })).ok).toBe(true)
    expect(parseTraceLine(line({ data: '\u0000\u00ff' })).ok).toBe(true)
  })

  it.each([
    ['', 'the line is empty'],
    ['   ', 'the line is empty'],
    ['{"v":1,', 'the line is not JSON'],
    ['PING', 'the line is not JSON'],
    ['[1,2]', 'the line is JSON but not an object'],
    ['null', 'the line is JSON but not an object'],
    ['42', 'the line is JSON but not an object'],
    ['"text"', 'the line is JSON but not an object'],
  ])('rejects %j: %s', (text, reason) => {
    expect(reasonOf(parseTraceLine(text))).toBe(reason)
  })

  it.each<[string, Record<string, unknown>, string[], RegExp]>([
    ['another version', { v: 2 }, [], /^field "v": the tracer's version is not 1$/],
    ['no version', {}, ['v'], /^field "v": /],
    ['a record number 0', { n: 0 }, [], /^field "n": /],
    ['a fractional record number', { n: 1.5 }, [], /^field "n": /],
    ['a negative time', { t: -1 }, [], /^field "t": /],
    ['a time as text', { t: '5' }, [], /^field "t": /],
    ['an unknown op', { op: 'recvmsg' }, [], /^field "op": /],
    ['an op in capitals', { op: 'RECV' }, [], /^field "op": /],
    ['no op', {}, ['op'], /^field "op": /],
    ['a negative socket id', { sock: -1 }, [], /^field "sock": /],
    ['an unknown protocol', { proto: 'sctp' }, [], /^field "proto": /],
    ['an unknown outcome', { outcome: 'failed' }, [], /^field "outcome": /],
    ['no outcome', {}, ['outcome'], /^field "outcome": /],
    ['line 0', { line: 0 }, [], /^field "line": /],
    ['a fractional line', { line: 2.5 }, [], /^field "line": /],
    ['a line as text', { line: '14' }, [], /^field "line": /],
    ['an empty file name', { file: '' }, [], /^field "file": /],
    [
      'a file without a line',
      { line: null },
      [],
      /^a file without a line \(or a line without a file\)$/,
    ],
    ['a line without a file', { file: null }, [], /^a file without a line/],
    ['no thread', {}, ['thread'], /^field "thread": /],
    ['a negative byte count', { bytes: -4 }, [], /^field "bytes": /],
    ['a fractional byte count', { bytes: 4.5 }, [], /^field "bytes": /],
    [
      'a preview over 200 bytes',
      { data: 'x'.repeat(201) },
      [],
      /^field "data": the payload preview is longer than 200 bytes$/,
    ],
    [
      'a preview with a character above one byte',
      { data: 'caf\u00e9\u20ac' },
      [],
      /^field "data": the payload preview is not one character per byte$/,
    ],
    ['an empty address', { local: '' }, [], /^field "local": an address is empty$/],
    [
      'an address with a line break',
      { remote: '127.0.0.1:1\n' },
      [],
      /^field "remote": an address holds a line break$/,
    ],
    [
      'an address of 301 characters',
      { local: 'a'.repeat(301) },
      [],
      /^field "local": an address is longer than 300 characters$/,
    ],
    [
      'a failed call without its error',
      { outcome: 'reset' },
      [],
      /^a failed call without its error$/,
    ],
    ['a blocking flag as a number', { op: 'setblocking', blocking: 1 }, [], /^field "blocking": /],
    ['a negative timeout', { op: 'settimeout', timeout: -1 }, [], /^field "timeout": /],
  ])('rejects a record with %s', (_, change, drop, reason) => {
    const parsed = parseTraceLine(line(change, drop))
    expect(parsed.ok).toBe(false)
    expect(reasonOf(parsed)).toMatch(reason)
  })

  it('rejects a line longer than the limit without parsing it, and shows only its start', () => {
    const long = line({ error: 'x'.repeat(MAX_TRACE_LINE) })
    const parsed = parseTraceLine(long)
    expect(reasonOf(parsed)).toBe(`the line is longer than ${MAX_TRACE_LINE} characters`)
    expect(!parsed.ok && parsed.line).toBe(`${long.slice(0, 120)}…`)
  })

  it('parses a line of exactly the limit (it fails on its own fields, not on its length)', () => {
    const base = line({ error: '', outcome: 'error' })
    const padded = line({ outcome: 'error', error: 'e'.repeat(MAX_TRACE_LINE - base.length) })
    expect(padded.length).toBe(MAX_TRACE_LINE)
    // The error text is over its own 2000-character limit, so it fails on that, not on length.
    expect(reasonOf(parseTraceLine(padded))).toMatch(/^field "error": /)
  })

  it('shows a rejected line of exactly 120 characters whole, and one more cut', () => {
    expect(parseTraceLine('g'.repeat(120))).toMatchObject({ line: 'g'.repeat(120) })
    expect(parseTraceLine('g'.repeat(121))).toMatchObject({ line: `${'g'.repeat(120)}…` })
  })

  it('the splitter passes on a line of exactly the limit, to fail on its fields', () => {
    const base = line({ error: '', outcome: 'error' })
    const padded = line({ outcome: 'error', error: 'e'.repeat(MAX_TRACE_LINE - base.length) })
    const [parsed] = new TraceLineSplitter().push(`${padded}\n`)
    expect(reasonOf(parsed!)).toMatch(/^field "error": /)
  })

  it('shows a short rejected line whole', () => {
    expect(parseTraceLine('garbage')).toEqual({
      ok: false,
      reason: 'the line is not JSON',
      line: 'garbage',
    })
  })
})

describe('TraceLineSplitter', () => {
  const ops = (lines: ParsedTraceLine[]) =>
    lines.map((l) => (l.ok ? l.record.op : `bad: ${l.reason}`))

  it('joins a record cut across chunks, and reads several records from one chunk', () => {
    const splitter = new TraceLineSplitter()
    const a = line({ op: 'sendto', n: 1 })
    const b = line({ op: 'recvfrom', n: 2 })
    expect(splitter.push(a.slice(0, 10))).toEqual([])
    expect(ops(splitter.push(`${a.slice(10)}\n${b}\n${a.slice(0, 5)}`))).toEqual([
      'sendto',
      'recvfrom',
    ])
    expect(ops(splitter.push(`${a.slice(5)}\n`))).toEqual(['sendto'])
    expect(splitter.end()).toEqual([])
  })

  it('reports a garbage line and goes on with the next record', () => {
    const splitter = new TraceLineSplitter()
    const out = splitter.push(`hello from print()\n${line()}\n`)
    expect(ops(out)).toEqual(['bad: the line is not JSON', 'recvfrom'])
  })

  it('takes \\r\\n line ends', () => {
    expect(ops(new TraceLineSplitter().push(`${line()}\r\n`))).toEqual(['recvfrom'])
  })

  it('drops a line longer than the limit while it arrives, reports it once, then reads on', () => {
    const splitter = new TraceLineSplitter()
    const out: ParsedTraceLine[] = []
    out.push(...splitter.push('y'.repeat(MAX_TRACE_LINE - 1)))
    out.push(...splitter.push('y'.repeat(10)))
    out.push(...splitter.push('y'.repeat(MAX_TRACE_LINE * 3)))
    expect(out).toEqual([])
    out.push(...splitter.push(`zzz\n${line()}\n`))
    expect(ops(out)).toEqual([
      `bad: the line is longer than ${MAX_TRACE_LINE} characters`,
      'recvfrom',
    ])
    expect(!out[0]!.ok && out[0]!.line).toBe(`${'y'.repeat(120)}…`)
  })

  it('reports a long line that ends inside the chunk that made it too long', () => {
    const splitter = new TraceLineSplitter()
    expect(splitter.push('q'.repeat(MAX_TRACE_LINE))).toEqual([])
    const out = splitter.push(`q\n`)
    expect(ops(out)).toEqual([`bad: the line is longer than ${MAX_TRACE_LINE} characters`])
    expect(!out[0]!.ok && out[0]!.line).toBe(`${'q'.repeat(120)}…`)
  })

  it('reports a last record cut off by the end of the pipe', () => {
    const splitter = new TraceLineSplitter()
    splitter.push(line().slice(0, 30))
    const [last] = splitter.end()
    expect(reasonOf(last!)).toBe('the last line was cut off (no newline at the end)')
    expect(splitter.end()).toEqual([])
  })

  it('reports an over-long line still unfinished when the pipe ends', () => {
    const splitter = new TraceLineSplitter()
    splitter.push('w'.repeat(MAX_TRACE_LINE + 1))
    expect(ops(splitter.end())).toEqual([
      `bad: the line is longer than ${MAX_TRACE_LINE} characters`,
    ])
  })
})

describe('head definitions', () => {
  const { n, t, outcome, bytes, data, ...headFields } = good
  const def = (change: Record<string, unknown> = {}) =>
    JSON.stringify({ ...headFields, def: 3, ...change })
  const rest = (change: Record<string, unknown> = {}) =>
    JSON.stringify({ h: 3, n, t, outcome, bytes, data, ...change })

  it('a record that refers to a head is the same record the tracer would write whole', () => {
    const lines = new TraceLineSplitter().push(`${def()}\n${rest()}\n${rest({ n: 8 })}\n`)
    expect(lines).toEqual([
      { ok: true, record: good },
      { ok: true, record: { ...good, n: 8 } },
    ])
  })

  it('keeps the fields of a failed call that only the record carries', () => {
    const [parsed] = new TraceLineSplitter().push(
      `${def()}\n${rest({ outcome: 'timeout', error: 'TimeoutError: timed out', bytes: undefined, data: undefined })}\n`,
    )
    expect(parsed).toMatchObject({
      ok: true,
      record: { op: 'recvfrom', outcome: 'timeout', error: 'TimeoutError: timed out' },
    })
  })

  it('rejects a record whose head was never defined, and goes on', () => {
    const lines = new TraceLineSplitter().push(`${rest()}\n${def()}\n${rest()}\n`)
    expect(lines.map(reasonOf)).toEqual(['the record refers to head 3, never defined', 'accepted'])
  })

  it('rejects a head definition that is almost right, naming the field', () => {
    const lines = new TraceLineSplitter().push(`${def({ op: 'frobnicate' })}\n${rest()}\n`)
    expect(lines.map(reasonOf)).toEqual([
      expect.stringMatching(/^a head definition's field "op": /),
      'the record refers to head 3, never defined',
    ])
  })

  it('a record is still judged whole: a head with a record that lacks its number fails', () => {
    const [parsed] = new TraceLineSplitter().push(`${def()}\n${rest({ n: undefined })}\n`)
    expect(reasonOf(parsed!)).toMatch(/^field "n": /)
  })

  it('forgets the oldest heads past its bound', () => {
    const splitter = new TraceLineSplitter()
    const defs = Array.from({ length: MAX_TRACE_HEADS + 1 }, (_, i) => def({ def: i + 1 }))
    splitter.push(`${defs.join('\n')}\n`)
    const lines = splitter.push(`${rest({ h: 1 })}\n${rest({ h: 2 })}\n`)
    expect(lines.map(reasonOf)).toEqual(['the record refers to head 1, never defined', 'accepted'])
  })

  it('parseTraceLine reads one self-contained record and says a definition is not one', () => {
    expect(reasonOf(parseTraceLine(def()))).toBe('the line defines a head; no record follows it')
  })
})
