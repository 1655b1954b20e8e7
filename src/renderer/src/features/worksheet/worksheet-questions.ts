import {
  MIN_ANSWER_CHARS,
  meaningfulLength,
  type QuestionState,
  type Worksheet,
  type WorksheetQuestion,
} from '@shared/worksheet'
import { formatClock } from '@renderer/format'
import type { SaveState } from './worksheet-store'

/** The worksheet's free-text answers (the transport choice itself is a pair of buttons). */
export type TextField = 'transportWhy' | 'format' | 'malformed' | 'ending'

/** One question as the worksheet asks it: its words, and where its written answer goes. */
export interface Question {
  id: WorksheetQuestion
  field: TextField
  title: string
  guidance: string
  placeholder: string
}

export const QUESTIONS: readonly Question[] = [
  {
    id: 'transport',
    field: 'transportWhy',
    title: 'TCP or UDP, and why?',
    guidance:
      'TCP gives you one connection and a stream of bytes that arrive complete and in order. UDP sends separate datagrams with no connection: each may be lost, duplicated or reordered.',
    placeholder: 'Why this transport fits your protocol…',
  },
  {
    id: 'format',
    field: 'format',
    title: 'The exact message format',
    guidance:
      'Which bytes make one message, and how does the receiver know where it ends? Give one request and its reply, character for character.',
    placeholder: 'e.g. one request per line: GET <key>\\n, reply VALUE <text>\\n',
  },
  {
    id: 'malformed',
    field: 'malformed',
    title: 'What does a malformed message get?',
    guidance:
      'What the receiver sends back for something it cannot understand, and whether the connection stays open afterwards.',
    placeholder: 'e.g. ERROR <reason>\\n, and the server keeps the connection open',
  },
  {
    id: 'ending',
    field: 'ending',
    title: 'How does the exchange end, and who ends it?',
    guidance:
      'After one reply, after a goodbye message, on a timeout, or never? Which side closes first, and what does the other side see?',
    placeholder: 'e.g. the client sends QUIT; the server replies BYE and closes',
  },
]

/** What an unanswered question still needs, in a few words. */
export function stillNeeded(q: Question, sheet: Worksheet, state: QuestionState): string {
  if (state.answered) return 'Answered'
  if (q.id === 'transport' && !sheet.transport) return 'Pick TCP or UDP'
  const have = meaningfulLength(sheet[q.field])
  return have === 0 ? 'Not answered yet' : `${MIN_ANSWER_CHARS - have} more characters`
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
