import { randomUUID } from 'node:crypto'
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import type { PassedCheckpoint, Progress } from '@shared/checkpoints'
import { WorksheetSchema, type Worksheet } from '@shared/worksheet'
import { CheckSchema, type Check } from '@shared/checks'

const ProgressSchema = z.object({
  version: z.literal(1),
  labs: z.record(
    z.string(),
    z.object({
      checkpoints: z.record(
        z.string(),
        z.object({ passedAt: z.string(), reason: z.string(), evidence: z.array(z.string()) }),
      ),
      // Added with lab 5: absent from older files, which still load.
      worksheet: WorksheetSchema.optional(),
      // The student's own checks (lab 5). One check that no longer validates is dropped
      // rather than setting the whole file aside.
      checks: z.array(z.unknown()).transform(validChecks).optional(),
    }),
  ),
})

export const PROGRESS_FILE = 'progress.json'

function validChecks(items: unknown[]): Check[] {
  return items.flatMap((item) => {
    const parsed = CheckSchema.safeParse(item)
    return parsed.success ? [parsed.data] : []
  })
}

/**
 * Checkpoints passed, with evidence and time, in the user data folder. Every write goes to
 * a temporary file, is flushed to disk, then renamed over the old one, so a crash leaves
 * the old or the new file, never half of one. An unreadable file is moved aside, not lost.
 */
export class ProgressStore {
  private progress: Progress = { version: 1, labs: {} }
  private writing: Promise<void> = Promise.resolve()
  readonly path: string

  constructor(private readonly dir: string) {
    this.path = join(dir, PROGRESS_FILE)
  }

  /** Load the file; returns a notice for the student when a corrupt file was set aside. */
  async load(): Promise<string | undefined> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }
    let problem: string
    try {
      const parsed = ProgressSchema.safeParse(JSON.parse(text))
      if (parsed.success) {
        this.progress = parsed.data
        return undefined
      }
      problem = 'it does not have the expected shape'
    } catch {
      problem = 'it is not valid JSON'
    }
    const aside = join(
      this.dir,
      `progress.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    )
    await rename(this.path, aside)
    return `Your progress file could not be read (${problem}). It was kept as ${aside} and a fresh one was started.`
  }

  get(): Progress {
    return structuredClone(this.progress)
  }

  isPassed(labId: string, checkpointId: string): PassedCheckpoint | undefined {
    return this.progress.labs[labId]?.checkpoints[checkpointId]
  }

  async markPassed(labId: string, checkpointId: string, passed: PassedCheckpoint): Promise<void> {
    const lab = (this.progress.labs[labId] ??= { checkpoints: {} })
    if (lab.checkpoints[checkpointId]) return
    lab.checkpoints[checkpointId] = passed
    await this.save()
  }

  checks(labId: string): Check[] {
    return structuredClone(this.progress.labs[labId]?.checks ?? [])
  }

  /** The lab's checks as given (already validated), replacing the saved list. */
  async saveChecks(labId: string, checks: Check[]): Promise<Check[]> {
    const lab = (this.progress.labs[labId] ??= { checkpoints: {} })
    lab.checks = structuredClone(checks)
    await this.save()
    return structuredClone(checks)
  }

  worksheet(labId: string): Worksheet | undefined {
    return this.progress.labs[labId]?.worksheet
  }

  /** The lab's worksheet as given (already validated), stamped with the time it was saved. */
  async saveWorksheet(labId: string, worksheet: Worksheet): Promise<Worksheet> {
    const saved = { ...worksheet, savedAt: new Date().toISOString() }
    const lab = (this.progress.labs[labId] ??= { checkpoints: {} })
    lab.worksheet = saved
    await this.save()
    return structuredClone(saved)
  }

  /**
   * Forget a lab's passed checkpoints. What the student wrote (e.g. the worksheet) is their
   * work, not progress to redo, so it stays.
   */
  async reset(labId: string): Promise<void> {
    const lab = this.progress.labs[labId]
    if (lab) {
      const { checkpoints: _forgotten, ...written } = lab
      if (Object.keys(written).length > 0)
        this.progress.labs[labId] = { ...written, checkpoints: {} }
      else delete this.progress.labs[labId]
    }
    await this.save()
  }

  /** Writes are queued so two quick passes never interleave their temp files. */
  save(): Promise<void> {
    const snapshot = JSON.stringify(this.progress, null, 2) + '\n'
    // A failed write must not poison the queue: the next save still gets its turn.
    const write = this.writing
      .catch(() => undefined)
      .then(() => writeAtomically(this.dir, this.path, snapshot))
    this.writing = write
    return write
  }
}

export async function writeAtomically(dir: string, path: string, text: string): Promise<void> {
  await mkdir(dir, { recursive: true })
  const temp = `${path}.${randomUUID()}.tmp`
  const handle = await open(temp, 'w')
  try {
    try {
      await handle.writeFile(text, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, path)
  } catch (error) {
    // The old file is untouched; do not leave the half-done temporary file beside it.
    await rm(temp, { force: true })
    throw error
  }
}
