import { z } from 'zod'

/**
 * A lab's design worksheet: questions a student answers before writing code (lab 5 asks
 * four about their protocol). The questions are lab data (`worksheet:` in lab.yaml); the
 * answers are saved with progress per lab, keyed by question id, checked by the
 * `worksheet-complete` checkpoint and exported as a comment block for the student's files.
 */

/** Longest answer kept: a few paragraphs, never a pasted program. */
export const MAX_ANSWER_CHARS = 2000
/** Fewest characters (spaces collapsed) that count as an answer, unless the lab says. */
export const DEFAULT_MIN_ANSWER_CHARS = 15
/** More questions than this is a questionnaire, not a worksheet (and bounds what is saved). */
export const MAX_QUESTIONS = 12

const key = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes')
  .max(40)

// ---- The questions, as a lab declares them ------------------------------------------------

export const WorksheetChoiceSchema = z.object({
  /** What is chosen, e.g. "Transport": read aloud with the buttons and used in the export. */
  label: z.string().min(1),
  options: z
    .array(z.object({ value: key, label: z.string().min(1) }))
    .min(2, 'give at least two options')
    .max(6),
})
export type WorksheetChoice = z.infer<typeof WorksheetChoiceSchema>

export const WorksheetQuestionSchema = z.object({
  id: key,
  /** The question as the student reads it. */
  title: z.string().min(1),
  /** A short name for it in a checkpoint's "still to answer" sentence. */
  name: z.string().min(1),
  guidance: z.string().min(1),
  placeholder: z.string().default(''),
  /** Height of the answer box, in lines. */
  rows: z.number().int().min(2).max(12).default(3),
  /** Its heading in the exported comment block; the title when left out. */
  heading: z.string().min(1).optional(),
  /** A pick among a few options (TCP or UDP) before the written answer, which then says why. */
  choice: WorksheetChoiceSchema.optional(),
})
export type WorksheetQuestion = z.infer<typeof WorksheetQuestionSchema>

export const WorksheetSpecSchema = z.object({
  title: z.string().min(1).default('Design worksheet'),
  /** Fewest characters (spaces collapsed) that make an answer rather than a placeholder. */
  minChars: z.number().int().min(1).max(500).default(DEFAULT_MIN_ANSWER_CHARS),
  /** The comment block the answers export to: its first line, its file name, a sentence why. */
  export: z
    .object({
      title: z.string().min(1),
      file: z.string().regex(/^[\w.-]+\.py$/, 'must name a .py file'),
      help: z.string().min(1),
    })
    .optional(),
  questions: z.array(WorksheetQuestionSchema).min(1).max(MAX_QUESTIONS),
})
export type WorksheetSpec = z.infer<typeof WorksheetSpecSchema>

// ---- The answers, as saved -----------------------------------------------------------------

const answerText = z
  .string()
  .max(
    MAX_ANSWER_CHARS,
    `This answer is too long: keep it under ${MAX_ANSWER_CHARS} characters (a short paragraph is enough)`,
  )

const bounded = <T extends z.ZodType>(value: T) =>
  z
    .record(key, value)
    .refine((r) => Object.keys(r).length <= MAX_QUESTIONS, {
      message: `at most ${MAX_QUESTIONS} answers`,
    })
    .default({})

export const WorksheetSchema = z.object({
  /** Each question's written answer, by question id. */
  answers: bounded(answerText),
  /** Each choice question's pick (an option's value), by question id. */
  choices: bounded(z.string().max(40)),
  /** When it was last saved (ISO time), set by main. */
  savedAt: z.string().max(40).optional(),
})
export type Worksheet = z.infer<typeof WorksheetSchema>

export const emptyWorksheet = (): Worksheet => ({ answers: {}, choices: {} })

/**
 * The answers as saved before questions were lab data (fixed fields for lab 5's four),
 * read into today's shape, so a student's old worksheet loads. Anything else is left as is.
 */
export function migrateWorksheet(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || 'answers' in raw || 'choices' in raw) return raw
  const old = raw as Record<string, unknown>
  const answers: Record<string, unknown> = {}
  const choices: Record<string, unknown> = {}
  if (old.transportWhy !== undefined) answers.transport = old.transportWhy
  for (const id of ['format', 'malformed', 'ending']) {
    if (old[id] !== undefined) answers[id] = old[id]
  }
  if (old.transport !== undefined) choices.transport = old.transport
  return { answers, choices, ...(old.savedAt !== undefined ? { savedAt: old.savedAt } : {}) }
}

/** Why answers do not fit a lab's worksheet (a question it does not ask, an unknown option). */
export function answersProblem(spec: WorksheetSpec, sheet: Worksheet): string | undefined {
  for (const id of Object.keys(sheet.answers)) {
    if (!spec.questions.some((q) => q.id === id)) {
      return `This worksheet has no question "${id}"`
    }
  }
  for (const [id, value] of Object.entries(sheet.choices)) {
    const q = spec.questions.find((q) => q.id === id)
    if (!q?.choice) return `This worksheet has no choice to make for "${id}"`
    if (!q.choice.options.some((o) => o.value === value)) {
      const allowed = q.choice.options.map((o) => o.value).join(', ')
      return `"${value}" is not an option for ${q.choice.label} (pick one of ${allowed})`
    }
  }
  return undefined
}

// ---- Which questions are answered ----------------------------------------------------------

/** Length of an answer as a reader sees it: trimmed, runs of spaces and newlines as one. */
export function meaningfulLength(text: string | undefined): number {
  return (text ?? '').trim().replace(/\s+/g, ' ').length
}

export interface QuestionState {
  question: string
  answered: boolean
  /** What is still missing for this question, when it is not answered. */
  missing?: string
}

/** The label of the option picked for a choice question, if one is. */
export function chosenLabel(
  q: WorksheetQuestion,
  sheet: Worksheet | undefined,
): string | undefined {
  const value = sheet?.choices[q.id]
  return q.choice?.options.find((o) => o.value === value)?.label
}

/** Each question's state, in worksheet order. */
export function worksheetStatus(
  spec: WorksheetSpec,
  sheet: Worksheet | undefined,
): QuestionState[] {
  const short = `at least ${spec.minChars} characters`
  return spec.questions.map((q): QuestionState => {
    const question = q.id
    if (q.choice && !chosenLabel(q, sheet)) {
      const options = q.choice.options.map((o) => o.label)
      const pick = `${options.slice(0, -1).join(', ')} or ${options.at(-1)}`
      return { question, answered: false, missing: `pick ${pick}` }
    }
    if (meaningfulLength(sheet?.answers[q.id]) < spec.minChars) {
      return { question, answered: false, missing: q.choice ? `say why (${short})` : short }
    }
    return { question, answered: true }
  })
}

export function isWorksheetComplete(spec: WorksheetSpec, sheet: Worksheet | undefined): boolean {
  return worksheetStatus(spec, sheet).every((s) => s.answered)
}
