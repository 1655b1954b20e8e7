import { errorMessage } from '@renderer/errors'

/** What the editor says about its file. */
export type SaveState =
  | { kind: 'loading' }
  | { kind: 'saved' }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'failed'; message: string }
  /** The file changed on disk while the editor held unsaved edits: the student chooses. */
  | { kind: 'conflict' }

export interface FileSyncIo {
  read(): Promise<{ text: string; mtimeMs: number }>
  write(text: string, baseMtimeMs: number | undefined): Promise<{ mtimeMs: number }>
  /** The editor's text now. */
  current(): string
  /** Put a text from disk into the editor. */
  show(text: string): void
  state(state: SaveState): void
}

/** How long typing must pause before the file is written. */
export const AUTOSAVE_DELAY_MS = 700

/**
 * One open file kept in step with the disk: edits are written after a pause in typing; a
 * change made by another editor is loaded when there is nothing unsaved here, and is a
 * conflict the student settles when both changed (nothing is ever overwritten silently).
 */
export class FileSync {
  private base: number | undefined
  private savedText = ''
  private timer: ReturnType<typeof setTimeout> | undefined
  private saving: Promise<void> | null = null
  /** A change on disk seen while a save was on its way: judged once the save answered. */
  private deferredDisk: number | null = null
  private conflicted = false
  private disposed = false

  constructor(
    private readonly io: FileSyncIo,
    private readonly delayMs = AUTOSAVE_DELAY_MS,
  ) {}

  get dirty(): boolean {
    return this.io.current() !== this.savedText
  }

  async load(): Promise<void> {
    this.io.state({ kind: 'loading' })
    try {
      const file = await this.io.read()
      if (this.disposed) return
      this.take(file)
    } catch (err) {
      if (!this.disposed) this.io.state({ kind: 'failed', message: errorMessage(err) })
    }
  }

  /** The student typed. */
  edited(): void {
    if (this.conflicted) return
    clearTimeout(this.timer)
    if (!this.dirty) {
      if (!this.saving) this.io.state({ kind: 'saved' })
      return
    }
    this.io.state({ kind: 'pending' })
    this.timer = setTimeout(() => void this.flush(), this.delayMs)
  }

  /** Write the unsaved edits now (before a run, a file switch, or on Retry). */
  async flush(): Promise<void> {
    clearTimeout(this.timer)
    if (this.conflicted || this.disposed) return
    if (this.saving) await this.saving
    if (!this.dirty) return
    this.saving = this.save(this.base)
    await this.saving
  }

  /** A file of the workspace has this modification time on disk now. */
  diskChanged(mtimeMs: number): void {
    if (this.saving) {
      this.deferredDisk = Math.max(this.deferredDisk ?? 0, mtimeMs)
      return
    }
    if (this.base !== undefined && mtimeMs <= this.base) return // our own write
    if (this.dirty) {
      clearTimeout(this.timer)
      this.conflicted = true
      this.io.state({ kind: 'conflict' })
    } else {
      void this.load()
    }
  }

  /** Conflict settled for the editor's text: it replaces the file on disk. */
  async keepMine(): Promise<void> {
    this.conflicted = false
    this.saving = this.save(undefined)
    await this.saving
  }

  /** Conflict settled for the disk: the editor's text is kept elsewhere first, then replaced. */
  async takeDisk(keepCopy: (text: string) => Promise<void>): Promise<void> {
    try {
      await keepCopy(this.io.current())
    } catch (err) {
      this.io.state({
        kind: 'failed',
        message: `Your version could not be kept: ${errorMessage(err)}`,
      })
      return
    }
    this.conflicted = false
    await this.load()
  }

  dispose(): void {
    this.disposed = true
    clearTimeout(this.timer)
  }

  private take(file: { text: string; mtimeMs: number }): void {
    this.base = file.mtimeMs
    this.savedText = file.text
    this.conflicted = false
    this.io.show(file.text)
    this.io.state({ kind: 'saved' })
  }

  private async save(base: number | undefined): Promise<void> {
    const text = this.io.current()
    this.io.state({ kind: 'saving' })
    let ok = true
    try {
      const { mtimeMs } = await this.io.write(text, base)
      this.base = mtimeMs
      this.savedText = text
      this.io.state(this.dirty ? { kind: 'pending' } : { kind: 'saved' })
    } catch (err) {
      ok = false
      this.io.state({ kind: 'failed', message: errorMessage(err) })
    } finally {
      this.saving = null
    }
    if (this.disposed) return
    const disk = this.deferredDisk
    this.deferredDisk = null
    if (disk !== null) this.diskChanged(disk)
    // Typing went on during the save: that gets its own save after the usual pause. (A failed
    // save waits for the next edit or Retry, so its message stays on screen.)
    if (ok && !this.conflicted && this.dirty) this.edited()
  }
}

/** "counter_server.py" → "counter_server.unsaved.py": where a set-aside version is kept. */
export function setAsideName(name: string): string {
  return name.replace(/\.py$/, '') + '.unsaved.py'
}
