import { app, type BrowserWindow } from 'electron'

/**
 * One Socket Labs per data folder: Electron's lock lives in the userData folder, so a second
 * start on the same folder quits at once and the first one comes to the front instead.
 * Returns false in the second instance, which must not go on starting.
 */
export function claimSingleInstance(currentWindow: () => BrowserWindow | undefined): boolean {
  if (!app.requestSingleInstanceLock()) {
    console.log(
      `Socket Labs is already running with the data folder ${app.getPath('userData')}: switching to its window.`,
    )
    app.quit()
    return false
  }
  app.on('second-instance', () => {
    const window = currentWindow()
    if (!window || window.isDestroyed()) return
    if (window.isMinimized()) window.restore()
    window.show()
    window.focus()
  })
  return true
}
