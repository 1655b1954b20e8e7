import { CheckSchema, type Check, type ExpectMode } from '@shared/checks'

/** A check as the editor's fields hold it: all text, as typed, until it is saved. */
export interface CheckDraft {
  id: string
  name: string
  proto: 'tcp' | 'udp'
  send: string
  newline: boolean
  mode: ExpectMode
  value: string
  /** Seconds, as typed ("2", "0.5", "0,5"). */
  within: string
}

/** The editor's fields an error can be shown under; `form` is any other problem. */
export type DraftField = 'name' | 'send' | 'value' | 'within' | 'form'

export type DraftErrors = Partial<Record<DraftField, string>>

export function newDraft(id: string): CheckDraft {
  return {
    id,
    name: '',
    proto: 'tcp',
    send: '',
    newline: true,
    mode: 'exact',
    value: '',
    within: '2',
  }
}

export function draftOf(check: Check): CheckDraft {
  return {
    id: check.id,
    name: check.name,
    proto: check.proto,
    send: check.send,
    newline: check.newline,
    mode: check.expect.mode,
    value: check.expect.value,
    within: String(check.withinMs / 1000),
  }
}

/** The schema's path of a problem, as the field the student should fix. */
function fieldOf(path: readonly PropertyKey[]): DraftField {
  const [first, second] = path
  if (first === 'name' || first === 'send') return first
  if (first === 'expect' && second === 'value') return 'value'
  if (first === 'withinMs') return 'within'
  return 'form'
}

/** The draft as a check, or the first problem of each field, in the student's words. */
export function checkFromDraft(
  draft: CheckDraft,
): { ok: true; check: Check } | { ok: false; errors: DraftErrors } {
  const errors: DraftErrors = {}
  const within = draft.within.trim()
  const seconds = Number(within.replace(',', '.'))
  if (within === '' || !Number.isFinite(seconds)) {
    errors.within = 'Time limit: enter seconds, such as 2 or 0.5'
  }
  const parsed = CheckSchema.safeParse({
    id: draft.id,
    name: draft.name,
    proto: draft.proto,
    send: draft.send,
    newline: draft.newline,
    expect: { mode: draft.mode, value: draft.value },
    withinMs: Math.round(seconds * 1000),
  })
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors[fieldOf(issue.path)] ??= issue.message
  }
  return parsed.success && !errors.within ? { ok: true, check: parsed.data } : { ok: false, errors }
}
