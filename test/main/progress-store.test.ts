import * as fs from 'node:fs/promises'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { PassedCheckpoint } from '@shared/checkpoints'
import { writeAtomically } from '../../src/main/progress/progress-file'
import { PROGRESS_FILE, ProgressStore } from '../../src/main/progress/progress-store'
import { tempDir } from './helpers'

// rename() is wrapped so a test can make it fail, as if the app died before the swap.
vi.mock('node:fs/promises', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:fs/promises')>()
  return { ...original, rename: vi.fn(original.rename) }
})

const passed = (n: number): PassedCheckpoint => ({
  passedAt: `2025-01-0${n}T10:00:00.000Z`,
  reason: `reason ${n}`,
  evidence: [`#${n} tcp-client#1 recv "PONG"`],
})

async function storeIn(dir: string) {
  const store = new ProgressStore(dir)
  const notice = await store.load()
  return { store, notice }
}

describe('ProgressStore', () => {
  afterEach(() => {
    vi.mocked(fs.rename).mockClear()
  })

  it('starts empty when there is no file, and does not create one just by loading', async () => {
    const dir = await tempDir()
    const { store, notice } = await storeIn(dir)
    expect(notice).toBeUndefined()
    expect(store.get()).toEqual({ version: 1, labs: {} })
    expect(await readdir(dir)).toEqual([])
  })

  it('persists a passed checkpoint across restarts', async () => {
    const dir = await tempDir()
    const first = new ProgressStore(dir)
    await first.load()
    await first.markPassed('ping-pong', 'tcp-five-pongs', passed(1))
    expect(first.path).toBe(join(dir, PROGRESS_FILE))

    const { store: second, notice } = await storeIn(dir)
    expect(notice).toBeUndefined()
    expect(second.isPassed('ping-pong', 'tcp-five-pongs')).toEqual(passed(1))
    expect(second.isPassed('ping-pong', 'udp-timeouts')).toBeUndefined()
    expect(second.get()).toEqual({
      version: 1,
      labs: { 'ping-pong': { checkpoints: { 'tcp-five-pongs': passed(1) } } },
    })
    // Human-readable JSON, ending with a newline.
    const text = await readFile(second.path, 'utf8')
    expect(JSON.parse(text)).toEqual(second.get())
    expect(text.endsWith('}\n')).toBe(true)
  })

  it('keeps the first pass of a checkpoint', async () => {
    const dir = await tempDir()
    const { store } = await storeIn(dir)
    await store.markPassed('ping-pong', 'tcp-five-pongs', passed(1))
    await store.markPassed('ping-pong', 'tcp-five-pongs', passed(2))
    expect(store.isPassed('ping-pong', 'tcp-five-pongs')?.passedAt).toBe(passed(1).passedAt)
    expect((await storeIn(dir)).store.isPassed('ping-pong', 'tcp-five-pongs')).toEqual(passed(1))
  })

  it('get() returns a copy', async () => {
    const { store } = await storeIn(await tempDir())
    await store.markPassed('ping-pong', 'a', passed(1))
    const copy = store.get()
    delete copy.labs['ping-pong']
    expect(store.isPassed('ping-pong', 'a')).toEqual(passed(1))
  })

  it('concurrent markPassed calls both persist, and no temporary file is left', async () => {
    const dir = await tempDir()
    const { store } = await storeIn(dir)
    await Promise.all([
      store.markPassed('ping-pong', 'tcp-five-pongs', passed(1)),
      store.markPassed('ping-pong', 'tcp-server-eof', passed(2)),
      store.markPassed('counter', 'shared-count', passed(3)),
    ])
    expect(await readdir(dir)).toEqual([PROGRESS_FILE])
    const { store: reloaded } = await storeIn(dir)
    expect(reloaded.get().labs).toEqual({
      'ping-pong': { checkpoints: { 'tcp-five-pongs': passed(1), 'tcp-server-eof': passed(2) } },
      counter: { checkpoints: { 'shared-count': passed(3) } },
    })
    // Every write went through a temporary file in the same folder, renamed into place.
    const renames = vi.mocked(fs.rename).mock.calls
    expect(renames).toHaveLength(3)
    for (const [from, to] of renames) {
      expect(String(from)).toMatch(new RegExp(`^${escape(join(dir, PROGRESS_FILE))}\\..+\\.tmp$`))
      expect(to).toBe(join(dir, PROGRESS_FILE))
    }
  })

  it('writeAtomically creates the folder and writes the whole text', async () => {
    const dir = join(await tempDir(), 'nested', 'user-data')
    const path = join(dir, 'file.json')
    await writeAtomically(dir, path, '{"a":1}\n')
    expect(await readFile(path, 'utf8')).toBe('{"a":1}\n')
    await writeAtomically(dir, path, '{"a":2}\n')
    expect(await readFile(path, 'utf8')).toBe('{"a":2}\n')
    expect(await readdir(dir)).toEqual(['file.json'])
  })

  it('if the rename never happens, the old file stays intact and the store keeps working', async () => {
    const dir = await tempDir()
    const { store } = await storeIn(dir)
    await store.markPassed('ping-pong', 'tcp-five-pongs', passed(1))
    const before = await readFile(store.path, 'utf8')

    vi.mocked(fs.rename).mockRejectedValueOnce(
      Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' }),
    )
    await expect(store.markPassed('ping-pong', 'tcp-server-eof', passed(2))).rejects.toThrow(
      'Progress not saved: the disk reported a read or write error.',
    )
    // The file on disk is the old one, whole; no half-written temporary file is left.
    expect(await readFile(store.path, 'utf8')).toBe(before)
    expect(await readdir(dir)).toEqual([PROGRESS_FILE])
    expect((await storeIn(dir)).store.get().labs['ping-pong']?.checkpoints).toEqual({
      'tcp-five-pongs': passed(1),
    })

    // The next write is not blocked by the failed one, and carries both passes.
    await store.markPassed('ping-pong', 'udp-five-replies', passed(3))
    expect(Object.keys((await storeIn(dir)).store.get().labs['ping-pong']!.checkpoints)).toEqual([
      'tcp-five-pongs',
      'tcp-server-eof',
      'udp-five-replies',
    ])
  })

  describe('a corrupt file', () => {
    async function corruptCase(content: string) {
      const dir = await tempDir()
      await writeFile(join(dir, PROGRESS_FILE), content)
      const { store, notice } = await storeIn(dir)
      const files = await readdir(dir)
      const aside = files.filter((f) => /^progress\.corrupt-.+\.json$/.test(f))
      return { dir, store, notice, files, aside }
    }

    it('with invalid JSON is moved aside intact, named in the notice, and the store starts empty', async () => {
      const content = '{"version": 1, "labs": {"ping-pong": '
      const { dir, store, notice, files, aside } = await corruptCase(content)
      expect(files).toEqual(aside)
      expect(aside).toHaveLength(1)
      const asidePath = join(dir, aside[0]!)
      expect(await readFile(asidePath, 'utf8')).toBe(content)
      expect(notice).toBe(
        `Your progress file could not be read (it is not valid JSON). It was kept as ${asidePath} and a fresh one was started.`,
      )
      expect(store.get()).toEqual({ version: 1, labs: {} })

      // A fresh file is written next to the one kept aside.
      await store.markPassed('ping-pong', 'tcp-five-pongs', passed(1))
      expect((await readdir(dir)).sort()).toEqual([aside[0], PROGRESS_FILE].sort())
      expect(await readFile(asidePath, 'utf8')).toBe(content)
    })

    it('with valid JSON of the wrong shape is moved aside too', async () => {
      const content = JSON.stringify({ version: 2, labs: { 'ping-pong': { passed: true } } })
      const { dir, store, notice, aside } = await corruptCase(content)
      expect(aside).toHaveLength(1)
      expect(await readFile(join(dir, aside[0]!), 'utf8')).toBe(content)
      expect(notice).toContain('it does not have the expected shape')
      expect(notice).toContain(join(dir, aside[0]!))
      expect(store.get().labs).toEqual({})
      // The next start finds no corrupt file any more.
      expect((await storeIn(dir)).notice).toBeUndefined()
    })
  })

  it('reset(labId) forgets one lab, on disk too', async () => {
    const dir = await tempDir()
    const { store } = await storeIn(dir)
    await store.markPassed('ping-pong', 'tcp-five-pongs', passed(1))
    await store.markPassed('counter', 'shared-count', passed(2))
    await store.reset('ping-pong')
    expect(store.isPassed('ping-pong', 'tcp-five-pongs')).toBeUndefined()
    const { store: reloaded } = await storeIn(dir)
    expect(reloaded.get().labs).toEqual({ counter: { checkpoints: { 'shared-count': passed(2) } } })
    // A reset checkpoint can pass again.
    await reloaded.markPassed('ping-pong', 'tcp-five-pongs', passed(3))
    expect(reloaded.isPassed('ping-pong', 'tcp-five-pongs')).toEqual(passed(3))
  })
})

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
