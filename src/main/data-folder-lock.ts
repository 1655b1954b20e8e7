import { randomUUID } from 'node:crypto'
import { readFileSync, unlinkSync } from 'node:fs'
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import { fsErrorWords } from './fs-error-words'

/**
 * One Socket Labs per user data folder. Two instances on one folder would each keep their
 * own progress in memory and overwrite each other's saves, so the first one takes a lock
 * file naming itself and the second one is told where the first is running. No electron
 * import: the browser host and the Electron app both use this.
 */
export const LOCK_FILE = 'socket-labs.lock'

const HolderSchema = z.object({
  pid: z.number().int().positive(),
  /** The browser host's address (without its token), or "Electron window". */
  where: z.string().max(500),
  startedAt: z.string().max(40),
  hostname: z.string().max(300),
})
export type LockHolder = z.infer<typeof HolderSchema>

export type LockAttempt =
  /** warning: the folder could not be locked (e.g. it is read-only); the app still starts. */
  | { ok: true; lock: DataFolderLock; warning?: string }
  | { ok: false; holder: LockHolder; path: string }

export interface LockOptions {
  /** Whether a process is running; tests pass their own. */
  isAlive?: (pid: number) => boolean
}

/**
 * Take the folder's lock, or say who holds it. A lock whose process is gone (the app was
 * killed or the machine lost power) is taken over.
 */
export async function acquireDataFolderLock(
  dir: string,
  where: string,
  options: LockOptions = {},
): Promise<LockAttempt> {
  const isAlive = options.isAlive ?? processIsAlive
  const path = join(dir, LOCK_FILE)
  const holder: LockHolder = {
    pid: process.pid,
    where,
    startedAt: new Date().toISOString(),
    hostname: hostname(),
  }
  try {
    await mkdir(dir, { recursive: true })
    // A few rounds: each lost race means someone else took a stale lock first; look again.
    for (let round = 0; round < 5; round++) {
      if (await createExclusively(path, serialize(holder))) {
        return { ok: true, lock: new DataFolderLock(path, holder) }
      }
      const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined // released meanwhile: try again
        throw error
      })
      if (text === undefined) continue
      const other = parseHolder(text)
      if (other && !isStale(other, isAlive)) return { ok: false, holder: other, path }
      await removeIfUnchanged(path, text)
    }
  } catch (error) {
    // A folder we cannot write to cannot be locked; the progress store reports the same
    // problem when it saves. Starting without the lock beats not starting at all.
    return {
      ok: true,
      lock: new DataFolderLock(path, holder, false),
      warning: `Socket Labs could not lock its data folder ${dir} (${fsErrorWords(error)}): make sure it runs only once.`,
    }
  }
  throw new Error(`The lock file ${path} keeps changing: is Socket Labs starting twice?`)
}

/** "Socket Labs is already running at http://127.0.0.1:5178/ (pid 1234). …" */
export function alreadyRunningMessage(attempt: { holder: LockHolder; path: string }): string {
  const { holder, path } = attempt
  const at = holder.where.startsWith('http')
    ? ` at ${holder.where}`
    : holder.where
      ? ` (${holder.where})`
      : ''
  const elsewhere = holder.hostname === hostname() ? '' : ` on ${holder.hostname}`
  return (
    `Socket Labs is already running${at} (pid ${holder.pid}${elsewhere}, started ${holder.startedAt}) ` +
    `with this data folder. Use that one, or stop it first. If it is not running any more, ` +
    `delete ${path} and start again.`
  )
}

export class DataFolderLock {
  constructor(
    readonly path: string,
    private holder: LockHolder,
    /** False when the folder could not be locked: then there is nothing to update or release. */
    private held = true,
  ) {}

  /** Name where this instance can be found, once it knows (e.g. the host's address). */
  async update(where: string): Promise<void> {
    if (!this.held) return
    const next = { ...this.holder, where }
    const temp = `${this.path}.${randomUUID()}.tmp`
    try {
      await writeFile(temp, serialize(next), { mode: 0o600 })
      await rename(temp, this.path)
      this.holder = next
    } catch {
      // The lock still names our pid; only the address is missing from it.
      await unlink(temp).catch(() => undefined)
    }
  }

  /** Give the folder back. Synchronous, so it also works in a process 'exit' handler. */
  release(): void {
    if (!this.held) return
    this.held = false
    try {
      // Only our own lock: if it was taken over (we looked dead), it is not ours to remove.
      if (readFileSync(this.path, 'utf8') === serialize(this.holder)) unlinkSync(this.path)
    } catch {
      // Already gone, or the folder went away: nothing left to release.
    }
  }
}

/**
 * Create the lock file with its whole content at once: written to a temporary file, then
 * hard-linked into place, which fails if the lock exists. A reader never sees half a lock.
 * File systems without hard links (FAT on a USB stick) get an exclusive create instead.
 */
async function createExclusively(path: string, text: string): Promise<boolean> {
  const temp = `${path}.${randomUUID()}.tmp`
  await writeFile(temp, text, { mode: 0o600 })
  try {
    await link(temp, path)
    return true
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return false
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error
    try {
      await writeFile(path, text, { flag: 'wx', mode: 0o600 })
      return true
    } catch (fallback) {
      if ((fallback as NodeJS.ErrnoException).code === 'EEXIST') return false
      throw fallback
    }
  } finally {
    await unlink(temp).catch(() => undefined)
  }
}

/** Remove a stale lock only if it is still the one we judged stale, not a fresh one. */
async function removeIfUnchanged(path: string, judged: string): Promise<void> {
  try {
    if ((await readFile(path, 'utf8')) === judged) await unlink(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}

function isStale(holder: LockHolder, isAlive: (pid: number) => boolean): boolean {
  // A process on another machine (a shared home folder) cannot be checked from here.
  if (holder.hostname !== hostname()) return false
  return !isAlive(holder.pid)
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const parsed = HolderSchema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined // A damaged lock names nobody: it is taken over.
  }
}

function serialize(holder: LockHolder): string {
  return JSON.stringify(holder, null, 2) + '\n'
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
