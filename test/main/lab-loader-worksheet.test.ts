import { describe, expect, it } from 'vitest'
import { loadChangedLab as loadChanged } from './helpers'

const question = (id: string) => ({
  id,
  title: `Question ${id}?`,
  name: id,
  guidance: 'Say it in a sentence.',
})

describe('a lab’s worksheet, checked when the lab loads', () => {
  it('is data: its questions reach the renderer with their defaults filled in', async () => {
    const r = await loadChanged((doc) => {
      doc.worksheet = { questions: [question('framing'), { ...question('ending'), rows: 5 }] }
      doc.steps[0]!.panels = ['worksheet']
    })
    expect('lab' in r && r.lab.worksheet).toEqual({
      title: 'Design worksheet',
      minChars: 15,
      questions: [
        { ...question('framing'), placeholder: '', rows: 3 },
        { ...question('ending'), placeholder: '', rows: 5 },
      ],
    })
  })

  it('a worksheet panel or checkpoint with no questions names the field at fault', async () => {
    const r = await loadChanged((doc) => {
      doc.steps[0]!.panels = ['stats', 'worksheet']
      doc.checkpoints[1]!.rule = { kind: 'worksheet-complete' }
    })
    expect(r).toEqual({
      errors: [
        {
          file: 'echo/lab.yaml',
          field: 'steps.0.panels.1',
          message: 'the worksheet panel needs questions: add a worksheet section to the lab',
        },
        {
          file: 'echo/lab.yaml',
          field: 'checkpoints.1.rule.kind',
          message: 'worksheet-complete needs questions: add a worksheet section to the lab',
        },
      ],
    })
  })

  it('two questions with one id, a bad id and a one-option choice are each named', async () => {
    const twice = await loadChanged((doc) => {
      doc.worksheet = { questions: [question('ending'), question('format'), question('ending')] }
    })
    expect(twice).toEqual({
      errors: [
        {
          file: 'echo/lab.yaml',
          field: 'worksheet.questions.2.id',
          message: 'duplicate question id "ending"',
        },
      ],
    })
    const bad = await loadChanged((doc) => {
      doc.worksheet = {
        questions: [
          { ...question('Format') },
          {
            ...question('transport'),
            choice: { label: 'T', options: [{ value: 'tcp', label: 'TCP' }] },
          },
        ],
      }
    })
    expect(bad).toEqual({
      errors: [
        {
          file: 'echo/lab.yaml',
          field: 'worksheet.questions.0.id',
          message: 'must be lower-case letters, digits and dashes',
        },
        {
          file: 'echo/lab.yaml',
          field: 'worksheet.questions.1.choice.options',
          message: 'give at least two options',
        },
      ],
    })
  })
})
