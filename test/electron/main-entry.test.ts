import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

// The Electron entry (src/main/index.ts) against stand-ins that log the order of its calls.
const fake = vi.hoisted(() => ({
  lock: true,
  calls: [] as string[],
  appHandlers: new Map<string, (...args: unknown[]) => void>(),
  windows: [] as { url?: string; closed?: () => void; webContents?: unknown }[],
  ipc: new Map<string, (event: unknown, args: unknown) => Promise<unknown>>(),
  opened: [] as string[],
  userData: '',
  ready: undefined as undefined | (() => void),
}))

vi.mock('electron', () => {
  class BrowserWindow {
    static getAllWindows = () => fake.windows
    entry: { url?: string; closed?: () => void; webContents?: unknown } = {}
    webContents = { on: () => {}, send: () => {}, mainFrame: { url: '' } }
    constructor() {
      this.entry.webContents = this.webContents
      fake.windows.push(this.entry)
      fake.calls.push('new BrowserWindow')
    }
    once() {}
    on(event: string, fn: () => void) {
      if (event === 'closed') this.entry.closed = fn
    }
    isDestroyed = () => false
    loadURL(url: string) {
      this.entry.url = url
      this.webContents.mainFrame.url = url
      return Promise.resolve()
    }
  }
  return {
    BrowserWindow,
    app: {
      isPackaged: false,
      setPath: (name: string, path: string) => {
        fake.calls.push(`setPath ${name}`)
        fake.userData = path
      },
      getPath: () => fake.userData,
      requestSingleInstanceLock: () => {
        fake.calls.push('requestSingleInstanceLock')
        return fake.lock
      },
      quit: () => fake.calls.push('quit'),
      exit: () => fake.calls.push('exit'),
      on: (event: string, fn: (...args: unknown[]) => void) => fake.appHandlers.set(event, fn),
      whenReady: () => {
        fake.calls.push('whenReady')
        return new Promise<void>((resolve) => (fake.ready = resolve))
      },
    },
    protocol: {
      registerSchemesAsPrivileged: () => fake.calls.push('registerSchemesAsPrivileged'),
      handle: (scheme: string) => fake.calls.push(`protocol.handle ${scheme}`),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => {},
        setPermissionCheckHandler: () => {},
      },
    },
    ipcMain: {
      handle: (channel: string, fn: (event: unknown, args: unknown) => Promise<unknown>) =>
        fake.ipc.set(channel, fn),
      removeHandler: () => {},
    },
    shell: {
      openPath: (path: string) => {
        fake.opened.push(path)
        return Promise.resolve('')
      },
    },
  }
})

let dir: string
beforeEach(async () => {
  vi.resetModules()
  fake.calls.length = 0
  fake.windows.length = 0
  fake.appHandlers.clear()
  fake.ipc.clear()
  fake.opened.length = 0
  dir = await mkdtemp(join(tmpdir(), 'socket-labs-entry-'))
  vi.stubEnv('SOCKET_LABS_USER_DATA', dir)
  vi.stubEnv('ELECTRON_RENDERER_URL', '')
  vi.spyOn(console, 'log').mockImplementation(() => {})
})

afterEach(async () => {
  vi.unstubAllEnvs()
  await rm(dir, { recursive: true, force: true })
})

describe('the Electron entry', () => {
  it('quits at once as a second instance on the same data folder', async () => {
    fake.lock = false
    await import('../../src/main/index')
    expect(fake.calls).toEqual([
      `setPath userData`,
      'registerSchemesAsPrivileged',
      'requestSingleInstanceLock',
      'quit',
    ])
    expect(fake.userData).toBe(dir)
    expect(fake.windows).toEqual([])
  })

  it('registers app:// before ready, serves it after, and loads the window from it', async () => {
    fake.lock = true
    await import('../../src/main/index')
    expect(fake.calls.indexOf('registerSchemesAsPrivileged')).toBeLessThan(
      fake.calls.indexOf('whenReady'),
    )
    expect(fake.appHandlers.has('second-instance')).toBe(true)
    fake.ready!()
    await vi.waitUntil(() => fake.windows.length > 0)
    expect(fake.calls).toContain('protocol.handle app')
    expect(fake.windows[0]!.url).toBe('app://socket-labs/index.html')
    // Quit: the core is disposed first (its sockets and timers), then the app quits.
    const quitEvent = { preventDefault: vi.fn() }
    fake.appHandlers.get('will-quit')!(quitEvent)
    expect(quitEvent.preventDefault).toHaveBeenCalled()
    await vi.waitUntil(() => fake.calls.includes('quit'))
  })

  it("opens the lab's own workspace folder in the file manager when the window asks", async () => {
    fake.lock = true
    await import('../../src/main/index')
    fake.ready!()
    await vi.waitUntil(() => fake.windows.length > 0 && fake.ipc.has('workspace:openFolder'))
    const wc = fake.windows[0]!.webContents as { mainFrame: unknown }
    const fromWindow = { sender: wc, senderFrame: wc.mainFrame }
    const info = (await fake.ipc.get('workspace:get')!(fromWindow, { labId: 'counter' })) as {
      ok: boolean
      value: { dir: string; canOpenFolder: boolean }
    }
    expect(info.ok).toBe(true)
    expect(info.value.canOpenFolder).toBe(true)
    const reply = await fake.ipc.get('workspace:openFolder')!(fromWindow, { labId: 'counter' })
    expect(reply).toEqual({ ok: true, value: null })
    expect(fake.opened).toEqual([info.value.dir])
    expect(info.value.dir).toBe(join(dir, 'workspaces', 'counter'))
    const quitEvent = { preventDefault: vi.fn() }
    fake.appHandlers.get('will-quit')!(quitEvent)
    await vi.waitUntil(() => fake.calls.includes('quit'))
  })
})
