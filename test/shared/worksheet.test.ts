import { describe, expect, it } from 'vitest'
import {
  answersProblem,
  emptyWorksheet,
  isWorksheetComplete,
  MAX_ANSWER_CHARS,
  meaningfulLength,
  migrateWorksheet,
  WorksheetSchema,
  WorksheetSpecSchema,
  worksheetStatus,
  type Worksheet,
} from '@shared/worksheet'
import { worksheetCommentBlock, wrap } from '@shared/worksheet-export'
import { completeAnswers, protocolWorksheet } from '../fixtures/protocol-worksheet'

const spec = protocolWorksheet()
const complete = completeAnswers()
const withAnswer = (id: string, text: string): Worksheet => ({
  ...complete,
  answers: { ...complete.answers, [id]: text },
})

describe('worksheet completeness', () => {
  it('an empty worksheet misses all four, each with what is missing', () => {
    expect(worksheetStatus(spec, emptyWorksheet())).toEqual([
      { question: 'transport', answered: false, missing: 'pick TCP or UDP' },
      { question: 'format', answered: false, missing: 'at least 15 characters' },
      { question: 'malformed', answered: false, missing: 'at least 15 characters' },
      { question: 'ending', answered: false, missing: 'at least 15 characters' },
    ])
    expect(isWorksheetComplete(spec, undefined)).toBe(false)
  })

  it('a transport without a reason is not an answer, nor a reason without a transport', () => {
    const sheet = withAnswer('transport', 'fast')
    expect(worksheetStatus(spec, sheet)[0]).toEqual({
      question: 'transport',
      answered: false,
      missing: 'say why (at least 15 characters)',
    })
    expect(isWorksheetComplete(spec, sheet)).toBe(false)
    const noPick = { ...complete, choices: {} }
    expect(worksheetStatus(spec, noPick)[0]!.missing).toBe('pick TCP or UDP')
    // A pick that is not one of the options is no pick.
    const unknown = { ...complete, choices: { transport: 'sctp' } }
    expect(isWorksheetComplete(spec, unknown)).toBe(false)
  })

  it('whitespace padding does not make a placeholder meaningful', () => {
    expect(meaningfulLength('  a      b \n\n\n  c  ')).toBe(5)
    const padded = withAnswer('ending', `x${' '.repeat(40)}y`)
    expect(isWorksheetComplete(spec, padded)).toBe(false)
    expect(
      worksheetStatus(spec, padded)
        .filter((s) => !s.answered)
        .map((s) => s.question),
    ).toEqual(['ending'])
  })

  it('counts exactly the lab’s fewest characters: one short is not enough', () => {
    const at = (n: number) => withAnswer('format', 'x'.repeat(n))
    expect(isWorksheetComplete(spec, at(spec.minChars))).toBe(true)
    expect(isWorksheetComplete(spec, at(spec.minChars - 1))).toBe(false)
    const strict = { ...spec, minChars: 40 }
    expect(isWorksheetComplete(strict, complete)).toBe(true)
    expect(worksheetStatus({ ...spec, minChars: 100 }, complete)[1]!.missing).toBe(
      'at least 100 characters',
    )
  })

  it('four real answers are complete', () => {
    expect(isWorksheetComplete(spec, complete)).toBe(true)
  })

  it('the schema fills missing answers and names an answer that is too long', () => {
    expect(WorksheetSchema.parse({})).toEqual(emptyWorksheet())
    const tooLong = WorksheetSchema.safeParse({
      answers: { format: 'x'.repeat(MAX_ANSWER_CHARS + 1) },
    })
    expect(tooLong.success).toBe(false)
    expect(tooLong.error!.issues[0]!.path).toEqual(['answers', 'format'])
    expect(tooLong.error!.issues[0]!.message).toMatch(/answer is too long.*2000/i)
    expect(WorksheetSchema.safeParse({ answers: { 'Bad Id': 'x' } }).success).toBe(false)
    const many = Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`q${i}`, 'x']))
    expect(WorksheetSchema.safeParse({ answers: many }).success).toBe(false)
  })

  it('answers must fit the lab’s questions and options', () => {
    expect(answersProblem(spec, complete)).toBeUndefined()
    expect(answersProblem(spec, withAnswer('colour', 'blue, mostly blue'))).toBe(
      'This worksheet has no question "colour"',
    )
    expect(answersProblem(spec, { ...complete, choices: { format: 'tcp' } })).toBe(
      'This worksheet has no choice to make for "format"',
    )
    expect(answersProblem(spec, { ...complete, choices: { transport: 'sctp' } })).toBe(
      '"sctp" is not an option for Transport (pick one of tcp, udp)',
    )
  })
})

describe('worksheets saved before questions were lab data', () => {
  it('read into answers by question id, every old field kept', () => {
    const old = {
      transport: 'udp',
      transportWhy: 'Each reading stands alone; a lost one is fine.',
      format: 'READING <n>\\n',
      malformed: 'Ignored, no reply.',
      ending: 'Never: the sensor sends forever.',
      savedAt: '2026-11-30T10:00:00.000Z',
    }
    const sheet = WorksheetSchema.parse(migrateWorksheet(old))
    expect(sheet).toEqual({
      choices: { transport: 'udp' },
      answers: {
        transport: old.transportWhy,
        format: old.format,
        malformed: old.malformed,
        ending: old.ending,
      },
      savedAt: old.savedAt,
    })
    expect(answersProblem(spec, sheet)).toBeUndefined()
  })

  it('leave today’s shape, half-filled old sheets and non-objects as they are', () => {
    const today = { answers: { format: 'x' }, choices: {} }
    expect(migrateWorksheet(today)).toBe(today)
    expect(migrateWorksheet({ choices: {} })).toEqual({ choices: {} })
    expect(migrateWorksheet('tcp')).toBe('tcp')
    expect(migrateWorksheet(null)).toBe(null)
    expect(migrateWorksheet({ format: 'only this' })).toEqual({
      answers: { format: 'only this' },
      choices: {},
    })
  })
})

describe('the worksheet as lab data', () => {
  it('needs questions, ids in lower case and at least two options for a choice', () => {
    const q = { id: 'format', title: 'T', name: 'n', guidance: 'g' }
    expect(WorksheetSpecSchema.safeParse({ questions: [] }).success).toBe(false)
    expect(WorksheetSpecSchema.safeParse({ questions: [{ ...q, id: 'Format' }] }).success).toBe(
      false,
    )
    const oneOption = { ...q, choice: { label: 'L', options: [{ value: 'a', label: 'A' }] } }
    const parsed = WorksheetSpecSchema.safeParse({ questions: [oneOption] })
    expect(parsed.error?.issues[0]?.message).toBe('give at least two options')
    expect(WorksheetSpecSchema.parse({ questions: [q] })).toMatchObject({
      title: 'Design worksheet',
      minChars: 15,
      questions: [{ placeholder: '', rows: 3 }],
    })
  })

  it('a choice with three options names them all in what is missing', () => {
    const three = WorksheetSpecSchema.parse({
      questions: [
        {
          id: 'shape',
          title: 'Which shape?',
          name: 'shape',
          guidance: 'g',
          choice: {
            label: 'Shape',
            options: [
              { value: 'line', label: 'Lines' },
              { value: 'length', label: 'Length prefix' },
              { value: 'fixed', label: 'Fixed size' },
            ],
          },
        },
      ],
    })
    expect(worksheetStatus(three, emptyWorksheet())[0]!.missing).toBe(
      'pick Lines, Length prefix or Fixed size',
    )
  })
})

describe('worksheetCommentBlock', () => {
  it('writes every answer under its heading as Python comments, 79 columns at most', () => {
    const block = worksheetCommentBlock(
      { ...spec, export: { ...spec.export!, title: 'Calculator protocol' } },
      complete,
    )
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
      answers: { format: 'GET key\n\nSET key value ' + 'word '.repeat(40) },
    }
    const block = worksheetCommentBlock(spec, sheet, { width: 50 })
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
