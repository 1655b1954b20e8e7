import { beforeEach, describe, expect, it, vi } from 'vitest'

// Stand-ins for Electron's window, session and app: they record what our code asks for.
const shell = { openExternal: vi.fn() }
const created: { options: Record<string, unknown>; loaded?: string }[] = []
const appHandlers = new Map<string, (...args: unknown[]) => void>()
const permission = { request: undefined as unknown, check: undefined as unknown }

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = {}
    constructor(options: Record<string, unknown>) {
      created.push({ options })
    }
    once() {}
    loadFile(file: string) {
      created.at(-1)!.loaded = file
      return Promise.resolve()
    }
    loadURL(url: string) {
      created.at(-1)!.loaded = url
      return url.includes('unreachable')
        ? Promise.reject(new Error('ERR_CONNECTION_REFUSED'))
        : Promise.resolve()
    }
  }
  return {
    BrowserWindow,
    app: {
      isPackaged: true,
      on: (event: string, fn: (...args: unknown[]) => void) => appHandlers.set(event, fn),
    },
    shell,
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: unknown) => (permission.request = fn),
        setPermissionCheckHandler: (fn: unknown) => (permission.check = fn),
      },
    },
  }
})

const { applySecurityPolicy, createMainWindow } = await import('../../src/main/electron/window')

beforeEach(() => {
  created.length = 0
})

describe('the app window', () => {
  it('is isolated and sandboxed, without Node, with our preload, showing the page it is given', () => {
    createMainWindow('app://socket-labs/index.html')
    const prefs = created[0]!.options.webPreferences as Record<string, unknown>
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    })
    expect(String(prefs.preload)).toMatch(/out\/preload\/index\.cjs$/)
    expect(created[0]!.loaded).toBe('app://socket-labs/index.html')
  })

  it('reports a page that fails to load instead of leaving the rejection unhandled', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    createMainWindow('http://localhost:1/unreachable')
    await vi.waitFor(() =>
      expect(error).toHaveBeenCalledWith(
        expect.stringContaining('could not load its page'),
        expect.any(Error),
      ),
    )
    error.mockRestore()
  })

  it('ignores middle-clicks (auxclick) on links', () => {
    createMainWindow('app://socket-labs/index.html')
    const prefs = created[0]!.options.webPreferences as Record<string, unknown>
    expect(String(prefs.disableBlinkFeatures).split(',')).toContain('Auxclick')
  })

  it('denies permissions, navigation, new windows and webviews', () => {
    applySecurityPolicy()
    const granted: boolean[] = []
    ;(permission.request as (a: unknown, b: string, cb: (ok: boolean) => void) => void)(
      null,
      'media',
      (ok) => granted.push(ok),
    )
    expect(granted).toEqual([false])
    expect((permission.check as () => boolean)()).toBe(false)

    const listeners = new Map<string, (event: { preventDefault(): void }) => void>()
    let openHandler: ((details: { url: string }) => { action: string }) | undefined
    const contents = {
      on: (name: string, fn: (event: { preventDefault(): void }) => void) =>
        listeners.set(name, fn),
      setWindowOpenHandler: (fn: typeof openHandler) => (openHandler = fn),
    }
    appHandlers.get('web-contents-created')!({}, contents)
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = { preventDefault: vi.fn() }
      listeners.get(name)!(event)
      expect(event.preventDefault).toHaveBeenCalled()
    }
    expect(openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' })
    expect(openHandler!({ url: 'https://docs.python.org/3/library/socket.html' })).toEqual({
      action: 'deny',
    })
  })

  it('opens no link in the system browser, whatever the page asks', () => {
    applySecurityPolicy()
    let openHandler: ((details: { url: string }) => { action: string }) | undefined
    const contents = {
      on: () => {},
      setWindowOpenHandler: (fn: typeof openHandler) => (openHandler = fn),
    }
    appHandlers.get('web-contents-created')!({}, contents)
    for (const url of [
      'https://evil.example/phish',
      'http://127.0.0.1:5178/',
      'https://docs.python.org/3/library/socket.html',
      'mailto:x@example.org',
    ]) {
      expect(openHandler!({ url })).toEqual({ action: 'deny' })
    }
    expect(shell.openExternal).not.toHaveBeenCalled()
  })
})
