import { describe, expect, it } from 'vitest'
import { TerminalBuffer } from '@renderer/features/student/terminal-buffer'

/** Applies updates the way the terminal view does, to a plain string. */
function applyAll(buffer: TerminalBuffer, screen = ''): string {
  for (let u = buffer.take(); u; u = buffer.take()) {
    screen = u.kind === 'replace' ? u.text : screen + u.text
  }
  return screen
}

describe('TerminalBuffer', () => {
  it('hands chunks over once, joined, as text to append', () => {
    const b = new TerminalBuffer(1000)
    b.append('bound\n')
    b.append('waiting\n')
    expect(b.take()).toEqual({ kind: 'append', text: 'bound\nwaiting\n' })
    expect(b.take()).toBeNull()
    b.append('PONG #1\n')
    expect(b.take()).toEqual({ kind: 'append', text: 'PONG #1\n' })
    expect(b.text).toBe('bound\nwaiting\nPONG #1\n')
  })

  it('keeps only about the last `keep` characters, cut at a line, and counts what it dropped', () => {
    const b = new TerminalBuffer(1000)
    let screen = ''
    let total = 0
    for (let i = 0; i < 500; i++) {
      const line = `line ${i}\n`
      total += line.length
      b.append(line)
      if (i % 7 === 0) screen = applyAll(b, screen)
    }
    screen = applyAll(b, screen)
    expect(screen.length).toBeLessThanOrEqual(1500)
    expect(screen.endsWith('line 499\n')).toBe(true)
    expect(screen.startsWith('line ')).toBe(true)
    expect(b.droppedChars + screen.length).toBe(total)
  })

  it('does not pile up 100 MB while nobody looks: pending output collapses to the budget', () => {
    const b = new TerminalBuffer(200_000)
    const chunk = 'x'.repeat(63) + '\n'
    for (let i = 0; i < 100 * 16_384; i++) b.append(chunk) // 100 MB in 64-byte chunks
    const update = b.take()
    expect(update?.kind).toBe('replace')
    expect(update!.text.length).toBeLessThanOrEqual(200_000)
    expect(b.droppedChars).toBeGreaterThan(100 * 1_000_000)
  })

  it('tells its view once when output starts arriving, not on every chunk', () => {
    const b = new TerminalBuffer(1000)
    let told = 0
    b.onPending = () => told++
    b.append('a')
    b.append('b')
    expect(told).toBe(1)
    b.take()
    b.append('c')
    expect(told).toBe(2)
  })

  it('gives a view that attaches late all the kept text, with nothing handed twice', () => {
    const b = new TerminalBuffer(1000)
    b.append('one\n')
    b.take()
    b.append('two\n')
    expect(b.takeAll()).toBe('one\ntwo\n')
    expect(b.take()).toBeNull()
  })
})
