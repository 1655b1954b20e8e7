import {
  meaningfulLength,
  type QuestionState,
  type Worksheet,
  type WorksheetQuestion,
  type WorksheetSpec,
} from '@shared/worksheet'
import { formatClock } from '@renderer/format'
import type { SaveState } from './worksheet-store'

/** What an unanswered question still needs, in a few words. */
export function stillNeeded(
  spec: WorksheetSpec,
  q: WorksheetQuestion,
  sheet: Worksheet,
  state: QuestionState,
): string {
  if (state.answered) return 'Answered'
  if (q.choice && !sheet.choices[q.id]) {
    const labels = q.choice.options.map((o) => o.label)
    return `Pick ${labels.slice(0, -1).join(', ')} or ${labels.at(-1)}`
  }
  const have = meaningfulLength(sheet.answers[q.id])
  return have === 0 ? 'Not answered yet' : `${spec.minChars - have} more characters`
}

/** The save indicator's words. */
export function saveLabel(state: SaveState, error: string, savedAt: string | undefined): string {
  switch (state) {
    case 'loading':
      return 'Loading…'
    case 'saving':
      return 'Saving…'
    case 'unsaved':
      return 'Unsaved changes'
    case 'error':
      return error
    case 'saved':
      return savedAt ? `Saved at ${formatClock(savedAt)}` : 'Saved'
  }
}
