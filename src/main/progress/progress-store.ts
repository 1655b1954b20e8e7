import { join } from 'node:path'
import type { PassedCheckpoint, Progress } from '@shared/checkpoints'
import type { Worksheet } from '@shared/worksheet'
import type { Check } from '@shared/checks'
import type { ProgressSaveStatus } from '@shared/ipc'
import { fsErrorWords } from '../fs-error-words'
import {
  nodeFs,
  readRegularFile,
  removeLeftoverTemps,
  writeAtomically,
  type ProgressFs,
} from './progress-file'
import { parseProgress } from './progress-parse'

export { writeAtomically } from './progress-file'

export const PROGRESS_FILE = 'progress.json'

export interface ProgressStoreOptions {
  /** File system calls; tests pass one that fails like a full disk or a read-only folder. */
  fs?: ProgressFs
  /** The wait before the first retry of a failed save; it doubles up to maxRetryMs. */
  retryMs?: number
  maxRetryMs?: number
}

/** The original bytes of a damaged file, still to be kept aside before anything overwrites it. */
interface PendingAside {
  bytes: Buffer
  path: string
}

/**
 * Checkpoints passed, worksheets and checks, in the user data folder. Loading takes every
 * part it can and keeps a copy of a damaged file aside; it never stops the start. Saving
 * is atomic (see writeAtomically); a failed save is reported and retried, with what is in
 * memory, until one succeeds. A save only resolves once its data is on disk.
 */
export class ProgressStore {
  private progress: Progress = { version: 1, labs: {} }
  private writing: Promise<void> = Promise.resolve()
  private readonly fs: ProgressFs
  private readonly firstRetryMs: number
  private readonly maxRetryMs: number
  private retryMs: number
  private retryTimer: NodeJS.Timeout | undefined
  private status: ProgressSaveStatus = { saved: true }
  private readonly statusListeners = new Set<(status: ProgressSaveStatus) => void>()
  /** Why the file at `path` must not be overwritten (we could not read what is in it). */
  private unreadable: string | undefined
  private aside: PendingAside | undefined
  private closed = false
  readonly path: string

  constructor(
    private readonly dir: string,
    options: ProgressStoreOptions = {},
  ) {
    this.path = join(dir, PROGRESS_FILE)
    this.fs = options.fs ?? nodeFs
    this.firstRetryMs = this.retryMs = options.retryMs ?? 2000
    this.maxRetryMs = options.maxRetryMs ?? 60_000
  }

  /** Load the file; returns a notice for the student when anything could not be used. */
  async load(): Promise<string | undefined> {
    await removeLeftoverTemps(this.dir, PROGRESS_FILE, this.fs)
    const read = await readRegularFile(this.path, this.fs)
    if (read.kind === 'absent') return undefined
    if (read.kind === 'unreadable') {
      this.unreadable = read.reason
      return (
        `Your progress file ${this.path} could not be read: ${read.reason}. Socket Labs started ` +
        `without it and will not overwrite it: your progress is kept while the app runs but not ` +
        `saved. Move that ${read.reason.includes('folder') ? 'folder' : 'file'} away to save again.`
      )
    }
    const parsed = parseProgress(read.bytes.toString('utf8'))
    this.progress = parsed.progress
    if (!parsed.unusable && parsed.leftOut.length === 0) return undefined

    // The original is kept before anything overwrites it: moved when nothing in it was
    // usable, copied when the parts that loaded are written back at once.
    const aside = join(this.dir, asideName())
    let notKept: string | undefined
    try {
      if (parsed.unusable) await this.fs.rename(this.path, aside)
      else await writeAtomically(this.dir, aside, read.bytes, this.fs)
    } catch (error) {
      this.aside = { bytes: read.bytes, path: aside }
      notKept =
        `could not be kept aside (${fsErrorWords(error)}): it is not overwritten, and your ` +
        `progress is not saved until it can be`
    }
    if (parsed.unusable) {
      const start = `Your progress file could not be read (${parsed.unusable}).`
      return notKept
        ? `${start} A fresh one was started, but the old one ${notKept}.`
        : `${start} It was kept as ${aside} and a fresh one was started.`
    }
    // Written back now, so the next start does not find the same damage again.
    if (!notKept) await this.save().catch(() => undefined)
    return (
      `Some of your progress could not be read and was left out: ${listed(parsed.leftOut)}. ` +
      `Everything else loaded. The original file ${notKept ?? `was kept as ${aside}`}.`
    )
  }

  /** Whether the last save reached the disk, and if not, why, in words. */
  saveStatus(): ProgressSaveStatus {
    return this.status
  }

  /** Called on every change of the save status: failed (again), or saved after failing. */
  onSaveStatus(listener: (status: ProgressSaveStatus) => void): () => void {
    this.statusListeners.add(listener)
    return () => this.statusListeners.delete(listener)
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

  /**
   * Write what is in memory. Writes are queued so two quick changes never interleave their
   * temp files; a failed one does not block the next. Rejects with a message for the
   * student ("Progress not saved: the disk is full. …") and schedules a retry.
   */
  save(): Promise<void> {
    const snapshot = JSON.stringify(this.progress, null, 2) + '\n'
    const write = this.writing.catch(() => undefined).then(() => this.attempt(snapshot))
    this.writing = write
    return write
  }

  /** Stop retrying and wait for the write under way; for quitting and tests. */
  async close(): Promise<void> {
    this.closed = true
    clearTimeout(this.retryTimer)
    this.retryTimer = undefined
    await this.writing.catch(() => undefined)
  }

  private async attempt(snapshot: string): Promise<void> {
    let problem: string | undefined
    try {
      if (this.unreadable) problem = await this.stillUnreadable()
      if (!problem) {
        if (this.aside) {
          await writeAtomically(this.dir, this.aside.path, this.aside.bytes, this.fs)
          this.aside = undefined
        }
        await writeAtomically(this.dir, this.path, snapshot, this.fs)
      }
    } catch (error) {
      problem = `${fsErrorWords(error)}.`
    }
    if (problem) {
      const message = `Progress not saved: ${problem} Your progress is kept while Socket Labs runs, and saving is tried again.`
      this.setStatus({ saved: false, message })
      this.scheduleRetry()
      throw new ProgressNotSavedError(message)
    }
    this.retryMs = this.firstRetryMs
    clearTimeout(this.retryTimer)
    this.retryTimer = undefined
    if (!this.status.saved) this.setStatus({ saved: true })
  }

  /** Saving waits while the unreadable thing is at the path; it may have been moved since. */
  private async stillUnreadable(): Promise<string | undefined> {
    const read = await readRegularFile(this.path, this.fs)
    if (read.kind === 'absent') {
      this.unreadable = undefined
      return undefined
    }
    return `${this.path} could not be read (${this.unreadable}), so it is not overwritten. Move it away to save again.`
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.closed) return
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined
      this.save().catch(() => undefined)
    }, this.retryMs)
    // A retry alone does not keep the process alive.
    this.retryTimer.unref()
    this.retryMs = Math.min(this.retryMs * 2, this.maxRetryMs)
  }

  private setStatus(status: ProgressSaveStatus): void {
    this.status = status
    for (const listener of this.statusListeners) listener(status)
  }
}

/** A save that did not reach the disk; its message is written for the student. */
export class ProgressNotSavedError extends Error {
  override name = 'ProgressNotSavedError'
}

/** The first few parts left out, then how many more: a notice, not a log. */
function listed(parts: string[], shown = 10): string {
  const more = parts.length - shown
  return parts.slice(0, shown).join('; ') + (more > 0 ? `; and ${more} more` : '')
}

function asideName(): string {
  return `progress.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}.json`
}
