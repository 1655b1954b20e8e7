import { z } from 'zod'

/**
 * The protocol design worksheet (lab 5): four questions a student answers before writing
 * code. Saved with progress per lab, checked by the `worksheet-complete` checkpoint and
 * exported as the comment block at the top of each of the student's files.
 */

/** Longest answer kept: a few paragraphs, never a pasted program. */
export const MAX_ANSWER_CHARS = 2000
/** Fewest characters (spaces collapsed) that count as an answer rather than a placeholder. */
export const MIN_ANSWER_CHARS = 15

const answer = (field: string) =>
  z
    .string()
    .max(
      MAX_ANSWER_CHARS,
      `${field} is too long: keep it under ${MAX_ANSWER_CHARS} characters (a short paragraph is enough)`,
    )
    .default('')

export const TransportChoiceSchema = z.enum(['tcp', 'udp'])
export type TransportChoice = z.infer<typeof TransportChoiceSchema>

export const WorksheetSchema = z.object({
  /** TCP or UDP; absent until the student picks one. */
  transport: TransportChoiceSchema.optional(),
  transportWhy: answer('The reason for the transport'),
  format: answer('The message format'),
  malformed: answer('The malformed-message reply'),
  ending: answer('How the exchange ends'),
  /** When it was last saved (ISO time), set by main. */
  savedAt: z.string().max(40).optional(),
})
export type Worksheet = z.infer<typeof WorksheetSchema>

export const emptyWorksheet = (): Worksheet => ({
  transportWhy: '',
  format: '',
  malformed: '',
  ending: '',
})

export type WorksheetQuestion = 'transport' | 'format' | 'malformed' | 'ending'
export const worksheetQuestions: readonly WorksheetQuestion[] = [
  'transport',
  'format',
  'malformed',
  'ending',
]

/** How each question is named in a reason or an indicator. */
export const questionLabels: Record<WorksheetQuestion, string> = {
  transport: 'TCP or UDP, and why',
  format: 'message format',
  malformed: 'malformed-message reply',
  ending: 'how the exchange ends',
}

/** Length of an answer as a reader sees it: trimmed, runs of spaces and newlines as one. */
export function meaningfulLength(text: string | undefined): number {
  return (text ?? '').trim().replace(/\s+/g, ' ').length
}

export interface QuestionState {
  question: WorksheetQuestion
  answered: boolean
  /** What is still missing for this question, when it is not answered. */
  missing?: string
}

/** Each question's state, in worksheet order. */
export function worksheetStatus(sheet: Worksheet | undefined): QuestionState[] {
  const long = (text: string | undefined) => meaningfulLength(text) >= MIN_ANSWER_CHARS
  const short = `at least ${MIN_ANSWER_CHARS} characters`
  return worksheetQuestions.map((question): QuestionState => {
    if (question === 'transport') {
      if (!sheet?.transport) return { question, answered: false, missing: 'pick TCP or UDP' }
      if (!long(sheet.transportWhy))
        return { question, answered: false, missing: `say why (${short})` }
      return { question, answered: true }
    }
    if (!long(sheet?.[question])) return { question, answered: false, missing: short }
    return { question, answered: true }
  })
}

export function isWorksheetComplete(sheet: Worksheet | undefined): boolean {
  return worksheetStatus(sheet).every((s) => s.answered)
}
