import { describe, expect, it } from 'vitest'
import { BoundedOutput, HarmlessStream, makeHarmless } from '../../../src/main/student/output'

describe('makeHarmless', () => {
  it.each([
    ['plain text\n', 'plain text\n'],
    ['\x1b[31mred\x1b[0m', 'red'],
    ['\x1b[2J\x1b[Hcleared', 'cleared'],
    ['\x1b]0;title\x07after', 'after'],
    ['\x1b]8;;http://x\x1b\\link', 'link'],
    ['a\r\nb\rc', 'a\nb\nc'],
    ['bell\x07 nul\x00 del\x7f', 'bell\\x07 nul\\x00 del\\x7f'],
    ['tab\tstays', 'tab\tstays'],
    ['\x9b31mC1 CSI', 'C1 CSI'],
    ['lone \x1b', 'lone \\x1b'],
    ['é ✓ 中文', 'é ✓ 中文'],
  ])('%j → %j', (input, output) => {
    expect(makeHarmless(input)).toBe(output)
  })
})

describe('HarmlessStream', () => {
  it('removes a sequence cut between two chunks', () => {
    const s = new HarmlessStream()
    expect(s.push('red: \x1b[3')).toBe('red: ')
    expect(s.push('1mRED\x1b')).toBe('RED')
    expect(s.push('[0m done')).toBe(' done')
    expect(s.end()).toBe('')
  })

  it('keeps \\r\\n cut between chunks as one line end', () => {
    const s = new HarmlessStream()
    expect(s.push('a\r') + s.push('\nb') + s.end()).toBe('a\nb')
  })

  it('gives back a held lone ESC at the end, visible', () => {
    const s = new HarmlessStream()
    expect(s.push('x\x1b') + s.end()).toBe('x\\x1b')
  })
})

describe('BoundedOutput', () => {
  it('keeps only the latest characters and counts what it dropped', () => {
    const out = new BoundedOutput(10)
    out.append('stdout', 'abcdef')
    out.append('stderr', 'ERR')
    out.append('stdout', 'ghij')
    expect(out.snapshot()).toEqual([
      { stream: 'stdout', text: 'def' },
      { stream: 'stderr', text: 'ERR' },
      { stream: 'stdout', text: 'ghij' },
    ])
    expect(out.dropped).toBe(3)
    expect(out.text('stdout')).toBe('defghij')
    out.append('stderr', 'XXXXXXXX')
    expect(out.snapshot()).toEqual([
      { stream: 'stdout', text: 'ij' },
      { stream: 'stderr', text: 'XXXXXXXX' },
    ])
  })

  it('takes one chunk larger than the limit, keeping its end', () => {
    const out = new BoundedOutput(4)
    out.append('stdout', '123456789')
    expect(out.text('stdout')).toBe('6789')
    expect(out.dropped).toBe(5)
  })
})
