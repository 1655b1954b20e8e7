import { reactive } from 'vue'
import { createClientApi, type SocketLabsApi } from '@shared/client-api'
import { BROWSER_WS_PATH, TOKEN_PARAM } from '@shared/browser-wire'
import { createWsTransport } from './bridge/ws-transport'

/** Whether the host is still there; the app shows a banner when it is not. */
export const connection = reactive({ lost: false, message: '' })

let api: SocketLabsApi | undefined

/**
 * The typed API: the preload's `window.socketLabs` in Electron, otherwise (browser host)
 * the same API over a WebSocket to the page's own host, authorised by the page's token.
 */
export function getApi(): SocketLabsApi {
  api ??= window.socketLabs ?? createBrowserApi()
  return api
}

/** Tests and harnesses put their own API in place. */
export function setApi(next: SocketLabsApi | undefined): void {
  api = next
}

export function pageToken(loc: Pick<Location, 'search' | 'hash'> = window.location): string {
  const fromSearch = new URLSearchParams(loc.search).get(TOKEN_PARAM)
  if (fromSearch) return fromSearch
  // Also accept the token after the hash route: "#/lab/x?token=…".
  const q = loc.hash.indexOf('?')
  return q >= 0 ? (new URLSearchParams(loc.hash.slice(q + 1)).get(TOKEN_PARAM) ?? '') : ''
}

function createBrowserApi(): SocketLabsApi {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws'
  const token = encodeURIComponent(pageToken())
  const url = `${scheme}://${window.location.host}${BROWSER_WS_PATH}?${TOKEN_PARAM}=${token}`
  const transport = createWsTransport({
    url,
    onLost: (message) => {
      connection.lost = true
      connection.message = message
    },
  })
  return createClientApi(transport)
}
