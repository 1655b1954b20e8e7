import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FileSync, setAsideName, type SaveState } from '@renderer/features/student/file-sync'

/** A disk with one file and an editor holding text, wired to a FileSync. */
function setup(initial = 'print(1)\n') {
  const disk = { text: initial, mtimeMs: 100 }
  const editor = { text: '' }
  const states: SaveState[] = []
  const writes: { text: string; base: number | undefined }[] = []
  let failWrite: string | null = null
  let holdWrite: (() => void) | null = null
  const sync = new FileSync(
    {
      read: async () => ({ ...disk }),
      write: async (text, base) => {
        writes.push({ text, base })
        if (holdWrite === null && failWrite) throw new Error(failWrite)
        await new Promise<void>((resolve) => {
          if (holdWrite !== null) holdWrite = resolve
          else resolve()
        })
        disk.text = text
        disk.mtimeMs += 10
        return { mtimeMs: disk.mtimeMs }
      },
      current: () => editor.text,
      show: (text) => (editor.text = text),
      state: (s) => states.push(s),
    },
    500,
  )
  const type = (text: string) => {
    editor.text = text
    sync.edited()
  }
  return {
    disk,
    editor,
    states,
    writes,
    sync,
    type,
    last: () => states.at(-1),
    failNext: (message: string | null) => (failWrite = message),
    holdWrites: () => (holdWrite = () => {}),
    release: () => holdWrite?.(),
  }
}

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('FileSync', () => {
  it('loads the file, then saves once after typing pauses', async () => {
    const t = setup()
    await t.sync.load()
    expect(t.editor.text).toBe('print(1)\n')
    expect(t.last()).toEqual({ kind: 'saved' })
    t.type('print(2)\n')
    await vi.advanceTimersByTimeAsync(300)
    t.type('print(3)\n')
    expect(t.last()).toEqual({ kind: 'pending' })
    await vi.advanceTimersByTimeAsync(499)
    expect(t.writes).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(t.writes).toEqual([{ text: 'print(3)\n', base: 100 }])
    expect(t.last()).toEqual({ kind: 'saved' })
  })

  it('says why a save failed, keeps the text, and saves again on the next edit', async () => {
    const t = setup()
    await t.sync.load()
    t.failNext('The disk is full')
    t.type('x = 1\n')
    await vi.advanceTimersByTimeAsync(500)
    expect(t.last()).toEqual({ kind: 'failed', message: 'The disk is full' })
    expect(t.editor.text).toBe('x = 1\n')
    await vi.advanceTimersByTimeAsync(5_000)
    expect(t.last()).toEqual({ kind: 'failed', message: 'The disk is full' })
    t.failNext(null)
    t.type('x = 2\n')
    await vi.advanceTimersByTimeAsync(500)
    expect(t.disk.text).toBe('x = 2\n')
    expect(t.last()).toEqual({ kind: 'saved' })
  })

  it('reloads a file another editor changed when nothing is unsaved here', async () => {
    const t = setup()
    await t.sync.load()
    t.disk.text = 'changed elsewhere\n'
    t.disk.mtimeMs = 500
    t.sync.diskChanged(500)
    await vi.advanceTimersByTimeAsync(0)
    expect(t.editor.text).toBe('changed elsewhere\n')
    expect(t.last()).toEqual({ kind: 'saved' })
    expect(t.writes).toHaveLength(0)
  })

  it('takes its own save for what it is, not for a change on disk', async () => {
    const t = setup()
    await t.sync.load()
    t.holdWrites()
    t.type('mine\n')
    await vi.advanceTimersByTimeAsync(500)
    // The watcher reports the write before the write's answer arrives.
    t.sync.diskChanged(110)
    t.release()
    await vi.advanceTimersByTimeAsync(0)
    expect(t.last()).toEqual({ kind: 'saved' })
    expect(t.editor.text).toBe('mine\n')
  })

  it('when both changed, saves nothing and lets the student choose; nothing is lost', async () => {
    const t = setup()
    await t.sync.load()
    t.type('my edit\n')
    t.disk.text = 'their edit\n'
    t.disk.mtimeMs = 900
    t.sync.diskChanged(900)
    expect(t.last()).toEqual({ kind: 'conflict' })
    await vi.advanceTimersByTimeAsync(5_000)
    expect(t.writes).toHaveLength(0)
    expect(t.editor.text).toBe('my edit\n')

    // "Load the file": the editor's version is kept aside first.
    const aside: string[] = []
    await t.sync.takeDisk(async (text) => void aside.push(text))
    expect(aside).toEqual(['my edit\n'])
    expect(t.editor.text).toBe('their edit\n')
    expect(t.last()).toEqual({ kind: 'saved' })
  })

  it('"Keep mine" replaces the file with the editor text', async () => {
    const t = setup()
    await t.sync.load()
    t.type('my edit\n')
    t.disk.mtimeMs = 900
    t.sync.diskChanged(900)
    await t.sync.keepMine()
    expect(t.writes.at(-1)).toEqual({ text: 'my edit\n', base: undefined })
    expect(t.disk.text).toBe('my edit\n')
    expect(t.last()).toEqual({ kind: 'saved' })
  })

  it('flush() writes at once (before a run)', async () => {
    const t = setup()
    await t.sync.load()
    t.type('now\n')
    await t.sync.flush()
    expect(t.disk.text).toBe('now\n')
    expect(setAsideName('counter_server.py')).toBe('counter_server.unsaved.py')
  })
})
