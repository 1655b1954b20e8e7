import type { EventChannel, InvokeChannel, Reply } from '@shared/ipc'
import type { Transport } from '@shared/client-api'
import type { HostMessage, InvokeMessage } from '@shared/browser-wire'

export const CONNECTION_LOST_MESSAGE =
  'Lost the connection to the Socket Labs host. If it was stopped, start it again with npm start ' +
  'and open the new address it prints: each run has its own token, so this tab cannot reconnect.'

/** The part of the browser's WebSocket the transport uses (a fake one in tests). */
export interface SocketLike {
  readonly readyState: number
  send(data: string): void
  close(): void
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void
  addEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void
}

export interface WsTransportOptions {
  url: string
  /** Called once when the socket closes or fails: the host is gone. */
  onLost?: (message: string) => void
  /** Defaults to the browser's WebSocket. */
  createSocket?: (url: string) => SocketLike
}

export interface WsTransport extends Transport {
  close(): void
}

const OPEN = 1

/**
 * The browser host's twin of the Electron preload: the same Transport, over a WebSocket.
 * Invokes made before the socket opens are queued; when the socket closes every pending
 * call fails with a clear message, and so does every later one.
 */
export function createWsTransport(options: WsTransportOptions): WsTransport {
  const socket = options.createSocket
    ? options.createSocket(options.url)
    : (new WebSocket(options.url) as unknown as SocketLike)
  const pending = new Map<number, (reply: Reply<unknown>) => void>()
  const listeners = new Map<EventChannel, Set<(payload: unknown) => void>>()
  const queue: string[] = []
  let nextId = 1
  let lost = false

  const lostReply = (): Reply<unknown> => ({
    ok: false,
    error: { code: 'failed', message: CONNECTION_LOST_MESSAGE },
  })

  socket.addEventListener('open', () => {
    for (const data of queue.splice(0)) socket.send(data)
  })
  socket.addEventListener('message', (ev) => {
    if (typeof ev.data !== 'string') return
    let msg: HostMessage
    try {
      msg = JSON.parse(ev.data) as HostMessage
    } catch {
      return
    }
    if (msg.type === 'reply') {
      const resolve = pending.get(msg.id)
      if (resolve) {
        pending.delete(msg.id)
        resolve(msg.reply)
      }
    } else if (msg.type === 'event') {
      const set = listeners.get(msg.channel)
      if (set) for (const listener of [...set]) listener(msg.payload)
    }
  })
  const markLost = () => {
    if (lost) return
    lost = true
    queue.length = 0
    for (const resolve of pending.values()) resolve(lostReply())
    pending.clear()
    options.onLost?.(CONNECTION_LOST_MESSAGE)
  }
  socket.addEventListener('close', markLost)
  socket.addEventListener('error', markLost)

  return {
    invoke(channel: InvokeChannel, args: unknown): Promise<Reply<unknown>> {
      if (lost) return Promise.resolve(lostReply())
      const id = nextId++
      const message: InvokeMessage = { type: 'invoke', id, channel, args }
      const data = JSON.stringify(message)
      return new Promise((resolve) => {
        pending.set(id, resolve)
        if (socket.readyState === OPEN) socket.send(data)
        else queue.push(data)
      })
    },
    subscribe(channel: EventChannel, listener: (payload: unknown) => void): () => void {
      let set = listeners.get(channel)
      if (!set) {
        set = new Set()
        listeners.set(channel, set)
      }
      set.add(listener)
      return () => {
        set.delete(listener)
      }
    },
    close() {
      socket.close()
    },
  }
}
