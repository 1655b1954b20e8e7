import { randomUUID } from 'node:crypto'
import { constants, type Stats } from 'node:fs'
import * as fsp from 'node:fs/promises'
import { join } from 'node:path'
import { fsErrorWords } from '../fs-error-words'

/**
 * The file system calls the progress store makes. Tests pass one that fails like a full
 * disk or a read-only folder: they run as root, for whom chmod does not make a folder
 * read-only, and no test can fill a real disk.
 */
export interface ProgressFs {
  stat(path: string): Promise<Stats>
  open(path: string, flags: string | number): Promise<fsp.FileHandle>
  readdir(dir: string): Promise<string[]>
  rename(from: string, to: string): Promise<void>
  rm(path: string, options: { force: true }): Promise<void>
  mkdir(dir: string, options: { recursive: true }): Promise<unknown>
}

export const nodeFs: ProgressFs = {
  stat: (path) => fsp.stat(path),
  open: (path, flags) => fsp.open(path, flags),
  readdir: (dir) => fsp.readdir(dir),
  rename: (from, to) => fsp.rename(from, to),
  rm: (path, options) => fsp.rm(path, options),
  mkdir: (dir, options) => fsp.mkdir(dir, options),
}

export type ReadResult =
  { kind: 'absent' } | { kind: 'read'; bytes: Buffer } | { kind: 'unreadable'; reason: string }

/**
 * Read a file only if it is a regular one. A folder, a pipe or a device at that path is
 * reported, never opened for a blocking read: reading a FIFO waits for a writer forever.
 */
export async function readRegularFile(path: string, fs: ProgressFs = nodeFs): Promise<ReadResult> {
  try {
    const info = await fs.stat(path)
    if (!info.isFile()) return { kind: 'unreadable', reason: notAFile(info) }
    // O_NONBLOCK: if something swapped in a pipe since the stat, open still returns at once.
    const handle = await fs.open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
    try {
      const opened = await handle.stat()
      if (!opened.isFile()) return { kind: 'unreadable', reason: notAFile(opened) }
      return { kind: 'read', bytes: await handle.readFile() }
    } finally {
      await handle.close()
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' }
    return { kind: 'unreadable', reason: fsErrorWords(error) }
  }
}

function notAFile(info: { isDirectory(): boolean }): string {
  return info.isDirectory()
    ? 'it is a folder, not a file'
    : 'it is not a regular file (it may be a pipe or a device)'
}

/**
 * Write to a temporary file, flush it to disk, rename it over the old one, then flush the
 * folder so the rename itself survives a power cut. A crash leaves the old or the new
 * file, never half of one; a failure leaves the old file as it was.
 */
export async function writeAtomically(
  dir: string,
  path: string,
  data: string | Buffer,
  fs: ProgressFs = nodeFs,
): Promise<void> {
  await fs.mkdir(dir, { recursive: true })
  const temp = `${path}.${randomUUID()}.tmp`
  try {
    const handle = await fs.open(temp, 'wx')
    try {
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await fs.rename(temp, path)
  } catch (error) {
    // The old file is untouched; do not leave the half-done temporary file beside it.
    await fs.rm(temp, { force: true }).catch(() => undefined)
    throw error
  }
  await syncFolder(dir, fs)
}

async function syncFolder(dir: string, fs: ProgressFs): Promise<void> {
  let handle
  try {
    handle = await fs.open(dir, 'r')
  } catch {
    return // Windows cannot open a folder; its renames are durable once they return.
  }
  try {
    await handle.sync()
  } catch {
    // Some file systems refuse fsync on a folder; the file itself is already on disk.
  } finally {
    await handle.close()
  }
}

/** Temporary files of writes that never finished (the app was killed), e.g. `progress.json.<id>.tmp`. */
export async function removeLeftoverTemps(
  dir: string,
  fileName: string,
  fs: ProgressFs = nodeFs,
): Promise<void> {
  let names: string[]
  try {
    names = await fs.readdir(dir)
  } catch {
    return
  }
  const leftover = names.filter((n) => n.startsWith(`${fileName}.`) && n.endsWith('.tmp'))
  // A folder we may not write to keeps its leftovers; they do no harm there.
  await Promise.all(
    leftover.map((n) => fs.rm(join(dir, n), { force: true }).catch(() => undefined)),
  )
}
