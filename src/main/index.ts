import { app, BrowserWindow, dialog } from 'electron'
import { AppCore } from './core/app-core'
import { registerIpc } from './electron/ipc'
import { applySecurityPolicy, createMainWindow } from './electron/window'
import { defaultLabsDir } from './paths'
import { acquireDataFolderLock, alreadyRunningMessage } from './data-folder-lock'

/** Electron entry: wiring only. Everything that does work lives in the core. */
let core: AppCore | undefined

async function start() {
  await app.whenReady()
  applySecurityPolicy()
  const userDataDir = process.env.SOCKET_LABS_USER_DATA ?? app.getPath('userData')
  // The browser host may run on the same data folder: one of them only (see data-folder-lock).
  const locked = await acquireDataFolderLock(userDataDir, 'Electron window')
  if (!locked.ok) {
    dialog.showErrorBox('Socket Labs is already running', alreadyRunningMessage(locked))
    return app.exit(3)
  }
  if (locked.warning) console.warn(locked.warning)
  process.on('exit', () => locked.lock.release())
  core = await AppCore.create({
    labsDir: app.isPackaged ? `${process.resourcesPath}/labs` : defaultLabsDir(),
    userDataDir,
  })
  const window = createMainWindow()
  const unregister = registerIpc(core, window)
  window.webContents.on('did-finish-load', () => {
    const notice = core?.takeStartupNotice()
    if (notice) window.webContents.send('app:notice', { level: 'warn', message: notice })
  })
  window.on('closed', unregister)
}

app.on('window-all-closed', () => app.quit())

// Quitting closes every socket and timer before the process goes.
let disposed = false
app.on('will-quit', (event) => {
  if (disposed || !core) return
  event.preventDefault()
  void core.dispose().finally(() => {
    disposed = true
    app.quit()
  })
})

app.on('activate', () => {
  if (BrowserWindow.getAllWindows().length === 0 && core) registerIpc(core, createMainWindow())
})

start().catch((error) => {
  console.error('Socket Labs failed to start:', error)
  app.exit(1)
})
