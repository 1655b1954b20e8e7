import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import { invokeChannels, type InvokeChannel, type Reply } from '@shared/ipc'
import type { AppCore } from '../core/app-core'

/**
 * Electron's adapter for the IPC contract. Every invoke is answered only for our own
 * window's main frame, and its payload is validated by the core before any work.
 */
export function registerIpc(core: AppCore, window: BrowserWindow): () => void {
  const isOurWindow = (event: IpcMainInvokeEvent) =>
    !window.isDestroyed() &&
    event.sender === window.webContents &&
    event.senderFrame !== null &&
    event.senderFrame === window.webContents.mainFrame

  const channels = Object.keys(invokeChannels) as InvokeChannel[]
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, args: unknown): Promise<Reply<unknown>> => {
      if (!isOurWindow(event)) {
        return {
          ok: false,
          error: { code: 'forbidden', message: 'IPC from an unknown sender was ignored' },
        }
      }
      return core.invoke(channel, args)
    })
  }

  const unsubscribe = core.subscribe((channel, payload) => {
    if (!window.isDestroyed()) window.webContents.send(channel, payload)
  })

  return () => {
    unsubscribe()
    for (const channel of channels) ipcMain.removeHandler(channel)
  }
}
