import { z } from 'zod'
import { ProtocolSchema } from './trace'

/**
 * The student's own checks (lab 5): send this, expect a reply matching that, within this
 * time. Declared once here: the checks panel, the `checks:*` channels, the runner and the
 * progress file all use these schemas.
 */
export const expectModes = ['exact', 'contains', 'regex'] as const
export const ExpectModeSchema = z.enum(expectModes, {
  error: 'Expect mode must be "exact", "contains" or "regex"',
})
export type ExpectMode = z.infer<typeof ExpectModeSchema>

export const MAX_CHECKS = 50
export const MAX_SEND_CHARS = 1000
export const MIN_WITHIN_MS = 10
export const MAX_WITHIN_MS = 60_000

const ExpectSchema = z
  .object({
    mode: ExpectModeSchema,
    value: z.string().max(MAX_SEND_CHARS, `Expected reply is too long (max ${MAX_SEND_CHARS})`),
  })
  .superRefine((expect, ctx) => {
    if (expect.mode !== 'regex') return
    const problem = regexProblem(expect.value)
    if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem })
  })

export const CheckSchema = z.object({
  id: z
    .string()
    .min(1, 'Check id is empty')
    .max(40)
    .regex(/^[A-Za-z0-9_-]+$/, 'Check id must be letters, digits, _ and -'),
  name: z.string().trim().min(1, 'Name the check').max(80, 'Name is too long (max 80)'),
  proto: ProtocolSchema,
  /** What is sent, escapes \n \r \t \\ allowed; see decodeEscapes. */
  send: z
    .string()
    .min(1, 'Nothing to send: type a message')
    .max(MAX_SEND_CHARS, `Message is too long (max ${MAX_SEND_CHARS})`),
  /** Add a \n after `send`: one message per line, as the example TCP protocols frame them. */
  newline: z.boolean().default(true),
  expect: ExpectSchema,
  withinMs: z
    .number({ error: 'Time limit must be a number of milliseconds' })
    .int('Time limit must be a whole number of milliseconds')
    .min(MIN_WITHIN_MS, `Time limit must be at least ${MIN_WITHIN_MS} ms`)
    .max(MAX_WITHIN_MS, `Time limit must be at most ${MAX_WITHIN_MS / 1000} s`),
})
export type Check = z.infer<typeof CheckSchema>
export type CheckInput = z.input<typeof CheckSchema>

export const CheckListSchema = z
  .array(CheckSchema)
  .max(MAX_CHECKS, `At most ${MAX_CHECKS} checks`)
  .superRefine((checks, ctx) => {
    const seen = new Set<string>()
    checks.forEach((check, i) => {
      if (seen.has(check.id)) {
        ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `Duplicate check id ${check.id}` })
      }
      seen.add(check.id)
    })
  })

/** Why `pattern` is not a usable regular expression, or undefined when it is. */
export function regexProblem(pattern: string): string | undefined {
  if (pattern === '') return 'The pattern is empty: it would match any reply'
  try {
    new RegExp(pattern)
    return undefined
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    // V8 says "Invalid regular expression: /(/: Unterminated group"; keep the reason.
    const reason = detail.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '')
    return `Not a valid pattern: ${reason}`
  }
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\' }

/**
 * What the student typed, as sent: `\n`, `\r`, `\t` become those bytes and `\\` a single
 * backslash. Any other backslash stays as typed.
 */
export function decodeEscapes(typed: string): string {
  return typed.replace(/\\([nrt\\])/g, (_, ch: string) => ESCAPES[ch] ?? ch)
}

/** The checks panel shows sent and received text with the trace's escaping, uncut. */
export { showInvisible } from './trace'

/** The reply without its end of line: one message per line, the \n is framing. */
export function withoutLineEnd(reply: string): string {
  return reply.replace(/\r?\n$/, '')
}

export interface Comparison {
  passed: boolean
  /** Exact mode: index of the first character where reply and expected differ. */
  diffIndex: number | null
}

/** Runs a pattern; main passes one with a time limit (see main/checks/bounded-regex.ts). */
export type PatternTester = (pattern: string, text: string) => boolean

/** Compare a reply (end of line already removed) with what the check expects. */
export function compareReply(
  reply: string,
  expect: Check['expect'],
  testPattern: PatternTester = (pattern, text) => new RegExp(pattern).test(text),
): Comparison {
  const wanted = expect.mode === 'regex' ? expect.value : decodeEscapes(expect.value)
  switch (expect.mode) {
    case 'exact': {
      if (reply === wanted) return { passed: true, diffIndex: null }
      return { passed: false, diffIndex: firstDifference(reply, wanted) }
    }
    case 'contains':
      return { passed: reply.includes(wanted), diffIndex: null }
    case 'regex':
      return { passed: testPattern(wanted, reply), diffIndex: null }
  }
}

/** Index of the first differing character; the shorter length when one is a prefix. */
export function firstDifference(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i
  return n
}

/** One check's outcome: the transcript a failing check shows. */
export interface CheckResult {
  id: string
  name: string
  proto: 'tcp' | 'udp'
  passed: boolean
  /** Exactly what was sent, escapes decoded. */
  sent: string
  /** Everything that came back before the check ended; null when nothing did. */
  received: string | null
  /** What was compared: the reply without its end of line. */
  reply: string | null
  expect: Check['expect']
  /** Exact mode, failed: index in `reply` of the first character that differs. */
  diffIndex: number | null
  /** Milliseconds from the send to the reply, when there was one. */
  replyMs: number | null
  withinMs: number
  /** Why there is no reply to compare, e.g. "no reply within 2 s", connection refused. */
  problem?: string
  /** Something about a reply compared anyway, e.g. it never ended with \n. */
  note?: string
}

export interface CheckRun {
  host: string
  port: number
  /** ISO time the run started. */
  ranAt: string
  results: CheckResult[]
}

/** "2 s", "1.5 s", "250 ms". */
export function formatWithin(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`
}
