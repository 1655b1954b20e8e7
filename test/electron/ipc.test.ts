import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { invokeChannels } from '@shared/ipc'

// A stand-in for Electron's ipcMain: records handlers so the test can call them as Electron would.
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

const mainFrame = { name: 'main', url: 'app://socket-labs/index.html#/labs/ping-pong' }
const trusted = ['app://socket-labs']
const webContents = { mainFrame, send: vi.fn() }
const window = { isDestroyed: () => false, webContents }
const ours = { sender: webContents, senderFrame: mainFrame }

let dir: string
let core: Awaited<ReturnType<typeof AppCore.create>>
let unregister: () => void

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'socket-labs-ipc-'))
  core = await AppCore.create({
    labsDir: join(import.meta.dirname, '../../labs'),
    userDataDir: dir,
  })
  unregister = registerIpc(core, window as never, trusted)
})

afterEach(async () => {
  unregister()
  await core.dispose()
  await rm(dir, { recursive: true, force: true })
})

describe('Electron IPC adapter', () => {
  it('registers exactly the contract’s invoke channels, and removes them again', () => {
    expect([...handlers.keys()].sort()).toEqual(Object.keys(invokeChannels).sort())
    unregister()
    expect(handlers.size).toBe(0)
    unregister = registerIpc(core, window as never, trusted)
  })

  it('answers our window’s main frame', async () => {
    const reply = await handlers.get('labs:list')!(ours, {})
    expect(reply).toMatchObject({ ok: true })
  })

  it('ignores other senders and subframes', async () => {
    const stranger = { sender: { mainFrame: {} }, senderFrame: {} }
    expect(await handlers.get('labs:list')!(stranger, {})).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    })
    const subframe = { sender: webContents, senderFrame: { name: 'iframe' } }
    expect(await handlers.get('labs:list')!(subframe, {})).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    })
  })

  it('ignores our own main frame once it shows a page that is not our renderer', async () => {
    const elsewhere = [
      'file:///home/student/index.html',
      'https://evil.example/',
      'http://localhost:5173/',
      'about:blank',
      'app://other-host/index.html',
    ]
    try {
      for (const url of elsewhere) {
        mainFrame.url = url
        expect(await handlers.get('labs:list')!(ours, {}), url).toMatchObject({
          ok: false,
          error: { code: 'forbidden' },
        })
      }
    } finally {
      mainFrame.url = 'app://socket-labs/index.html'
    }
  })

  it('answers the dev server’s page when that is the trusted origin', async () => {
    unregister()
    unregister = registerIpc(core, window as never, ['http://localhost:5173'])
    mainFrame.url = 'http://localhost:5173/#/labs'
    try {
      expect(await handlers.get('labs:list')!(ours, {})).toMatchObject({ ok: true })
    } finally {
      mainFrame.url = 'app://socket-labs/index.html'
    }
  })

  it('rejects malformed payloads before doing anything', async () => {
    const start = handlers.get('actor:start')!
    const cases: [unknown, RegExp][] = [
      [{ labId: 'ping-pong', kind: 'tcp-server', host: '127.0.0.1', port: 80 }, /privileged/],
      [{ labId: 'ping-pong', kind: 'tcp-server', host: '127.0.0.1', port: 70000 }, /at most 65535/],
      [{ labId: 'ping-pong', kind: 'tcp-server', host: '127.0.0.1', port: '5000' }, /port/],
      [{ labId: 'ping-pong', kind: 'tcp-server', host: '192.168.1.5', port: 5000 }, /loopback/],
      [{ labId: 'ping-pong', kind: 'rm -rf', host: '127.0.0.1', port: 5000 }, /kind/],
      [null, /labId/],
    ]
    for (const [args, message] of cases) {
      const reply = (await start(ours, args)) as {
        ok: boolean
        error: { code: string; message: string }
      }
      expect(reply.ok).toBe(false)
      expect(reply.error.code).toBe('bad-request')
      expect(reply.error.message).toMatch(message)
    }
  })

  it('forwards core events to the window', async () => {
    const port = await new Promise<number>((resolve) => {
      import('node:net').then(({ createServer }) => {
        const s = createServer().listen(0, '127.0.0.1', () => {
          const p = (s.address() as { port: number }).port
          s.close(() => resolve(p))
        })
      })
    })
    await handlers.get('actor:start')!(ours, {
      labId: 'ping-pong',
      kind: 'tcp-server',
      host: '127.0.0.1',
      port,
    })
    expect(webContents.send).toHaveBeenCalledWith(
      'actor:status',
      expect.objectContaining({ kind: 'tcp-server' }),
    )
  })
})
