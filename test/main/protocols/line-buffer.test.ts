import { describe, expect, it } from 'vitest'
import {
  LINE_TOO_LONG_REPLY,
  LineBuffer,
  MAX_LINE_BYTES,
  type FramedItem,
} from '../../../src/main/protocols/line-buffer'

const feed = (buffer: LineBuffer, ...chunks: string[]): FramedItem[] =>
  chunks.flatMap((c) => buffer.push(Buffer.from(c, 'utf8')))

const lines = (items: FramedItem[]) => items.map((i) => (i.kind === 'line' ? i.text : '<too-long>'))

describe('LineBuffer', () => {
  it('splits on \\n, counts wire bytes, and strips a trailing \\r only', () => {
    const items = feed(new LineBuffer(), 'one\ntwo\r\nth\rree\n')
    expect(items).toEqual([
      { kind: 'line', text: 'one', bytes: 4 },
      { kind: 'line', text: 'two', bytes: 5 },
      { kind: 'line', text: 'th\rree', bytes: 7 },
    ])
  })

  it('tells the student the limit in its too-long reply', () => {
    expect(LINE_TOO_LONG_REPLY).toBe('ERROR line too long (max 200 bytes)')
  })

  it('goes on after a too-long line in the same chunk, with the lines after it', () => {
    const items = feed(new LineBuffer(4), 'toolong\nok\n\r\n')
    expect(items).toEqual([
      { kind: 'too-long', bytes: 7 },
      { kind: 'line', text: 'ok', bytes: 3 },
      { kind: 'line', text: '', bytes: 2 },
    ])
  })

  it('joins a line split over many chunks and keeps the rest for later', () => {
    const buffer = new LineBuffer()
    expect(feed(buffer, 'he', 'll', 'o\nwor')).toEqual([{ kind: 'line', text: 'hello', bytes: 6 }])
    expect(buffer.pendingBytes).toBe(3)
    expect(lines(feed(buffer, 'ld\n'))).toEqual(['world'])
    expect(buffer.pendingBytes).toBe(0)
  })

  it('keeps a UTF-8 character cut between two chunks whole', () => {
    const bytes = Buffer.from('é\n', 'utf8')
    const buffer = new LineBuffer()
    expect(buffer.push(bytes.subarray(0, 1))).toEqual([])
    expect(lines(buffer.push(bytes.subarray(1)))).toEqual(['é'])
  })

  it('accepts exactly the limit, with or without \\r, and refuses one byte more', () => {
    const exact = 'a'.repeat(MAX_LINE_BYTES)
    expect(lines(feed(new LineBuffer(), `${exact}\n`, `${exact}\r\n`))).toEqual([exact, exact])
    const over = feed(new LineBuffer(), `${exact}b\n`)
    expect(over).toEqual([{ kind: 'too-long', bytes: MAX_LINE_BYTES + 1 }])
  })

  it('reports an over-long line once, drops it up to its newline and goes on', () => {
    const buffer = new LineBuffer()
    const items = feed(buffer, 'x'.repeat(150), 'x'.repeat(150), 'y'.repeat(5000), 'z\nnext\n')
    expect(lines(items)).toEqual(['<too-long>', 'next'])
    expect(items[0]).toEqual({ kind: 'too-long', bytes: 300 })
  })

  it('never holds more than the limit plus room for a \\r', () => {
    const buffer = new LineBuffer()
    for (let i = 0; i < 100; i++) {
      buffer.push(Buffer.alloc(97, 0x41))
      expect(buffer.pendingBytes).toBeLessThanOrEqual(MAX_LINE_BYTES + 1)
    }
    expect(lines(feed(buffer, '\nok\n'))).toEqual(['ok'])
  })

  it('holds a \\r at the limit until it knows whether \\n follows', () => {
    const buffer = new LineBuffer()
    expect(feed(buffer, `${'a'.repeat(MAX_LINE_BYTES)}\r`)).toEqual([])
    expect(lines(feed(buffer, '\n'))).toEqual(['a'.repeat(MAX_LINE_BYTES)])
    expect(lines(feed(buffer, `${'a'.repeat(MAX_LINE_BYTES)}\r`, 'b\n'))).toEqual(['<too-long>'])
  })

  it('gives an empty line for a bare newline', () => {
    expect(feed(new LineBuffer(), '\n\r\n')).toEqual([
      { kind: 'line', text: '', bytes: 1 },
      { kind: 'line', text: '', bytes: 2 },
    ])
  })
})
