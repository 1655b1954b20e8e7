import { BrowserWindow, session, app } from 'electron'
import { join } from 'node:path'
import { findAppRoot } from '../paths'

const out = join(findAppRoot(), 'out')

/** The one app window, with the security baseline from DESIGN.md, showing `url`. */
export function createMainWindow(url: string): BrowserWindow {
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
      // No middle-click (auxclick) on links: it would try to open them in a new window.
      disableBlinkFeatures: 'Auxclick',
    },
  })
  window.once('ready-to-show', () => window.show())
  // A failed load (the dev server gone, a missing build) is reported, never left unhandled.
  window.loadURL(url).catch((error: unknown) => {
    console.error(`Socket Labs could not load its page (${url}):`, error)
  })
  return window
}

/**
 * No navigation away from the app, no new windows (so no links open anywhere, in the app or in
 * the system browser), no webviews, no permissions (camera, notifications…).
 */
export function applySecurityPolicy(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  )
  session.defaultSession.setPermissionCheckHandler(() => false)
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault())
    contents.on('will-redirect', (event) => event.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
    contents.on('will-attach-webview', (event) => event.preventDefault())
  })
}
