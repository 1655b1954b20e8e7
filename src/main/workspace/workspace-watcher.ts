import { watch, type FSWatcher } from 'node:fs'

/** How long a burst of changes (an editor's save is several) settles before one report. */
export const WATCH_DEBOUNCE_MS = 100

/**
 * Watches the workspace folders for changes made outside the app (another editor saved, a
 * file was added or removed) and reports each folder once per burst. One watcher per lab,
 * closed when the lab is left or the app quits; a folder that cannot be watched is simply
 * not watched (the page still reloads files when it opens them).
 */
export class WorkspaceWatcher {
  private readonly watchers = new Map<string, { watcher: FSWatcher; timer?: NodeJS.Timeout }>()

  constructor(
    private readonly onChange: (labId: string) => void,
    private readonly debounceMs = WATCH_DEBOUNCE_MS,
  ) {}

  watch(labId: string, dir: string): void {
    if (this.watchers.has(labId)) return
    let watcher: FSWatcher
    try {
      watcher = watch(dir, { persistent: false })
    } catch {
      return
    }
    const entry: { watcher: FSWatcher; timer?: NodeJS.Timeout } = { watcher }
    watcher.on('change', () => {
      clearTimeout(entry.timer)
      entry.timer = setTimeout(() => {
        entry.timer = undefined
        this.onChange(labId)
      }, this.debounceMs)
    })
    // The folder was removed, or the system ran out of watches: stop watching it.
    watcher.on('error', () => this.unwatch(labId))
    this.watchers.set(labId, entry)
  }

  watching(labId: string): boolean {
    return this.watchers.has(labId)
  }

  unwatch(labId: string): void {
    const entry = this.watchers.get(labId)
    if (!entry) return
    this.watchers.delete(labId)
    clearTimeout(entry.timer)
    entry.watcher.close()
  }

  dispose(): void {
    for (const labId of [...this.watchers.keys()]) this.unwatch(labId)
  }
}
