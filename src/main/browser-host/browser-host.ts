import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import {
  BROWSER_WS_PATH,
  InvokeMessageSchema,
  MAX_INVOKE_BYTES,
  TOKEN_PARAM,
  type EventMessage,
  type ReplyMessage,
} from '@shared/browser-wire'
import type { AppCore } from '../core/app-core'
import { ConnectionGate } from './connection-gate'
import {
  allowedHosts,
  cookieValue,
  hostAllowed,
  originAllowed,
  requestUrl,
  sameSecret,
  tokenCookieName,
  tokenProblem,
} from './host-guards'
import { contentSecurityPolicy, send, serveStatic } from './static-files'

export interface BrowserHostOptions {
  core: AppCore
  /** The built renderer (out/renderer). */
  rendererDir: string
  /** 0 picks a free port. */
  port?: number
  /** Fixed token for tests; a random one otherwise. At least 16 characters. */
  token?: string
  /** Open TCP connections at most (pages, assets, WebSockets); see ConnectionGate. */
  maxConnections?: number
  /** Tabs connected over WebSocket at most. */
  maxPages?: number
  /** Called when something goes wrong that is not any one request's fault. */
  onError?: (error: Error) => void
}

export interface BrowserHost {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

export const DEFAULT_MAX_CONNECTIONS = 256
export const DEFAULT_MAX_PAGES = 16
/** A connection that sends no complete request within this time is closed. */
const HEADERS_TIMEOUT_MS = 10_000
const IDLE_TIMEOUT_MS = 30_000

/**
 * The app without Electron: the built renderer over HTTP and the IPC contract over a
 * WebSocket, on 127.0.0.1 only. Every request must name this host; the page and the
 * WebSocket need the run's random token, and the WebSocket also our own Origin, so other
 * pages and other users cannot drive it. Nothing a client sends can end the process: a bad
 * request gets a status, a bad frame closes only its own socket.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? randomBytes(24).toString('base64url')
  const problem = tokenProblem(token)
  if (problem) throw new Error(problem)
  const report = options.onError ?? ((error) => console.error(`Socket Labs host: ${error.message}`))
  let port = 0
  const gate = new ConnectionGate(options.maxConnections ?? DEFAULT_MAX_CONNECTIONS)
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES
  const tokenOk = (req: IncomingMessage, url: URL) =>
    sameSecret(url.searchParams.get(TOKEN_PARAM) ?? '', token) ||
    sameSecret(cookieValue(req, tokenCookieName(port)), token)

  const http = createServer((req, res) => {
    const url = requestUrl(req)
    if (!url) return send(res, 400, 'Bad request: the address could not be read.')
    if (!hostAllowed(req, port)) return send(res, 421, wrongHostText(port))
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed')
    // The page itself needs the token; its scripts and styles are the same for everyone.
    const isPage = url.pathname === '/' || url.pathname === '/index.html'
    if (isPage) {
      if (!tokenOk(req, url)) {
        return send(
          res,
          403,
          'Socket Labs: this address needs the token. Open the full address that `npm start` printed.',
        )
      }
      gate.trust(req.socket)
      // The page takes the token out of the address bar; this cookie lets a reload back in.
      res.setHeader(
        'set-cookie',
        `${tokenCookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`,
      )
    }
    serveStatic(options.rendererDir, url.pathname, res, contentSecurityPolicy(port)).catch(
      (error: Error) => {
        report(error)
        if (!res.headersSent) send(res, 500, 'Internal error')
        else res.destroy()
      },
    )
  })
  http.headersTimeout = HEADERS_TIMEOUT_MS
  http.requestTimeout = HEADERS_TIMEOUT_MS
  http.keepAliveTimeout = 5_000
  http.setTimeout(IDLE_TIMEOUT_MS)
  http.on('connection', (socket: Socket) => gate.admit(socket))

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_INVOKE_BYTES })
  const clients = new Set<WebSocket>()

  http.on('upgrade', (req, socket: Socket, head) => {
    // Past the upgrade, the HTTP server no longer listens for this socket's errors.
    socket.on('error', () => socket.destroy())
    const refuse = (status: number, reason: string) => {
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n\r\n`)
    }
    const url = requestUrl(req)
    if (!url) return refuse(400, 'Bad Request')
    if (!hostAllowed(req, port)) return refuse(421, 'Misdirected Request')
    if (url.pathname !== BROWSER_WS_PATH) return refuse(404, 'Not Found')
    if (!tokenOk(req, url)) return refuse(403, 'Forbidden')
    if (!originAllowed(req, port)) return refuse(403, 'Forbidden')
    if (clients.size >= maxPages) return refuse(503, 'Too Many Tabs')
    gate.trust(socket)
    socket.setTimeout(0) // A tab may sit quietly for hours; it is ours.
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws))
  })
  http.on('clientError', (_error, socket: Socket) => {
    // Node's default answer, without letting a write to a dead socket throw.
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
    else socket.destroy()
  })
  wss.on('error', report)

  function accept(ws: WebSocket) {
    clients.add(ws)
    // A bad frame (invalid UTF-8, unmasked, oversized, reserved bits…) ends this socket only.
    ws.on('error', () => ws.terminate())
    ws.on('close', () => clients.delete(ws))
    for (const { channel, payload } of options.core.welcomeEvents()) {
      sendTo(ws, JSON.stringify({ type: 'event', channel, payload } satisfies EventMessage))
    }
    ws.on('message', (raw, isBinary) => {
      handleMessage(ws, raw.toString(), isBinary).catch(report)
    })
  }

  async function handleMessage(ws: WebSocket, text: string, isBinary: boolean) {
    if (isBinary) return ws.close(1003, 'text only')
    let message
    try {
      message = InvokeMessageSchema.parse(JSON.parse(text))
    } catch {
      return ws.close(1008, 'malformed message')
    }
    const reply = await options.core.invoke(message.channel, message.args)
    const out: ReplyMessage = { type: 'reply', id: message.id, reply }
    sendTo(ws, JSON.stringify(out))
  }

  function sendTo(ws: WebSocket, text: string) {
    if (ws.readyState !== ws.OPEN) return
    // A socket that dies while the message is on its way reports it here, not as a throw.
    ws.send(text, (error) => {
      if (error) ws.terminate()
    })
  }

  const unsubscribe = options.core.subscribe((channel, payload) => {
    if (clients.size === 0) return
    const text = JSON.stringify({ type: 'event', channel, payload } satisfies EventMessage)
    for (const ws of clients) sendTo(ws, text)
  })

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen({ host: '127.0.0.1', port: options.port ?? 0, exclusive: true }, () => {
      http.off('error', reject)
      resolve()
    })
  })
  port = (http.address() as AddressInfo).port
  http.on('error', report)

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?${TOKEN_PARAM}=${token}`,
    async close() {
      unsubscribe()
      for (const ws of clients) ws.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      await new Promise<void>((resolve) => {
        http.close(() => resolve())
        http.closeAllConnections()
      })
    },
  }
}

function wrongHostText(port: number): string {
  return `Socket Labs answers only at ${allowedHosts(port)
    .map((h) => `http://${h}/`)
    .join(' or ')}: open the address that \`npm start\` printed.`
}
