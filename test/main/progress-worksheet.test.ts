import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Worksheet } from '@shared/worksheet'
import { PROGRESS_FILE, ProgressStore } from '../../src/main/progress/progress-store'
import { tempDir } from './helpers'

const sheet: Worksheet = {
  choices: { transport: 'udp' },
  answers: {
    transport: 'Each guess is one small datagram; a lost one is simply asked again.',
    format: 'GUESS <n> in one datagram',
    malformed: 'ERROR expected GUESS <1-100>',
    ending: 'The client stops after CORRECT; the server never ends.',
  },
}

async function storeIn(dir: string) {
  const store = new ProgressStore(dir)
  return { store, notice: await store.load() }
}

describe('ProgressStore worksheet', () => {
  it('loads a progress file written before worksheets existed', async () => {
    const dir = await tempDir()
    const old = {
      version: 1,
      labs: {
        'ping-pong': {
          checkpoints: {
            'tcp-five-pongs': { passedAt: '2025-01-01T10:00:00.000Z', reason: 'r', evidence: [] },
          },
        },
      },
    }
    await writeFile(join(dir, PROGRESS_FILE), JSON.stringify(old))
    const { store, notice } = await storeIn(dir)
    expect(notice).toBeUndefined()
    expect(store.get()).toEqual(old)
    expect(store.worksheet('ping-pong')).toBeUndefined()
  })

  it('saves a worksheet with its time, on disk, and it survives a restart', async () => {
    const dir = await tempDir()
    const { store } = await storeIn(dir)
    const saved = await store.saveWorksheet('protocol', sheet)
    expect(saved).toMatchObject(sheet)
    expect(Date.parse(saved.savedAt!)).not.toBeNaN()
    const onDisk = JSON.parse(await readFile(join(dir, PROGRESS_FILE), 'utf8'))
    expect(onDisk.labs.protocol).toEqual({ checkpoints: {}, worksheet: saved })
    const { store: reloaded } = await storeIn(dir)
    expect(reloaded.worksheet('protocol')).toEqual(saved)
  })

  it('a later save replaces the earlier one', async () => {
    const dir = await tempDir()
    const { store } = await storeIn(dir)
    await store.saveWorksheet('protocol', sheet)
    await store.saveWorksheet('protocol', { ...sheet, choices: { transport: 'tcp' } })
    const { store: reloaded } = await storeIn(dir)
    expect(reloaded.worksheet('protocol')?.choices.transport).toBe('tcp')
  })

  it('reset forgets the checkpoints but keeps what the student wrote', async () => {
    const dir = await tempDir()
    const { store } = await storeIn(dir)
    const saved = await store.saveWorksheet('protocol', sheet)
    await store.markPassed('protocol', 'worksheet', { passedAt: 'x', reason: 'r', evidence: [] })
    await store.reset('protocol')
    const { store: reloaded } = await storeIn(dir)
    expect(reloaded.get().labs.protocol).toEqual({ checkpoints: {}, worksheet: saved })
  })

  it('a worksheet of the wrong shape is set aside alone: the rest of the lab still loads', async () => {
    const dir = await tempDir()
    const passed = { passedAt: '2025-01-01T10:00:00.000Z', reason: 'r', evidence: [] }
    const bad = {
      version: 1,
      labs: { protocol: { checkpoints: { framing: passed }, worksheet: { answers: 'none' } } },
    }
    await writeFile(join(dir, PROGRESS_FILE), JSON.stringify(bad))
    const { store, notice } = await storeIn(dir)
    expect(notice).toMatch(
      /left out: lab "protocol": its worksheet\. .*kept as .*progress\.corrupt-/,
    )
    expect(store.get().labs).toEqual({ protocol: { checkpoints: { framing: passed } } })
  })

  it('loads a worksheet saved before its questions were lab data, every answer kept', async () => {
    const dir = await tempDir()
    // The file as the app wrote it when the four questions were fixed fields.
    const old = {
      version: 1,
      labs: {
        protocol: {
          checkpoints: {},
          worksheet: {
            transport: 'udp',
            transportWhy: sheet.answers.transport,
            format: sheet.answers.format,
            malformed: sheet.answers.malformed,
            ending: sheet.answers.ending,
            savedAt: '2026-11-30T10:00:00.000Z',
          },
        },
      },
    }
    await writeFile(join(dir, PROGRESS_FILE), JSON.stringify(old))
    const { store, notice } = await storeIn(dir)
    expect(notice).toBeUndefined()
    expect(store.worksheet('protocol')).toEqual({ ...sheet, savedAt: '2026-11-30T10:00:00.000Z' })
  })
})
