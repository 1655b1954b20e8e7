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

const TOKEN_KEY = 'socket-labs-token'

/**
 * The token from the address, kept in this tab's session storage and taken out of the
 * address bar, so it is not shown on a projector, in a screenshot or in the history.
 * A reload finds it in session storage (and the host's cookie lets the page itself in).
 */
export function takePageToken(
  loc: Pick<Location, 'search' | 'hash' | 'pathname'> = window.location,
  storage: Pick<Storage, 'getItem' | 'setItem'> = window.sessionStorage,
  replace: (url: string) => void = (url) => window.history.replaceState(null, '', url),
): string {
  const fromAddress = pageToken(loc)
  if (!fromAddress) return storage.getItem(TOKEN_KEY) ?? ''
  storage.setItem(TOKEN_KEY, fromAddress)
  replace(loc.pathname + withoutToken(loc.search) + withoutToken(loc.hash))
  return fromAddress
}

/** `?token=…&x=1` → `?x=1`; also after a hash route (`#/lab/x?token=…`). */
function withoutToken(part: string): string {
  const q = part.indexOf('?')
  if (q < 0) return part
  const params = new URLSearchParams(part.slice(q + 1))
  params.delete(TOKEN_PARAM)
  const rest = params.toString()
  return part.slice(0, q) + (rest ? `?${rest}` : '')
}

function createBrowserApi(): SocketLabsApi {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws'
  const token = encodeURIComponent(takePageToken())
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
