import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import {
  BROWSER_WS_PATH,
  InvokeMessageSchema,
  TOKEN_PARAM,
  type EventMessage,
  type ReplyMessage,
} from '@shared/browser-wire'
import type { AppCore } from '../core/app-core'
import { contentSecurityPolicy, send, serveStatic } from './static-files'

export interface BrowserHostOptions {
  core: AppCore
  /** The built renderer (out/renderer). */
  rendererDir: string
  /** 0 picks a free port. */
  port?: number
  /** Fixed token for tests; a random one otherwise. */
  token?: string
}

export interface BrowserHost {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

/** Largest message a page may send: invokes are small; anything bigger is not ours. */
const MAX_MESSAGE_BYTES = 64 * 1024

/**
 * The app without Electron: the built renderer over HTTP and the IPC contract over a
 * WebSocket, on 127.0.0.1 only. Every request needs the run's random token, and the
 * WebSocket also needs our own Origin, so other pages and other users cannot drive it.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? randomBytes(24).toString('base64url')
  let port = 0
  const tokenOk = (url: URL) => sameSecret(url.searchParams.get(TOKEN_PARAM) ?? '', token)

  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed')
    // The page itself needs the token; its scripts and styles are the same for everyone.
    const isPage = url.pathname === '/' || url.pathname === '/index.html'
    if (isPage && !tokenOk(url)) {
      return send(
        res,
        403,
        'Socket Labs: this address needs the token. Open the full address that `npm start` printed.',
      )
    }
    void serveStatic(options.rendererDir, url.pathname, res, contentSecurityPolicy(port))
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  const clients = new Set<WebSocket>()

  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const refuse = (status: number, reason: string) => {
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n\r\n`)
    }
    if (url.pathname !== BROWSER_WS_PATH) return refuse(404, 'Not Found')
    if (!tokenOk(url)) return refuse(403, 'Forbidden')
    if (!originAllowed(req, port)) return refuse(403, 'Forbidden')
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws))
  })

  function accept(ws: WebSocket) {
    clients.add(ws)
    const notice = options.core.takeStartupNotice()
    if (notice) {
      const event: EventMessage = {
        type: 'event',
        channel: 'app:notice',
        payload: { level: 'warn', message: notice },
      }
      ws.send(JSON.stringify(event))
    }
    ws.on('close', () => clients.delete(ws))
    ws.on('message', async (raw, isBinary) => {
      if (isBinary) return ws.close(1003, 'text only')
      let message
      try {
        message = InvokeMessageSchema.parse(JSON.parse(raw.toString()))
      } catch {
        return ws.close(1008, 'malformed message')
      }
      const reply = await options.core.invoke(message.channel, message.args)
      const out: ReplyMessage = { type: 'reply', id: message.id, reply }
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(out))
    })
  }

  const unsubscribe = options.core.subscribe((channel, payload) => {
    if (clients.size === 0) return
    const text = JSON.stringify({ type: 'event', channel, payload } satisfies EventMessage)
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text)
  })

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen({ host: '127.0.0.1', port: options.port ?? 0, exclusive: true }, () => {
      http.off('error', reject)
      resolve()
    })
  })
  port = (http.address() as AddressInfo).port

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

function originAllowed(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}
