import { describe, expect, it } from 'vitest'
import { emptyWorksheet, worksheetStatus, type Worksheet } from '@shared/worksheet'
import { formatClock } from '@renderer/format'
import { saveLabel, stillNeeded } from '@renderer/features/worksheet/worksheet-questions'
import { protocolWorksheet } from '../fixtures/protocol-worksheet'

const spec = protocolWorksheet()

function needs(sheet: Worksheet): Record<string, string> {
  const status = worksheetStatus(spec, sheet)
  return Object.fromEntries(
    spec.questions.map((q, i) => [q.id, stillNeeded(spec, q, sheet, status[i]!)]),
  )
}

describe('worksheet questions', () => {
  it('lab 5 asks its four questions, in the order its lab.yaml gives them', () => {
    expect(spec.questions.map((q) => q.id)).toEqual(['transport', 'format', 'malformed', 'ending'])
  })

  it('says what each question still needs', () => {
    expect(needs(emptyWorksheet())).toEqual({
      transport: 'Pick TCP or UDP',
      format: 'Not answered yet',
      malformed: 'Not answered yet',
      ending: 'Not answered yet',
    })
    expect(
      needs({
        choices: { transport: 'udp' },
        answers: { transport: 'short', format: 'one line per request', malformed: '   ' },
      }),
    ).toEqual({
      transport: '10 more characters',
      format: 'Answered',
      malformed: 'Not answered yet',
      ending: 'Not answered yet',
    })
  })

  it('words the save state, with the time of the last save', () => {
    const at = '2025-01-01T10:00:00.000Z'
    expect(saveLabel('loading', '', undefined)).toBe('Loading…')
    expect(saveLabel('saving', '', at)).toBe('Saving…')
    expect(saveLabel('unsaved', '', at)).toBe('Unsaved changes')
    expect(saveLabel('error', 'Not saved: the disk is full', at)).toBe(
      'Not saved: the disk is full',
    )
    expect(saveLabel('saved', '', at)).toBe(`Saved at ${formatClock(at)}`)
    expect(saveLabel('saved', '', undefined)).toBe('Saved')
  })
})
