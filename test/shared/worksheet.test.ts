import { describe, expect, it } from 'vitest'
import {
  emptyWorksheet,
  isWorksheetComplete,
  MAX_ANSWER_CHARS,
  meaningfulLength,
  WorksheetSchema,
  worksheetStatus,
  type Worksheet,
} from '@shared/worksheet'
import { worksheetCommentBlock, wrap } from '@shared/worksheet-export'

const complete: Worksheet = {
  transport: 'tcp',
  transportWhy: 'Every request needs exactly one reply, in order, so a stream fits.',
  format: 'One request per line: an expression, then \\n. Reply: OK <number> or ERROR <reason>.',
  malformed: 'ERROR followed by what was wrong and where; the connection stays open.',
  ending: 'The client closes when it is done; the server sees end-of-stream and closes too.',
}

describe('worksheet completeness', () => {
  it('an empty worksheet misses all four, each with what is missing', () => {
    expect(worksheetStatus(emptyWorksheet())).toEqual([
      { question: 'transport', answered: false, missing: 'pick TCP or UDP' },
      { question: 'format', answered: false, missing: 'at least 15 characters' },
      { question: 'malformed', answered: false, missing: 'at least 15 characters' },
      { question: 'ending', answered: false, missing: 'at least 15 characters' },
    ])
    expect(isWorksheetComplete(undefined)).toBe(false)
  })

  it('a transport without a reason is not an answer', () => {
    const sheet = { ...complete, transportWhy: 'fast' }
    expect(worksheetStatus(sheet)[0]).toEqual({
      question: 'transport',
      answered: false,
      missing: 'say why (at least 15 characters)',
    })
    expect(isWorksheetComplete(sheet)).toBe(false)
  })

  it('whitespace padding does not make a placeholder meaningful', () => {
    expect(meaningfulLength('  a      b \n\n\n  c  ')).toBe(5)
    const padded = { ...complete, ending: `x${' '.repeat(40)}y` }
    expect(isWorksheetComplete(padded)).toBe(false)
    expect(
      worksheetStatus(padded)
        .filter((s) => !s.answered)
        .map((s) => s.question),
    ).toEqual(['ending'])
  })

  it('four real answers are complete', () => {
    expect(isWorksheetComplete(complete)).toBe(true)
  })

  it('the schema fills missing answers and names an answer that is too long', () => {
    expect(WorksheetSchema.parse({})).toEqual(emptyWorksheet())
    const tooLong = WorksheetSchema.safeParse({ format: 'x'.repeat(MAX_ANSWER_CHARS + 1) })
    expect(tooLong.success).toBe(false)
    expect(tooLong.error!.issues[0]!.path).toEqual(['format'])
    expect(tooLong.error!.issues[0]!.message).toMatch(/message format is too long.*2000/i)
    expect(WorksheetSchema.safeParse({ transport: 'sctp' }).success).toBe(false)
  })
})

describe('worksheetCommentBlock', () => {
  it('writes every answer under its heading as Python comments, 79 columns at most', () => {
    const block = worksheetCommentBlock(complete, { title: 'Calculator protocol' })
    expect(Math.max(...block.split('\n').map((l) => l.length))).toBe(79)
    expect(block).toBe(
      [
        '# Calculator protocol',
        '#',
        '# Transport: TCP',
        '#   Every request needs exactly one reply, in order, so a stream fits.',
        '#',
        '# Message format:',
        '#   One request per line: an expression, then \\n. Reply: OK <number> or ERROR',
        '#   <reason>.',
        '#',
        '# A malformed message gets:',
        '#   ERROR followed by what was wrong and where; the connection stays open.',
        '#',
        '# How the exchange ends, and who ends it:',
        '#   The client closes when it is done; the server sees end-of-stream and closes',
        '#   too.',
        '',
      ].join('\n'),
    )
  })

  it('every line is a comment within the width, and blank answers say so', () => {
    const sheet = {
      ...emptyWorksheet(),
      format: 'GET key\n\nSET key value ' + 'word '.repeat(40),
    }
    const block = worksheetCommentBlock(sheet, { width: 50 })
    const lines = block.trimEnd().split('\n')
    for (const line of lines) {
      expect(line.startsWith('#')).toBe(true)
      expect(line.length).toBeLessThanOrEqual(50)
    }
    expect(lines).toContain('# Transport: (not answered yet)')
    expect(lines).toContain('#   GET key')
    // The blank line between paragraphs stays, as a bare '#'.
    expect(lines[lines.indexOf('#   GET key') + 1]).toBe('#')
    expect(lines.filter((l) => l === '#   (not answered yet)')).toHaveLength(2)
  })

  it('wrap never cuts a long word and never makes an empty line', () => {
    expect(wrap('a verylongwordthatdoesnotfit b', 6)).toEqual([
      'a',
      'verylongwordthatdoesnotfit',
      'b',
    ])
    expect(wrap('   ', 10)).toEqual([])
  })
})
