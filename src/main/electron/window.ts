import { BrowserWindow, session, shell, app } from 'electron'
import { join } from 'node:path'
import { findAppRoot } from '../paths'

const out = join(findAppRoot(), 'out')

/** The one app window, with the security baseline from DESIGN.md. */
export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'Socket Labs',
    backgroundColor: '#f7f8fa',
    webPreferences: {
      preload: join(out, 'preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  })
  window.once('ready-to-show', () => window.show())

  if (!app.isPackaged && process.env.ELECTRON_RENDERER_URL) {
    void window.loadURL(process.env.ELECTRON_RENDERER_URL)
  } else {
    void window.loadFile(join(out, 'renderer/index.html'))
  }
  return window
}

/** No navigation away from the app, no new windows, no permissions (camera, notifications…). */
export function applySecurityPolicy(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  )
  session.defaultSession.setPermissionCheckHandler(() => false)
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault())
    contents.on('will-redirect', (event) => event.preventDefault())
    contents.setWindowOpenHandler(({ url }) => {
      // Links in lab text are documentation: hand http(s) to the system browser, never a window of ours.
      if (/^https?:\/\//.test(url)) void shell.openExternal(url)
      return { action: 'deny' }
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
  })
}
