import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import { invokeChannels, type InvokeChannel, type Reply } from '@shared/ipc'
import type { AppCore } from '../core/app-core'
import { originOf } from './renderer-url'

/**
 * Electron's adapter for the IPC contract. Every invoke is answered only for our own
 * window's main frame showing our renderer (one of `trustedOrigins`, e.g. app://socket-labs),
 * and its payload is validated by the core before any work.
 */
export function registerIpc(
  core: AppCore,
  window: BrowserWindow,
  trustedOrigins: readonly string[],
): () => void {
  const isOurWindow = (event: IpcMainInvokeEvent) =>
    !window.isDestroyed() &&
    event.sender === window.webContents &&
    event.senderFrame !== null &&
    event.senderFrame === window.webContents.mainFrame &&
    trustedOrigins.includes(originOf(event.senderFrame.url))

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
