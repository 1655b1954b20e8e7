import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  acquireDataFolderLock,
  alreadyRunningMessage,
  LOCK_FILE,
  type LockHolder,
} from '../../src/main/data-folder-lock'
import { tempDir } from './helpers'

/** The pid of a process that has exited: a lock naming it is stale. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  await once(child, 'exit')
  return child.pid!
}

async function writeLock(dir: string, holder: Partial<LockHolder>) {
  const full: LockHolder = {
    pid: process.ppid,
    where: 'http://127.0.0.1:5178/',
    startedAt: '2026-01-01T10:00:00.000Z',
    hostname: hostname(),
    ...holder,
  }
  await writeFile(join(dir, LOCK_FILE), JSON.stringify(full))
  return full
}

describe('the data folder lock', () => {
  it('is taken by the first instance and names it; the second is told where the first runs', async () => {
    const dir = await tempDir()
    const first = await acquireDataFolderLock(dir, '')
    if (!first.ok) throw new Error('the first instance must get the lock')
    await first.lock.update('http://127.0.0.1:5178/')
    const onDisk = JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8')) as LockHolder
    expect(onDisk).toMatchObject({ pid: process.pid, where: 'http://127.0.0.1:5178/' })
    expect(Date.parse(onDisk.startedAt)).not.toBeNaN()

    const second = await acquireDataFolderLock(dir, '')
    expect(second.ok).toBe(false)
    if (second.ok) return
    expect(alreadyRunningMessage(second)).toMatch(
      new RegExp(
        `^Socket Labs is already running at http://127\\.0\\.0\\.1:5178/ \\(pid ${process.pid},`,
      ),
    )
    // Nothing else was written or left behind.
    expect(await readdir(dir)).toEqual([LOCK_FILE])

    first.lock.release()
    expect(await readdir(dir)).toEqual([])
    const third = await acquireDataFolderLock(dir, 'Electron window')
    expect(third.ok).toBe(true)
    if (third.ok) third.lock.release()
  })

  it('takes over a lock whose process is gone', async () => {
    const dir = await tempDir()
    await writeLock(dir, { pid: await deadPid() })
    const attempt = await acquireDataFolderLock(dir, 'Electron window')
    expect(attempt.ok).toBe(true)
    if (!attempt.ok) return
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({
      pid: process.pid,
      where: 'Electron window',
    })
    attempt.lock.release()
  })

  it('takes over a damaged lock file, and respects one held by a live process', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, LOCK_FILE), '{"pid": ')
    const taken = await acquireDataFolderLock(dir, '')
    expect(taken.ok).toBe(true)
    if (taken.ok) taken.lock.release()

    const holder = await writeLock(dir, { pid: process.ppid })
    const refused = await acquireDataFolderLock(dir, '')
    expect(refused).toEqual({ ok: false, holder, path: join(dir, LOCK_FILE) })
  })

  it('does not release a lock that another instance has taken over meanwhile', async () => {
    const dir = await tempDir()
    const mine = await acquireDataFolderLock(dir, '', { isAlive: () => false })
    if (!mine.ok) throw new Error('expected the lock')
    // Another instance judged us dead and took the folder.
    const theirs = await acquireDataFolderLock(dir, 'Electron window', { isAlive: () => false })
    expect(theirs.ok).toBe(true)
    mine.lock.release()
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({
      where: 'Electron window',
    })
  })

  it('a folder that cannot hold the lock does not stop the start, and says so in words', async () => {
    const parent = await tempDir()
    // A file where the data folder should be: nothing can be created inside it.
    const dir = join(parent, 'user-data')
    await writeFile(dir, '')
    const attempt = await acquireDataFolderLock(dir, '')
    expect(attempt.ok).toBe(true)
    if (!attempt.ok) return
    expect(attempt.warning).toMatch(/^Socket Labs could not lock its data folder .*user-data \(/)
    expect(attempt.warning).not.toMatch(/E[A-Z]{3,}/)
    attempt.lock.release()
  })

  it('a second start racing the first: exactly one gets the lock', async () => {
    const dir = await tempDir()
    await mkdir(dir, { recursive: true })
    const attempts = await Promise.all([1, 2, 3, 4].map(() => acquireDataFolderLock(dir, '')))
    expect(attempts.filter((a) => a.ok)).toHaveLength(1)
  })
})
