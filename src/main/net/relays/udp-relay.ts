import { createSocket, type Socket } from 'node:dgram'
import { previewPayload, type TraceTag } from '@shared/trace'
import { describeImpairment, ImpairmentEngine, type Fate } from '../../impair/engine'
import { pickSeed } from '../../impair/random'
import { deferred, type ActorDefinition, type ActorOutcome, type RunningActor } from '../actor'
import { formatAddress, normalizeHost, udpType } from '../address'
import { explainSocketError } from '../errors'
import { pendingTimers, refuseToStart } from './relay-common'

/** A datagram held for reordering goes out at the latest after this, if nothing overtakes it. */
export const REORDER_MAX_HOLD_MS = 1000

/** A datagram held back to be reordered, waiting for the next one to overtake it. */
interface Held {
  data: Buffer
  fate: Fate
  timer: NodeJS.Timeout
}

/** One way through the relay for one client: client → server, or server → client. */
interface Direction {
  socket: Socket
  /** Where datagrams in this direction go. */
  address: string
  port: number
  to: string
  /** "host:port" of the sending socket, once bound. */
  local: string
  ready: boolean
  /** Sends waiting for the upstream socket to be bound. */
  pending: (() => void)[]
  held: Held[]
}

/** How one forwarded copy is traced. */
interface Send {
  at: 'forward' | 'delay' | 'duplicate' | 'reorder'
  tag?: TraceTag
  message?: string
}

/**
 * Lab 4's impairment relay, like impair_relay.py. It listens on host:port; each client gets
 * its own upstream socket (as behind a NAT), from which its datagrams go to
 * targetHost:targetPort, and the server's replies come back to that client the same way.
 * Every datagram, both ways, gets a fate from the seeded engine: dropped, delayed,
 * duplicated and/or held back until the next one in its direction has gone out. Runs until
 * stopped; stopping closes every socket and clears every pending timer.
 */
export const udpRelay: ActorDefinition = {
  kind: 'udp-relay',
  file: 'impair_relay.py',
  start(ctx): RunningActor {
    const listenLocal = formatAddress(ctx.host, ctx.port)
    const { targetPort } = ctx.options
    const targetHost = normalizeHost(ctx.options.targetHost)
    if (targetPort === undefined) {
      return refuseToStart(
        ctx,
        listenLocal,
        'The relay needs a target port: the port of the server it forwards to.',
      )
    }
    const target = formatAddress(targetHost, targetPort)
    if (target === listenLocal) {
      return refuseToStart(
        ctx,
        listenLocal,
        `The relay listens on ${listenLocal} and cannot forward to that same address: choose the server's port as the target.`,
      )
    }

    const ready = deferred<void>()
    const done = deferred<ActorOutcome>()
    const seed = ctx.options.seed ?? pickSeed()
    const engine = new ImpairmentEngine(ctx.options.impair, seed)
    const listener = createSocket({ type: udpType(ctx.host), reuseAddr: false })
    const flows = new Map<string, Direction>()
    const { later, cancel, clearAll } = pendingTimers()
    let bound = false
    let outcome: ActorOutcome | undefined

    function put(dir: Direction, data: Buffer, how: Send) {
      ctx.trace({
        op: 'sendto',
        local: dir.local,
        remote: dir.to,
        bytes: data.length,
        payload: previewPayload(data),
        tag: how.tag,
        message: how.message,
        at: how.at,
      })
      dir.socket.send(data, dir.port, dir.address)
    }

    /** Send one datagram (twice if duplicated); what was held for reordering follows it. */
    function emit(dir: Direction, data: Buffer, fate: Fate, how: Send) {
      const go = () => {
        if (outcome) return
        put(dir, data, how)
        if (fate.duplicate) {
          put(dir, data, {
            at: 'duplicate',
            tag: 'duplicated',
            message: 'second copy of the same datagram',
          })
        }
        for (const held of dir.held.splice(0)) {
          cancel(held.timer)
          release(dir, held, 'sent after the next datagram')
        }
      }
      if (dir.ready) go()
      else dir.pending.push(go)
    }

    function release(dir: Direction, held: Held, message: string) {
      put(dir, held.data, { at: 'reorder', tag: 'reordered', message })
      if (held.fate.duplicate) {
        put(dir, held.data, {
          at: 'duplicate',
          tag: 'duplicated',
          message: 'second copy of the same datagram',
        })
      }
    }

    /** A datagram arrived (from `from`, on the socket at `local`) to go on in `dir`. */
    function arrived(dir: Direction, data: Buffer, from: string, local: string) {
      ctx.trace({
        op: 'recvfrom',
        local,
        remote: from,
        bytes: data.length,
        payload: previewPayload(data),
        at: 'recvfrom',
      })
      const fate = engine.next()
      if (fate.drop) {
        ctx.trace({
          op: 'drop',
          local: dir.local || undefined,
          remote: dir.to,
          bytes: data.length,
          payload: previewPayload(data),
          tag: 'lost',
          level: 'warn',
          message: 'dropped by the relay',
          at: 'drop',
        })
      } else if (fate.reorder) {
        const held: Held = {
          data,
          fate,
          timer: later(REORDER_MAX_HOLD_MS, () => {
            dir.held.splice(dir.held.indexOf(held), 1)
            const go = () =>
              release(
                dir,
                held,
                `sent after ${REORDER_MAX_HOLD_MS / 1000} s: no next datagram came to overtake it`,
              )
            if (dir.ready) go()
            else dir.pending.push(go)
          }),
        }
        dir.held.push(held)
      } else if (fate.delayMs > 0) {
        later(fate.delayMs, () =>
          emit(dir, data, fate, {
            at: 'delay',
            tag: 'delayed',
            message: `held ${fate.delayMs} ms`,
          }),
        )
      } else {
        emit(dir, data, fate, { at: 'forward' })
      }
    }

    /** The client's upstream direction, opening its own socket the first time it sends. */
    function upstreamFor(client: string, clientHost: string, clientPort: number): Direction {
      const existing = flows.get(client)
      if (existing) return existing
      const socket = createSocket(udpType(targetHost))
      const up: Direction = {
        socket,
        address: targetHost,
        port: targetPort!,
        to: target,
        local: '',
        ready: false,
        pending: [],
        held: [],
      }
      const down: Direction = {
        socket: listener,
        address: normalizeHost(clientHost),
        port: clientPort,
        to: client,
        local: listenLocal,
        ready: true,
        pending: [],
        held: [],
      }
      flows.set(client, up)
      socket.on('error', (error) => {
        ctx.trace({
          op: 'error',
          local: up.local || undefined,
          remote: target,
          level: 'warn',
          message: explainSocketError(error, { host: targetHost, port: targetPort! }),
          at: 'forward',
        })
      })
      socket.on('message', (data, rinfo) =>
        arrived(down, data, formatAddress(rinfo.address, rinfo.port), up.local),
      )
      socket.bind({ port: 0, address: targetHost }, () => {
        if (outcome) return
        const a = socket.address()
        up.local = formatAddress(a.address, a.port)
        ctx.trace({
          op: 'socket',
          local: up.local,
          message: `socket(AF_INET, SOCK_DGRAM): the upstream socket for ${client}, one per client like a NAT`,
          at: 'socket',
        })
        up.ready = true
        for (const go of up.pending.splice(0)) go()
      })
      return up
    }

    listener.on('error', (error) => {
      const message = explainSocketError(error, ctx)
      ctx.trace({
        op: 'error',
        local: listenLocal,
        level: bound ? 'warn' : 'error',
        message,
        at: bound ? 'forward' : 'bind',
      })
      if (!bound) {
        ready.reject(new Error(message))
        void finish({ state: 'failed', message })
      }
    })

    listener.on('listening', () => {
      // Stopped while bind() was still under way: the queued close() follows, nothing to tell.
      if (outcome) return
      bound = true
      ctx.trace({
        op: 'note',
        local: listenLocal,
        at: 'seed',
        message: describeImpairment(seed, ctx.options.impair),
      })
      ctx.trace({ op: 'socket', message: 'socket(AF_INET, SOCK_DGRAM)', at: 'socket' })
      ctx.trace({ op: 'bind', local: listenLocal, at: 'bind' })
      ctx.trace({
        op: 'note',
        local: listenLocal,
        remote: target,
        at: 'recvfrom',
        message: `forwarding to ${target}: recvfrom() waits for a datagram from a client`,
      })
      ready.resolve()
    })

    listener.on('message', (data, rinfo) => {
      if (outcome) return
      const client = formatAddress(rinfo.address, rinfo.port)
      arrived(upstreamFor(client, rinfo.address, rinfo.port), data, client, listenLocal)
    })

    listener.bind({ port: ctx.port, address: ctx.host, exclusive: true })

    async function finish(result: ActorOutcome) {
      if (outcome) return done.promise
      outcome = result
      clearAll()
      ready.resolve()
      const closing = [...flows.values()].map(
        (up) =>
          new Promise<void>((resolve) =>
            up.socket.close(() => {
              if (up.local) ctx.trace({ op: 'close', local: up.local, at: 'close' })
              resolve()
            }),
          ),
      )
      if (bound) {
        closing.push(
          new Promise<void>((resolve) =>
            listener.close(() => {
              ctx.trace({ op: 'close', local: listenLocal, at: 'close' })
              resolve()
            }),
          ),
        )
      } else {
        // Not bound (bind failed, or still binding): dgram closes it once bind() settles.
        listener.close()
      }
      await Promise.all(closing)
      done.resolve(result)
      return done.promise
    }

    return {
      ready: ready.promise,
      done: done.promise,
      async stop() {
        await finish({ state: 'stopped' })
      },
    }
  },
}
