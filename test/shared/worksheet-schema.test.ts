import { describe, expect, it } from 'vitest'
import {
  answersProblem,
  MAX_ANSWER_CHARS,
  migrateWorksheet,
  WorksheetSchema,
  WorksheetSpecSchema,
} from '@shared/worksheet'
import { protocolWorksheet } from '../fixtures/protocol-worksheet'

// A lab's worksheet is data a lab author writes and answers a student saves: each bound is
// checked at its edge, one inside and one outside, so a slip is caught when the lab loads.

const q = { id: 'format', title: 'Tq', name: 'nq', guidance: 'gq' }
const specOk = (spec: Record<string, unknown>) => WorksheetSpecSchema.safeParse(spec).success
const withQuestion = (extra: Record<string, unknown>) => specOk({ questions: [{ ...q, ...extra }] })
const choice = (options: unknown[], label = 'Lb') => ({ choice: { label, options } })
const option = (i: number) => ({ value: `o${i}`, label: `Option ${i}` })

describe('the worksheet a lab declares', () => {
  it('question ids: lower-case letters first, then letters, digits and dashes, at most 40', () => {
    for (const id of ['a', 'a-', 'format-2', 'a'.repeat(40)])
      expect(withQuestion({ id })).toBe(true)
    for (const id of ['', '1abc', '-a', 'aB', 'a_b', 'a b', 'é', 'a'.repeat(41), 'ok!']) {
      expect(withQuestion({ id }), id).toBe(false)
    }
    const bad = WorksheetSpecSchema.safeParse({ questions: [{ ...q, id: 'Q' }] })
    expect(bad.error?.issues[0]?.message).toBe('must be lower-case letters, digits and dashes')
  })

  it('every text a student reads is required, and may be longer than a letter', () => {
    for (const field of ['title', 'name', 'guidance', 'heading']) {
      expect(withQuestion({ [field]: '' }), field).toBe(false)
      expect(withQuestion({ [field]: 'Two words' }), field).toBe(true)
    }
    expect(specOk({ title: '', questions: [q] })).toBe(false)
    expect(specOk({ title: 'My sheet', questions: [q] })).toBe(true)
  })

  it('answer boxes are 2 to 12 lines; the fewest characters 1 to 500', () => {
    for (const rows of [2, 12]) expect(withQuestion({ rows })).toBe(true)
    for (const rows of [1, 13, 2.5]) expect(withQuestion({ rows })).toBe(false)
    for (const minChars of [1, 500]) expect(specOk({ minChars, questions: [q] })).toBe(true)
    for (const minChars of [0, 501, 1.5]) expect(specOk({ minChars, questions: [q] })).toBe(false)
  })

  it('one to twelve questions', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ ...q, id: `q${i}` }))
    expect(specOk({ questions: many(12) })).toBe(true)
    expect(specOk({ questions: many(13) })).toBe(false)
    expect(specOk({ questions: [] })).toBe(false)
  })

  it('a choice has 2 to 6 options, each with a label, and a label of its own', () => {
    expect(withQuestion(choice([option(1), option(2)]))).toBe(true)
    expect(withQuestion(choice([1, 2, 3, 4, 5, 6].map(option)))).toBe(true)
    expect(withQuestion(choice([1, 2, 3, 4, 5, 6, 7].map(option)))).toBe(false)
    expect(withQuestion(choice([option(1)]))).toBe(false)
    expect(withQuestion(choice([option(1), { value: 'o2', label: '' }]))).toBe(false)
    expect(withQuestion(choice([option(1), { value: 'O2', label: 'Two' }]))).toBe(false)
    expect(withQuestion(choice([option(1), option(2)], ''))).toBe(false)
  })

  it('the export names a plain .py file, with a title and a sentence why', () => {
    const exportOk = (e: Record<string, unknown>) =>
      specOk({
        questions: [q],
        export: { title: 'Protocol design', file: 'head.py', help: 'Put it on top.', ...e },
      })
    expect(exportOk({})).toBe(true)
    for (const file of ['a.py', 'my_protocol-2.py', 'v1.2.py'])
      expect(exportOk({ file }), file).toBe(true)
    for (const file of ['.py', 'a.pyc', 'a.py.txt', 'dir/a.py', 'a b.py', 'a.PY', '']) {
      expect(exportOk({ file }), file).toBe(false)
    }
    const named = WorksheetSpecSchema.safeParse({
      questions: [q],
      export: { title: 'T', file: 'a.txt', help: 'h' },
    })
    expect(named.error?.issues[0]?.message).toBe('must name a .py file')
    expect(exportOk({ title: '' })).toBe(false)
    expect(exportOk({ help: '' })).toBe(false)
  })
})

describe('the answers a student saves', () => {
  const ok = (sheet: unknown) => WorksheetSchema.safeParse(sheet).success

  it('an answer is at most 2000 characters; a pick and a time at most 40', () => {
    expect(ok({ answers: { format: 'x'.repeat(MAX_ANSWER_CHARS) } })).toBe(true)
    expect(ok({ answers: { format: 'x'.repeat(MAX_ANSWER_CHARS + 1) } })).toBe(false)
    expect(ok({ choices: { transport: 'c'.repeat(40) } })).toBe(true)
    expect(ok({ choices: { transport: 'c'.repeat(41) } })).toBe(false)
    expect(ok({ savedAt: 't'.repeat(40) })).toBe(true)
    expect(ok({ savedAt: 't'.repeat(41) })).toBe(false)
  })

  it('at most twelve answers and twelve picks, keyed by question ids', () => {
    const keyed = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`q${i}`, 'x']))
    expect(ok({ answers: keyed(12), choices: keyed(12) })).toBe(true)
    expect(ok({ answers: keyed(13) })).toBe(false)
    expect(ok({ choices: keyed(13) })).toBe(false)
    const many = WorksheetSchema.safeParse({ answers: keyed(13) })
    expect(many.error?.issues[0]?.message).toBe('at most 12 answers')
  })

  it('a pick for a question the lab does not ask is named as such', () => {
    expect(answersProblem(protocolWorksheet(), { answers: {}, choices: { colour: 'blue' } })).toBe(
      'This worksheet has no choice to make for "colour"',
    )
  })
})

describe('migrating a worksheet of the first shape', () => {
  it('copies only what was there: nothing invented for a field left out', () => {
    expect(migrateWorksheet({ transport: 'tcp' })).toStrictEqual({
      answers: {},
      choices: { transport: 'tcp' },
    })
    expect(migrateWorksheet({ transportWhy: 'Order matters here.' })).toStrictEqual({
      answers: { transport: 'Order matters here.' },
      choices: {},
    })
    expect(migrateWorksheet({ ending: 'QUIT', savedAt: 'then' })).toStrictEqual({
      answers: { ending: 'QUIT' },
      choices: {},
      savedAt: 'then',
    })
  })

  it('leaves a sheet of today’s shape alone, with answers only or picks only', () => {
    const answersOnly = { answers: { format: 'x' } }
    const picksOnly = { choices: { transport: 'udp' } }
    expect(migrateWorksheet(answersOnly)).toBe(answersOnly)
    expect(migrateWorksheet(picksOnly)).toBe(picksOnly)
    expect(migrateWorksheet(undefined)).toBe(undefined)
    expect(migrateWorksheet(42)).toBe(42)
  })
})
