import { describe, expect, it } from 'vitest'
import type { Check } from '@shared/checks'
import { checkFromDraft, draftOf, newDraft } from '@renderer/features/checks/check-draft'

const adds: Check = {
  id: 'check-1',
  name: 'adds',
  proto: 'udp',
  send: '2+3',
  newline: false,
  expect: { mode: 'contains', value: 'OK' },
  withinMs: 500,
}

describe('check draft', () => {
  it('opens a check as its fields and saves it back unchanged', () => {
    const draft = draftOf(adds)
    expect(draft.within).toBe('0.5')
    expect(checkFromDraft(draft)).toEqual({ ok: true, check: adds })
  })

  it('takes a decimal comma in the time limit', () => {
    const draft = { ...newDraft('check-2'), name: 'n', send: 'x', value: 'y', within: '1,5' }
    expect(checkFromDraft(draft)).toMatchObject({ ok: true, check: { withinMs: 1500 } })
  })

  it('names the field of each problem, one message per field, the time limit in seconds', () => {
    const draft = { ...newDraft('check-2'), mode: 'regex' as const, value: '^(', within: 'soon' }
    const parsed = checkFromDraft(draft)
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    expect(parsed.errors).toEqual({
      name: 'Name the check',
      send: 'Nothing to send: type a message',
      value: 'Not a valid pattern: Unterminated group',
      within: 'Time limit: enter seconds, such as 2 or 0.5',
    })
  })

  it("gives the schema's limit for a number of seconds out of range", () => {
    const draft = { ...draftOf(adds), within: '0' }
    expect(checkFromDraft(draft)).toEqual({
      ok: false,
      errors: { within: 'Time limit must be at least 10 ms' },
    })
  })
})
