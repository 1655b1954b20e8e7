import { execFileSync } from 'node:child_process'
import { mkdir, readdir, readFile, rmdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { PassedCheckpoint } from '@shared/checkpoints'
import type { ProgressSaveStatus } from '@shared/ipc'
import { fsErrorWords } from '../../src/main/fs-error-words'
import { nodeFs, type ProgressFs } from '../../src/main/progress/progress-file'
import {
  PROGRESS_FILE,
  ProgressStore,
  type ProgressStoreOptions,
} from '../../src/main/progress/progress-store'
import { tempDir } from './helpers'

const passed = (n: number): PassedCheckpoint => ({
  passedAt: `2025-01-0${n}T10:00:00.000Z`,
  reason: `reason ${n}`,
  evidence: [],
})

async function storeIn(dir: string, options?: ProgressStoreOptions) {
  const store = new ProgressStore(dir, options)
  const notice = await store.load()
  return { store, notice }
}

const errno = (code: string) => Object.assign(new Error(`${code}: raw message`), { code })

/**
 * The real file system, except that writes fail with `code` while `failing.code` is set.
 * Tests run as root, for whom chmod makes nothing read-only, and no test can fill a disk:
 * this is how EROFS and ENOSPC are reproduced.
 */
function failingWrites() {
  const failing: { code?: string } = {}
  const check = () => {
    if (failing.code) throw errno(failing.code)
  }
  const fs: ProgressFs = {
    ...nodeFs,
    open: async (path, flags) => {
      if (flags !== 'r' && typeof flags === 'string') check()
      return nodeFs.open(path, flags)
    },
    rename: async (from, to) => {
      check()
      return nodeFs.rename(from, to)
    },
    mkdir: async (dir, options) => nodeFs.mkdir(dir, options),
  }
  return { fs, failing }
}

/** Resolves with the store's next save status. */
function nextStatus(store: ProgressStore): Promise<ProgressSaveStatus> {
  return new Promise((resolve) => {
    const off = store.onSaveStatus((status) => {
      off()
      resolve(status)
    })
  })
}

const asideFiles = async (dir: string) =>
  (await readdir(dir)).filter((f) => /^progress\.corrupt-.+\.json$/.test(f))

describe('loading progress part by part', () => {
  it('accepts a UTF-8 byte order mark', async () => {
    const dir = await tempDir()
    const progress = { version: 1, labs: { 'ping-pong': { checkpoints: { a: passed(1) } } } }
    await writeFile(join(dir, PROGRESS_FILE), '\uFEFF' + JSON.stringify(progress))
    const { store, notice } = await storeIn(dir)
    expect(notice).toBeUndefined()
    expect(store.get()).toEqual(progress)
    expect(await asideFiles(dir)).toEqual([])
  })

  it('one bad lab and one bad checkpoint lose only themselves; the original is kept aside', async () => {
    const dir = await tempDir()
    const original = JSON.stringify({
      version: 1,
      labs: {
        'ping-pong': { checkpoints: { a: passed(1), b: { passedAt: 5 } } },
        counter: 'not a lab',
        talk: { checkpoints: { c: passed(3) }, checks: 'not a list' },
        ['__proto__']: { checkpoints: {} },
      },
    })
    await writeFile(join(dir, PROGRESS_FILE), original)
    const { store, notice } = await storeIn(dir)
    const aside = await asideFiles(dir)
    expect(aside).toHaveLength(1)
    expect(notice).toBe(
      'Some of your progress could not be read and was left out: lab "ping-pong": checkpoint "b"; ' +
        'lab "counter"; lab "talk": its checks; lab "__proto__". Everything else loaded. ' +
        `The original file was kept as ${join(dir, aside[0]!)}.`,
    )
    expect(store.get()).toEqual({
      version: 1,
      labs: {
        'ping-pong': { checkpoints: { a: passed(1) } },
        talk: { checkpoints: { c: passed(3) } },
      },
    })
    expect(Object.getPrototypeOf(store.get().labs)).toBe(Object.prototype)
    expect(await readFile(join(dir, aside[0]!), 'utf8')).toBe(original)
    // What loaded was written back: the next start finds nothing to set aside.
    const again = await storeIn(dir)
    expect(again.notice).toBeUndefined()
    expect(again.store.get()).toEqual(store.get())
  })

  it('a notice about many bad parts, or very long names, stays short', async () => {
    const dir = await tempDir()
    const checkpoints = Object.fromEntries(
      Array.from({ length: 25 }, (_, i) => [`cp${i}`, { passedAt: i }]),
    )
    const longName = 'x'.repeat(5000)
    await writeFile(
      join(dir, PROGRESS_FILE),
      JSON.stringify({ version: 1, labs: { [longName]: 7, many: { checkpoints } } }),
    )
    const { notice } = await storeIn(dir)
    expect(notice).toContain(`lab "${'x'.repeat(60)}…"; lab "many": checkpoint "cp0"; `)
    expect(notice).toContain('lab "many": checkpoint "cp8"; and 16 more.')
    expect(notice!.length).toBeLessThan(600)
  })

  it('a folder at progress.json is reported with its path; the start goes on and the folder is left alone', async () => {
    const dir = await tempDir()
    const path = join(dir, PROGRESS_FILE)
    await mkdir(path)
    const { store, notice } = await storeIn(dir, { retryMs: 60_000 })
    expect(notice).toContain(
      `Your progress file ${path} could not be read: it is a folder, not a file.`,
    )
    expect(notice).toContain('kept while the app runs but not saved')

    // Saving refuses to touch it, says why, and keeps the pass in memory.
    const failed = nextStatus(store)
    await expect(store.markPassed('ping-pong', 'a', passed(1))).rejects.toThrow(
      `Progress not saved: ${path} could not be read (it is a folder, not a file)`,
    )
    expect(await failed).toMatchObject({ saved: false })
    expect((await stat(path)).isDirectory()).toBe(true)
    expect(store.isPassed('ping-pong', 'a')).toEqual(passed(1))

    // Once the folder is moved away, the next change saves everything.
    await rmdir(path)
    const saved = nextStatus(store)
    await store.markPassed('ping-pong', 'b', passed(2))
    expect(await saved).toEqual({ saved: true })
    expect(Object.keys((await storeIn(dir)).store.get().labs['ping-pong']!.checkpoints)).toEqual([
      'a',
      'b',
    ])
    await store.close()
  })

  it.skipIf(process.platform === 'win32')(
    'a FIFO at progress.json is reported, not read: the start does not hang',
    async () => {
      const dir = await tempDir()
      const path = join(dir, PROGRESS_FILE)
      execFileSync('mkfifo', [path])
      const { store, notice } = await storeIn(dir, { retryMs: 60_000 })
      expect(notice).toContain(
        `Your progress file ${path} could not be read: it is not a regular file (it may be a pipe or a device).`,
      )
      await expect(store.markPassed('ping-pong', 'a', passed(1))).rejects.toThrow(
        /Progress not saved: .* could not be read/,
      )
      expect((await stat(path)).isFIFO()).toBe(true)
      await store.close()
    },
  )

  it('an unreadable file is reported in words and never overwritten', async () => {
    const dir = await tempDir()
    const path = join(dir, PROGRESS_FILE)
    const content = JSON.stringify({ version: 1, labs: { x: { checkpoints: { a: passed(1) } } } })
    await writeFile(path, content)
    // As root every file is readable: the denial comes from the file system layer.
    const fs: ProgressFs = {
      ...nodeFs,
      open: async (p, flags) => {
        if (p === path && flags !== 'wx') throw errno('EACCES')
        return nodeFs.open(p, flags)
      },
    }
    const { store, notice } = await storeIn(dir, { fs, retryMs: 60_000 })
    expect(notice).toContain(`Your progress file ${path} could not be read: permission denied.`)
    expect(notice).not.toContain('EACCES')
    await expect(store.markPassed('x', 'b', passed(2))).rejects.toThrow(/not overwritten/)
    expect(await readFile(path, 'utf8')).toBe(content)
    await store.close()
  })

  it('a corrupt file in a read-only folder does not stop the start, and is kept once writing works', async () => {
    const dir = await tempDir()
    const path = join(dir, PROGRESS_FILE)
    const content = '{"version": 1, "labs": {'
    await writeFile(path, content)
    const { fs, failing } = failingWrites()
    failing.code = 'EROFS'
    const { store, notice } = await storeIn(dir, { fs, retryMs: 1 })
    expect(notice).toBe(
      'Your progress file could not be read (it is not valid JSON). A fresh one was started, but ' +
        'the old one could not be kept aside (the folder is read-only): it is not overwritten, ' +
        'and your progress is not saved until it can be.',
    )
    const failed = nextStatus(store)
    await expect(store.markPassed('ping-pong', 'a', passed(1))).rejects.toThrow(
      'Progress not saved: the folder is read-only.',
    )
    expect(await failed).toEqual({
      saved: false,
      message:
        'Progress not saved: the folder is read-only. Your progress is kept while Socket Labs runs, and saving is tried again.',
    })
    expect(await readFile(path, 'utf8')).toBe(content)

    // The folder becomes writable: a retry keeps the original aside first, then saves.
    failing.code = undefined
    let status = await nextStatus(store)
    while (!status.saved) status = await nextStatus(store)
    const aside = await asideFiles(dir)
    expect(aside).toHaveLength(1)
    expect(await readFile(join(dir, aside[0]!), 'utf8')).toBe(content)
    expect((await storeIn(dir)).store.isPassed('ping-pong', 'a')).toEqual(passed(1))
    await store.close()
  })

  it('removes temporary files left by interrupted writes, and nothing else', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, `${PROGRESS_FILE}.0b5c-uuid.tmp`), '{"half')
    await writeFile(join(dir, `${PROGRESS_FILE}.other.tmp`), '')
    await writeFile(join(dir, 'notes.tmp'), 'mine')
    await storeIn(dir)
    expect((await readdir(dir)).sort()).toEqual(['notes.tmp'])
  })
})

describe('saving when the disk fails', () => {
  it('a full disk is reported in words, retried, and loses nothing already saved', async () => {
    const dir = await tempDir()
    const { fs, failing } = failingWrites()
    const { store } = await storeIn(dir, { fs, retryMs: 1 })
    await store.markPassed('ping-pong', 'a', passed(1))
    const before = await readFile(store.path, 'utf8')

    failing.code = 'ENOSPC'
    const failed = nextStatus(store)
    await expect(store.markPassed('ping-pong', 'b', passed(2))).rejects.toThrow(
      /^Progress not saved: the disk is full\./,
    )
    expect(await failed).toMatchObject({ saved: false })
    expect(await readFile(store.path, 'utf8')).toBe(before)
    expect(await readdir(dir)).toEqual([PROGRESS_FILE])

    failing.code = undefined
    let status = await nextStatus(store)
    while (!status.saved) status = await nextStatus(store)
    expect(status).toEqual({ saved: true })
    expect(Object.keys((await storeIn(dir)).store.get().labs['ping-pong']!.checkpoints)).toEqual([
      'a',
      'b',
    ])
    await store.close()
  })

  it('an acknowledged save has flushed the file and, after the rename, its folder', async () => {
    const dir = await tempDir()
    const steps: string[] = []
    const fs: ProgressFs = {
      ...nodeFs,
      open: async (path, flags) => {
        const handle = await nodeFs.open(path, flags)
        const sync = handle.sync.bind(handle)
        handle.sync = async () => {
          steps.push(`sync ${path === dir ? 'folder' : 'file'}`)
          return sync()
        }
        return handle
      },
      rename: async (from, to) => {
        steps.push('rename')
        return nodeFs.rename(from, to)
      },
    }
    const { store } = await storeIn(dir, { fs })
    await store.markPassed('ping-pong', 'a', passed(1))
    expect(steps).toEqual(['sync file', 'rename', 'sync folder'])
  })
})

describe('fsErrorWords', () => {
  it('says what went wrong without the raw code', () => {
    expect(fsErrorWords(errno('ENOSPC'))).toBe('the disk is full')
    expect(fsErrorWords(errno('EROFS'))).toBe('the folder is read-only')
    expect(fsErrorWords(errno('EACCES'))).toBe('permission denied')
    expect(fsErrorWords(errno('EWHATEVER'))).not.toMatch(/E[A-Z]+/)
    expect(fsErrorWords(new Error('no code'))).toBe('the file system reported an unexpected error')
  })
})
