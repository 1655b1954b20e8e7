import { createSocket } from 'node:dgram'
import { deferred } from '../actor'
import { formatAddress, normalizeHost, udpType } from '../address'

/** A datagram a client has received, with the "host:port" recvfrom() would return. */
export interface Datagram {
  data: Buffer
  from: string
}

/** What a receive ends with: a datagram, the timeout, or `null` when the client was stopped. */
export type Received = Datagram | 'timeout' | null

/**
 * A UDP client's socket and its receive queue, like recvfrom() with settimeout():
 * a datagram that arrives while nobody waits is kept for the next receive, as the kernel
 * would keep it for Python's next recvfrom(). Shared by the labs' UDP clients.
 */
export function openUdpInbox(host: string) {
  const address = normalizeHost(host)
  const socket = createSocket(udpType(address))
  const queue: Datagram[] = []
  let waiting: ReturnType<typeof deferred<Received>> | undefined
  let closed = false
  let closing: Promise<void> | undefined
  const socketError = deferred<Error>()
  socket.on('error', (error) => socketError.resolve(error))
  socket.on('message', (data, rinfo) => {
    const item = { data, from: formatAddress(rinfo.address, rinfo.port) }
    const w = waiting
    waiting = undefined
    if (w) w.resolve(item)
    else queue.push(item)
  })

  return {
    socket,
    /** Bind to an ephemeral port on the loopback address the server sees; the error if any. */
    async bind(): Promise<Error | null> {
      const bound = deferred<void>()
      socket.bind({ port: 0, address }, () => bound.resolve())
      return Promise.race([bound.promise.then(() => null), socketError.promise])
    },
    /** "host:port" of the bound socket. */
    local(): string {
      const a = socket.address()
      return formatAddress(a.address, a.port)
    },
    send(data: string | Buffer, port: number, toHost: string): void {
      socket.send(data, port, normalizeHost(toHost))
    },
    /**
     * The next datagram, waiting at most `timeoutMs` for it; 0 waits with no limit, as
     * settimeout(None) does. Resolves `null` at once once the inbox is closed.
     */
    receive(timeoutMs: number): Promise<Received> {
      if (closed) return Promise.resolve(null)
      const queued = queue.shift()
      if (queued) return Promise.resolve(queued)
      const w = deferred<Received>()
      waiting = w
      if (timeoutMs <= 0) return w.promise
      const timer = setTimeout(() => {
        if (waiting === w) waiting = undefined
        w.resolve('timeout')
      }, timeoutMs)
      return w.promise.finally(() => clearTimeout(timer))
    },
    /** Is a receive waiting right now? (A stop while blocked is worth telling.) */
    get blocked(): boolean {
      return waiting !== undefined
    },
    /** Wake a waiting receive with `null`; later receives resolve `null` too. */
    interrupt(): void {
      closed = true
      const w = waiting
      waiting = undefined
      w?.resolve(null)
    },
    close(): Promise<void> {
      closed = true
      // Once only: a second socket.close() throws, and the caller's chain would reject unseen.
      if (closing) return closing
      const finished = deferred<void>()
      closing = finished.promise
      socket.close(() => finished.resolve())
      return closing
    },
  }
}

export type UdpInbox = ReturnType<typeof openUdpInbox>
