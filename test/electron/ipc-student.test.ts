import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

// The student's channels in Electron: program:run and the workspace channels are answered
// for our own window's main frame showing our renderer only, like every other channel.

const handlers = new Map<string, (event: unknown, args: unknown) => Promise<unknown>>()
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, args: unknown) => Promise<unknown>) =>
      handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}))

const { registerIpc } = await import('../../src/main/electron/ipc')
const { AppCore } = await import('../../src/main/core/app-core')

const mainFrame = { name: 'main', url: 'app://socket-labs/index.html#/labs/counter' }
const webContents = { mainFrame, send: vi.fn() }
const window = { isDestroyed: () => false, webContents }
const ours = { sender: webContents, senderFrame: mainFrame }

let dir: string
let marker: string
let core: Awaited<ReturnType<typeof AppCore.create>>
let unregister: () => void

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'socket-labs-ipc-student-'))
  marker = join(dir, 'ran.txt')
  core = await AppCore.create({
    labsDir: join(import.meta.dirname, '../../labs'),
    userDataDir: dir,
  })
  unregister = registerIpc(core, window as never, ['app://socket-labs'])
})

afterEach(async () => {
  unregister()
  await core.dispose()
  await rm(dir, { recursive: true, force: true })
})

const write = { labId: 'counter', name: 'mark.py', text: '' }
const run = { labId: 'counter', name: 'mark.py' }

describe('the student’s channels over Electron IPC', () => {
  it('are registered', () => {
    for (const channel of ['workspace:get', 'workspace:write', 'program:run', 'interpreter:set'])
      expect(handlers.has(channel), channel).toBe(true)
  })

  it('refuse another window, a subframe and our frame showing another page', async () => {
    const text = `open(${JSON.stringify(marker)}, "w").write("ran")\n`
    expect(await handlers.get('workspace:write')!(ours, { ...write, text })).toMatchObject({
      ok: true,
    })
    const strangers = [
      { sender: { mainFrame: {} }, senderFrame: {} },
      { sender: webContents, senderFrame: { name: 'iframe', url: mainFrame.url } },
      { sender: webContents, senderFrame: { ...mainFrame, url: 'https://evil.example/' } },
    ]
    for (const event of strangers) {
      for (const [channel, args] of [
        ['program:run', run],
        ['workspace:write', { ...write, text: 'import os\n' }],
        ['interpreter:set', { command: '/usr/bin/python3' }],
      ] as const) {
        expect(await handlers.get(channel)!(event, args), channel).toMatchObject({
          ok: false,
          error: { code: 'forbidden' },
        })
      }
    }
    expect(existsSync(marker)).toBe(false)
    // Our own page may run it.
    expect(await handlers.get('program:run')!(ours, run)).toMatchObject({
      ok: true,
      value: { state: 'running' },
    })
  })
})
