import { app, BrowserWindow, dialog } from 'electron'
import { resolve } from 'node:path'
import { AppCore } from './core/app-core'
import { registerAppScheme, serveAppProtocol } from './electron/app-protocol'
import { registerIpc } from './electron/ipc'
import { openFolderInFileManager } from './electron/open-folder'
import { rendererSource } from './electron/renderer-url'
import { claimSingleInstance } from './electron/single-instance'
import { applySecurityPolicy, createMainWindow } from './electron/window'
import { defaultLabsDir, defaultRendererDir } from './paths'
import { acquireDataFolderLock, alreadyRunningMessage } from './data-folder-lock'
import { reportUnhandledRejections } from './unhandled'

/** Electron entry: wiring only. Everything that does work lives in the core. */
let core: AppCore | undefined
let mainWindow: BrowserWindow | undefined

// Electron's single-instance lock lives in userData: pointing userData at the chosen data
// folder makes it one instance per data folder.
if (process.env.SOCKET_LABS_USER_DATA) {
  app.setPath('userData', resolve(process.env.SOCKET_LABS_USER_DATA))
}
registerAppScheme()
reportUnhandledRejections()
const source = rendererSource(process.env.ELECTRON_RENDERER_URL, app.isPackaged)

function openWindow(appCore: AppCore): BrowserWindow {
  const window = createMainWindow(source.url)
  const unregister = registerIpc(appCore, window, source.trustedOrigins)
  window.webContents.on('did-finish-load', () => {
    for (const { channel, payload } of appCore.welcomeEvents()) {
      window.webContents.send(channel, payload)
    }
  })
  window.on('closed', () => {
    unregister()
    if (mainWindow === window) mainWindow = undefined
  })
  mainWindow = window
  return window
}

async function start() {
  await app.whenReady()
  applySecurityPolicy()
  // userData already points at SOCKET_LABS_USER_DATA when it is set (see above).
  const userDataDir = app.getPath('userData')
  // The browser host may run on the same data folder: one of them only (see data-folder-lock).
  const locked = await acquireDataFolderLock(userDataDir, 'Electron window')
  if (!locked.ok) {
    dialog.showErrorBox('Socket Labs is already running', alreadyRunningMessage(locked))
    return app.exit(3)
  }
  if (locked.warning) console.warn(locked.warning)
  process.on('exit', () => locked.lock.release())
  serveAppProtocol(defaultRendererDir())
  core = await AppCore.create({
    labsDir: app.isPackaged ? `${process.resourcesPath}/labs` : defaultLabsDir(),
    userDataDir,
    // The desktop app can show a workspace in the system's file manager.
    student: { openFolder: openFolderInFileManager },
  })
  openWindow(core)
}

if (claimSingleInstance(() => mainWindow)) {
  app.on('window-all-closed', () => app.quit())

  // Quitting closes every socket and timer before the process goes.
  let disposed = false
  app.on('will-quit', (event) => {
    if (disposed || !core) return
    event.preventDefault()
    void core
      .dispose()
      .catch((error: unknown) => console.error('Socket Labs: closing the sessions failed:', error))
      .finally(() => {
        disposed = true
        app.quit()
      })
  })

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && core) openWindow(core)
  })

  start().catch((error) => {
    console.error('Socket Labs failed to start:', error)
    app.exit(1)
  })
}
