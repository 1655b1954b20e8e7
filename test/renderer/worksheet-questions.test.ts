import { describe, expect, it } from 'vitest'
import { emptyWorksheet, worksheetStatus, type Worksheet } from '@shared/worksheet'
import { formatClock } from '@renderer/format'
import { QUESTIONS, saveLabel, stillNeeded } from '@renderer/features/worksheet/worksheet-questions'

function needs(sheet: Worksheet): Record<string, string> {
  const status = worksheetStatus(sheet)
  return Object.fromEntries(QUESTIONS.map((q, i) => [q.id, stillNeeded(q, sheet, status[i]!)]))
}

describe('worksheet questions', () => {
  it('asks the four questions of the shared worksheet, in its order', () => {
    expect(QUESTIONS.map((q) => q.id)).toEqual(worksheetStatus(undefined).map((s) => s.question))
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
        ...emptyWorksheet(),
        transport: 'udp',
        transportWhy: 'short',
        format: 'one line per request',
        malformed: '   ',
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
