import type { Server } from 'node:net'
import {
  deferred,
  type ActorContext,
  type ActorOutcome,
  type ActorTraceInput,
  type RunningActor,
} from './actor'
import { explainSocketError } from './errors'

export interface ListenSpec {
  /** "host:port" the server listens on, as the trace writes it. */
  local: string
  /** listen(backlog); Node's default when left out. */
  backlog?: number
  /** Traced first once listening, before socket() (e.g. the seed the run uses). */
  notes?: ActorTraceInput[]
  /** The listen event's message, e.g. what the backlog means. */
  listenMessage?: string
  /** The note on the accept() line once listening: what accept() waits for. */
  acceptNote(): Omit<ActorTraceInput, 'op' | 'local' | 'at'>
  /** Close what the actor has open besides the listener (connections, timers); runs once. */
  closeAll(result: ActorOutcome): void
  /** Nothing but the listener is open any more; `done` waits for this. True when left out. */
  idle?(): boolean
  /** Connections held at once; MAX_SERVER_CONNECTIONS when left out (tests pass fewer). */
  maxConnections?: number
}

/**
 * Connections one app server holds at once. The concurrent server's benchmark runs 500
 * clients together; far more would only be a flood running the process out of descriptors.
 */
export const MAX_SERVER_CONNECTIONS = 1024

/**
 * The part every TCP server actor shares: listen on ctx.host:ctx.port, trace socket(),
 * bind() and listen() once listening, explain a bind error to the student, settle `ready`,
 * and finish exactly once, closing the listener, even on a Stop before listen() completed.
 * `done` settles once the listener is closed and `idle()` says nothing else is open.
 */
export function listenTcp(ctx: ActorContext, server: Server, spec: ListenSpec) {
  const { local } = spec
  const ready = deferred<void>()
  const done = deferred<ActorOutcome>()
  let outcome: ActorOutcome | undefined
  // listen() completes asynchronously; a Stop before then must still close the server.
  let listenSettled = false
  let listenerClosed = false

  const settleIfClosed = () => {
    if (outcome && listenerClosed && (spec.idle?.() ?? true)) done.resolve(outcome)
  }

  const finish = (result: ActorOutcome) => {
    if (outcome) return
    outcome = result
    spec.closeAll(result)
    if (server.listening) {
      server.close(() => {
        ctx.trace({ op: 'close', local, at: 'close', message: 'listening socket closed' })
        listenerClosed = true
        settleIfClosed()
      })
    } else if (listenSettled) {
      listenerClosed = true
      settleIfClosed()
    }
    // else: the 'listening' or 'error' handler below closes the server and settles.
  }

  server.on('error', (error) => {
    if (!listenSettled) {
      listenSettled = true
      if (outcome) {
        // Stopped before listen() failed: nothing is open.
        ready.resolve()
        listenerClosed = true
        settleIfClosed()
        return
      }
    }
    const message = explainSocketError(error, ctx)
    ctx.trace({ op: 'error', local, message, level: 'error', at: 'bind' })
    ready.reject(new Error(message))
    finish({ state: 'failed', message })
  })

  server.on('listening', () => {
    listenSettled = true
    if (outcome) {
      // Stopped while listen() was still in progress: close at once, trace nothing.
      ready.resolve()
      server.close(() => {
        listenerClosed = true
        settleIfClosed()
      })
      return
    }
    for (const note of spec.notes ?? []) ctx.trace({ local, ...note })
    ctx.trace({ op: 'socket', message: 'socket(AF_INET, SOCK_STREAM)', at: 'socket' })
    ctx.trace({ op: 'bind', local, at: 'bind' })
    ctx.trace({ op: 'listen', local, at: 'listen', message: spec.listenMessage })
    ctx.trace({ op: 'note', local, at: 'accept', ...spec.acceptNote() })
    ready.resolve()
  })

  // Past the cap, Node closes a new connection at once; the trace says so (the first time,
  // then every 100th, so a flood does not flood the trace too).
  const maxConnections = spec.maxConnections ?? MAX_SERVER_CONNECTIONS
  server.maxConnections = maxConnections
  let turnedAway = 0
  server.on('drop', (data) => {
    turnedAway++
    if (turnedAway !== 1 && turnedAway % 100 !== 0) return
    const from = data ? ` from ${data.remoteAddress}:${data.remotePort}` : ''
    ctx.trace({
      op: 'note',
      local,
      level: 'warn',
      message: `connection${from} closed at once: this server already holds ${maxConnections} connections (${turnedAway} turned away so far)`,
    })
  })

  server.listen({ host: ctx.host, port: ctx.port, backlog: spec.backlog, exclusive: true })

  const running: RunningActor = {
    ready: ready.promise,
    done: done.promise,
    async stop() {
      finish({ state: 'stopped' })
      await done.promise
    },
  }

  return {
    running,
    finish,
    /** Settle `done` if the run is over and everything is closed (after a connection closed). */
    settleIfClosed,
    /** How the run ended, once it has; new connections are turned away from then on. */
    get outcome(): ActorOutcome | undefined {
      return outcome
    },
    /** listen() has completed, one way or the other. */
    get listenSettled(): boolean {
      return listenSettled
    },
  }
}
