/// <reference types="vite/client" />
import type { SocketLabsApi } from '@shared/client-api'

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent when the page is served by the browser host. */
    socketLabs?: SocketLabsApi
  }
}

export {}
