import { createServer, type Socket } from 'node:net'
import type { ActorContext, ActorDefinition } from '../actor'
import { formatAddress } from '../address'
import { listenTcp } from '../listen'
import { serveConnection, type ServedConnection } from './mc-connection'

/** The backlogs the servers ask for, as `server.listen(...)` in the Python programs. */
export const BACKLOG = { sequential: 5, concurrent: 128 } as const

type Mode = 'sequential' | 'concurrent'

/**
 * The two multi-client servers. Node's net.Server accepts every connection by itself, so
 * the sequential one has to *behave* like a Python server that calls accept() only when
 * it is free: each new socket is paused (nothing is read from it) and queued, and its
 * `accept` is traced only when the server takes it from the queue. Until then the client
 * is connected (the kernel did the handshake) but not served: it waits in the backlog.
 * The concurrent one serves each connection at once, like a thread per client.
 */
function startServer(ctx: ActorContext, mode: Mode) {
  const local = formatAddress(ctx.host, ctx.port)
  const server = createServer({ allowHalfOpen: true, pauseOnConnect: mode === 'sequential' })
  const waiting: Socket[] = []
  const serving = new Set<ServedConnection>()
  const maxClients = mode === 'sequential' ? ctx.options.maxClients : 0
  let accepted = 0
  let finished = 0

  const listener = listenTcp(ctx, server, {
    local,
    backlog: BACKLOG[mode],
    listenMessage: `listen(${BACKLOG[mode]}): the kernel may queue connections that accept() has not taken yet`,
    acceptNote() {
      const limit = maxClients > 0 ? ` (it stops by itself after ${maxClients})` : ''
      return { message: `accept() waits for a client${limit}` }
    },
    closeAll() {
      for (const socket of waiting.splice(0)) {
        const remote = formatAddress(socket.remoteAddress ?? '?', socket.remotePort ?? 0)
        ctx.trace({
          op: 'note',
          local,
          remote,
          conn: `${remote}->${local}`,
          level: 'warn',
          message:
            'this connection was still waiting in the backlog and is reset: the server has stopped',
        })
        socket.resetAndDestroy()
      }
      for (const c of serving) c.stop()
    },
    idle: () => serving.size === 0 && waiting.length === 0,
  })
  const { finish, settleIfClosed } = listener

  server.on('connection', (socket) => {
    if (listener.outcome) {
      socket.destroy()
      return
    }
    // Until it is served, an error on this socket (a client giving up) must not throw.
    socket.on('error', () => undefined)
    if (mode === 'concurrent') return serve(socket)
    waiting.push(socket)
    if (serving.size > 0) {
      const remote = formatAddress(socket.remoteAddress ?? '?', socket.remotePort ?? 0)
      ctx.trace({
        op: 'note',
        local,
        remote,
        conn: `${remote}->${local}`,
        message: `a client connected and waits in the backlog: the kernel did the handshake, but accept() is busy with another client (${waiting.length} waiting)`,
      })
    }
    takeNext()
  })

  function takeNext() {
    if (listener.outcome || serving.size > 0) return
    let socket = waiting.shift()
    // A client that gave up while it waited is gone before accept() could take it.
    while (socket?.destroyed) socket = waiting.shift()
    if (!socket) return
    serve(socket)
    socket.resume()
  }

  function serve(socket: Socket) {
    accepted++
    const message =
      mode === 'sequential'
        ? `accept() returned client ${accepted}` +
          (waiting.length > 0 ? `; ${waiting.length} more wait in the backlog` : '')
        : `accept() returned client ${accepted}; a new thread serves it while the server goes back to accept()`
    const served = serveConnection(ctx, socket, local, message)
    serving.add(served)
    void served.closed.then(() => {
      serving.delete(served)
      finished++
      if (listener.outcome) return settleIfClosed()
      if (maxClients > 0 && finished >= maxClients) {
        ctx.trace({
          op: 'note',
          local,
          at: 'max-clients',
          message: `${finished} clients served, the maximum: the loop ends and the server stops by itself`,
        })
        return finish({ state: 'finished', message: `Served ${finished} clients, the maximum.` })
      }
      if (mode === 'sequential') {
        if (waiting.length === 0) {
          ctx.trace({
            op: 'note',
            local,
            at: 'accept',
            message: 'back to accept(): waiting for the next client',
          })
        }
        takeNext()
      }
    })
  }

  return {
    ...listener.running,
    async stop() {
      if (!listener.outcome && listener.listenSettled && server.listening) {
        ctx.trace({
          op: 'note',
          local,
          at: 'running-flag',
          message: 'Stop: running = False, so the server leaves its accept() loop',
        })
      }
      await listener.running.stop()
    },
  }
}

/** labs/multi-client/sequential_server.py: one client at a time, back to accept() after each. */
export const sequentialServer: ActorDefinition = {
  kind: 'sequential-server',
  file: 'sequential_server.py',
  start: (ctx) => startServer(ctx, 'sequential'),
}

/** labs/multi-client/threaded_server.py: one handler (a thread in Python) per client. */
export const concurrentServer: ActorDefinition = {
  kind: 'concurrent-server',
  file: 'threaded_server.py',
  start: (ctx) => startServer(ctx, 'concurrent'),
}
