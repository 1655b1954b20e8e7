import { ActorOptionsSchema, ImpairmentSchema, MAX_SEED } from '@shared/actors'
import { WHOLE, fail, parseWhole, type Parsed } from './field-validation'

/**
 * The text of lab 4's option fields turned into actor options, through the shared zod
 * schemas, with a message naming the field when the text will not do.
 */

const DECIMAL = /^\d*\.?\d+$|^\d+\.$/

/** A probability from 0 to 0.9 (drop, duplicate, reorder), e.g. "0.3" or ".3". */
export function parseProbability(label: string, raw: string): Parsed<number> {
  const text = raw.trim()
  if (text === '') return fail(`${label} is empty: enter a number from 0 to 0.9, e.g. 0.3`)
  const parsed = ImpairmentSchema.shape.drop
    .unwrap()
    .safeParse(DECIMAL.test(text) ? Number(text) : NaN)
  if (!parsed.success) return fail(`${label} “${text}”: enter a number from 0 to 0.9, e.g. 0.3`)
  return { ok: true, value: parsed.data }
}

/** The random seed: a whole number from 0 to 2³² − 1. */
export function parseSeed(raw: string): Parsed<number> {
  if (raw.trim() === '') return fail('Seed is empty: enter a whole number, or press New seed')
  const schema = ActorOptionsSchema.shape.seed.unwrap()
  return parseWhole('Seed', raw, schema, `a whole number from 0 to ${MAX_SEED}`)
}

/** A fresh seed for the New seed button. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 1_000_000)
}

/**
 * "3, 7" → [3, 7] (sorted, each once); "" → undefined (no list: the probability applies).
 * Commas or spaces separate the numbers.
 */
export function parseDropList(raw: string): Parsed<number[] | undefined> {
  const text = raw.trim()
  if (text === '') return { ok: true, value: undefined }
  const parts = text.split(/[\s,]+/).filter(Boolean)
  const numbers = new Set<number>()
  for (const part of parts) {
    const n = WHOLE.test(part) ? Number(part) : NaN
    if (!Number.isInteger(n) || n < 1) {
      return fail(
        `Drop exactly these PINGs: “${part}” is not a PING number — use whole numbers from 1, separated by commas, e.g. 3, 7`,
      )
    }
    numbers.add(n)
  }
  const parsed = ActorOptionsSchema.shape.dropList
    .unwrap()
    .safeParse([...numbers].sort((a, b) => a - b))
  if (!parsed.success) {
    return fail(`Drop exactly these PINGs: ${parsed.error.issues[0]?.message ?? 'not valid'}`)
  }
  return { ok: true, value: parsed.data }
}

/** Delay or jitter in whole milliseconds, 0 to 10,000. */
export function parseMs(label: string, raw: string): Parsed<number> {
  const schema = ImpairmentSchema.shape.delayMs.unwrap()
  const range = `a whole number of milliseconds from 0 to ${schema.maxValue ?? 10_000}`
  return parseWhole(label, raw, schema, range)
}

/** A port typed in a field: the shared check. */
export { parsePortText as parsePort } from '@shared/endpoint'

/** The client's timeout choices: 0 is settimeout(None). */
export const TIMEOUT_CHOICES: readonly { ms: number; label: string }[] = [
  { ms: 0, label: 'None (wait forever)' },
  { ms: 200, label: '0.2 s' },
  { ms: 500, label: '0.5 s' },
  { ms: 1000, label: '1 s' },
  { ms: 2000, label: '2 s' },
  { ms: 5000, label: '5 s' },
]
export const DEFAULT_TIMEOUT_MS = 2000

export function parseTimeout(ms: number): Parsed<number> {
  const parsed = ActorOptionsSchema.shape.timeoutMs.unwrap().safeParse(ms)
  if (!parsed.success) return fail(`Timeout: ${parsed.error.issues[0]?.message ?? 'not valid'}`)
  return { ok: true, value: parsed.data }
}
