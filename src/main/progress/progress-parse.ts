import { z } from 'zod'
import type { LabProgress, PassedCheckpoint, Progress } from '@shared/checkpoints'
import { CheckSchema, type Check } from '@shared/checks'
import { migrateWorksheet, WorksheetSchema } from '@shared/worksheet'

const PassedCheckpointSchema = z.object({
  passedAt: z.string(),
  reason: z.string(),
  evidence: z.array(z.string()),
})

/** What came out of a progress file: everything usable, and what had to be left out. */
export interface ParsedProgress {
  progress: Progress
  /** Why nothing in the file could be used, e.g. "it is not valid JSON". */
  unusable?: string
  /** Each part left out, named for the student: `lab "counter": its worksheet`. */
  leftOut: string[]
}

const BOM = '\uFEFF'

/**
 * Parse a progress file part by part: each lab, and in it each passed checkpoint, the
 * worksheet and each check, loads on its own, so one bad part loses only that part.
 * A UTF-8 byte order mark (editors on Windows add one) is accepted.
 */
export function parseProgress(text: string): ParsedProgress {
  const empty: Progress = { version: 1, labs: {} }
  let data: unknown
  try {
    data = JSON.parse(text.startsWith(BOM) ? text.slice(BOM.length) : text)
  } catch {
    return { progress: empty, unusable: 'it is not valid JSON', leftOut: [] }
  }
  if (!isObject(data) || data.version !== 1 || !isObject(data.labs)) {
    return { progress: empty, unusable: 'it does not have the expected shape', leftOut: [] }
  }
  const leftOut: string[] = []
  for (const [labId, raw] of Object.entries(data.labs)) {
    const lab = isSafeKey(labId) && isObject(raw) ? parseLab(raw) : undefined
    if (!lab) {
      leftOut.push(`lab ${quote(labId)}`)
      continue
    }
    empty.labs[labId] = lab.progress
    leftOut.push(...lab.leftOut.map((part) => `lab ${quote(labId)}: ${part}`))
  }
  return { progress: empty, leftOut }
}

function parseLab(raw: Record<string, unknown>): { progress: LabProgress; leftOut: string[] } {
  const leftOut: string[] = []
  const checkpoints: Record<string, PassedCheckpoint> = {}
  if (isObject(raw.checkpoints)) {
    for (const [id, passed] of Object.entries(raw.checkpoints)) {
      const parsed = PassedCheckpointSchema.safeParse(passed)
      if (parsed.success && isSafeKey(id)) checkpoints[id] = parsed.data
      else leftOut.push(`checkpoint ${quote(id)}`)
    }
  } else if (raw.checkpoints !== undefined) {
    leftOut.push('its passed checkpoints')
  }
  const progress: LabProgress = { checkpoints }

  // Added with lab 5: absent from older files, which still load; its first shape (one field
  // per question) is read into today's answers by question id.
  if (raw.worksheet !== undefined) {
    const parsed = WorksheetSchema.safeParse(migrateWorksheet(raw.worksheet))
    if (parsed.success) progress.worksheet = parsed.data
    else leftOut.push('its worksheet')
  }

  if (Array.isArray(raw.checks)) {
    const checks: Check[] = []
    raw.checks.forEach((item: unknown, index) => {
      const parsed = CheckSchema.safeParse(item)
      if (parsed.success) checks.push(parsed.data)
      else leftOut.push(`check ${describeCheck(item, index)}`)
    })
    progress.checks = checks
  } else if (raw.checks !== undefined) {
    leftOut.push('its checks')
  }
  return { progress, leftOut }
}

function describeCheck(item: unknown, index: number): string {
  return isObject(item) && typeof item.name === 'string' && item.name
    ? quote(item.name)
    : `number ${index + 1}`
}

/** A name from the file, quoted and cut short: the notice stays readable whatever it holds. */
function quote(name: string): string {
  return JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name)
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A key that is safe to assign on a plain object: never the prototype's. */
function isSafeKey(key: string): boolean {
  return key !== '__proto__'
}
