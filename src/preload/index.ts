import { contextBridge, ipcRenderer } from 'electron'
import { createClientApi, type Transport } from '@shared/client-api'
import type { Reply } from '@shared/ipc'

/**
 * The renderer's only door to main: the typed API's named methods, built over ipcRenderer.
 * No generic send or invoke is exposed, and no ipcRenderer object crosses the bridge.
 */
const transport: Transport = {
  invoke: (channel, args) => ipcRenderer.invoke(channel, args) as Promise<Reply<unknown>>,
  subscribe(channel, listener) {
    const handler = (_event: Electron.IpcRendererEvent, payload: unknown) => listener(payload)
    ipcRenderer.on(channel, handler)
    return () => {
      ipcRenderer.removeListener(channel, handler)
    }
  },
}

contextBridge.exposeInMainWorld('socketLabs', createClientApi(transport))
