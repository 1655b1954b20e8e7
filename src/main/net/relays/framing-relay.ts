import { connect, createServer, type Socket } from 'node:net'
import { previewPayload } from '@shared/trace'
import type { ActorDefinition, RunningActor } from '../actor'
import { formatAddress, normalizeHost } from '../address'
import { explainSocketError } from '../errors'
import { listenTcp } from '../listen'
import { pendingTimers, refuseToStart } from './relay-common'

/**
 * Pause between two pieces of a split, as framing_relay.py's PIECE_GAP: without it the
 * pieces would reach the other side together and be read as one, hiding the split.
 */
export const PIECE_GAP_MS = 10
/** Bytes one direction may hold (merge window plus queued pieces) before it stops reading. */
const MAX_HELD_BYTES = 256 * 1024

/** One end of one relayed connection, as the trace writes it. */
interface End {
  socket: Socket
  local: string
  remote: string
  conn: string
  /** "client" or "server": who is on the other end of this socket. */
  who: 'client' | 'server'
}

/** Bytes waiting to be written, with what the trace says about them. */
interface Piece {
  data: Buffer
  message: string
}

/** One direction of one relayed connection: what arrives on `from` goes out on `to`. */
interface Flow {
  from: End
  to: End
  /** Chunks held by an open merge window, and when it opened. */
  window?: { chunks: Buffer[]; bytes: number; timer: NodeJS.Timeout }
  queue: Piece[]
  heldBytes: number
  /** A split is paced: no piece goes out while this runs. */
  gap?: NodeJS.Timeout
  /** `from` sent its FIN; it is passed on once everything before it has gone out. */
  ended: boolean
  finPassed: boolean
}

interface Pair {
  client: End
  server?: End
  flows: Flow[]
  open: number
  closed: boolean
}

/**
 * Lab 5's framing relay, like framing_relay.py. It listens on host:port; for each client it
 * connects to targetHost:targetPort and forwards the byte stream both ways, re-chunked:
 * `splitBytes` cuts what it forwards into pieces of at most that many bytes (sent
 * PIECE_GAP_MS apart), `mergeMs` holds what arrives for that long and forwards it as one
 * write. Every byte goes through, in order; only the boundaries between writes change,
 * which TCP never promised to keep. A FIN is passed on after the bytes before it; a reset
 * or Stop closes both connections. Runs until stopped.
 */
export const framingRelay: ActorDefinition = {
  kind: 'framing-relay',
  file: 'framing_relay.py',
  start(ctx): RunningActor {
    const listenLocal = formatAddress(ctx.host, ctx.port)
    const { targetPort, splitBytes, mergeMs } = ctx.options
    const targetHost = normalizeHost(ctx.options.targetHost)
    if (targetPort === undefined) {
      return refuseToStart(
        ctx,
        listenLocal,
        'The framing relay needs a port to forward to: set "Forward to port" to the port of the server behind it (e.g. the calculator).',
      )
    }
    const target = formatAddress(targetHost, targetPort)
    if (target === listenLocal) {
      return refuseToStart(
        ctx,
        listenLocal,
        `The framing relay listens on ${listenLocal} and cannot forward to that same address: set "Forward to port" to the server's port.`,
      )
    }

    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true })
    const pairs = new Set<Pair>()
    const { later, cancel, clearAll } = pendingTimers()

    const listener = listenTcp(ctx, server, {
      local: listenLocal,
      acceptNote: () => ({
        remote: target,
        message: `forwarding to ${target}, ${describeSettings(splitBytes, mergeMs)}: accept() waits for a client`,
      }),
      closeAll() {
        clearAll()
        for (const pair of pairs) closePair(pair, 'closed by Stop')
      },
      idle: () => pairs.size === 0,
    })

    server.on('connection', (socket) => {
      if (listener.outcome) {
        socket.destroy()
        return
      }
      const remote = formatAddress(socket.remoteAddress ?? '?', socket.remotePort ?? 0)
      const client: End = {
        socket,
        local: listenLocal,
        remote,
        conn: `${remote}->${listenLocal}`,
        who: 'client',
      }
      const pair: Pair = { client, flows: [], open: 1, closed: false }
      pairs.add(pair)
      ctx.trace({
        op: 'accept',
        local: listenLocal,
        remote,
        conn: client.conn,
        at: 'accept',
        message: `a client connected: the relay opens its own connection to ${target} for it`,
      })
      watchClose(pair, client)
      connectUpstream(pair)
    })

    function connectUpstream(pair: Pair) {
      const socket = connect({ host: targetHost, port: targetPort!, allowHalfOpen: true })
      socket.setNoDelay(true)
      pair.client.socket.setNoDelay(true)
      pair.open++
      const upstream: End = { socket, local: '', remote: target, conn: '', who: 'server' }
      pair.server = upstream
      watchClose(pair, upstream)
      socket.once('connect', () => {
        upstream.local = formatAddress(socket.localAddress ?? '?', socket.localPort ?? 0)
        upstream.conn = `${upstream.local}->${target}`
        ctx.trace({
          op: 'connect',
          local: upstream.local,
          remote: target,
          conn: upstream.conn,
          at: 'connect',
          message: `connected to the server for client ${pair.client.remote}`,
        })
        pair.flows = [newFlow(pair.client, upstream), newFlow(upstream, pair.client)]
        pair.client.socket.resume()
      })
    }

    function newFlow(from: End, to: End): Flow {
      const flow: Flow = { from, to, queue: [], heldBytes: 0, ended: false, finPassed: false }
      from.socket.on('data', (chunk: Buffer) => received(flow, chunk))
      from.socket.on('end', () => {
        if (listener.outcome) return
        flow.ended = true
        ctx.trace({
          op: 'eof',
          local: from.local,
          remote: from.remote,
          conn: from.conn,
          at: 'eof',
          message: `recv() returned b"": the ${from.who} closed its side; the relay passes the FIN on after the bytes before it`,
        })
        passFinIfDone(flow)
      })
      return flow
    }

    function received(flow: Flow, chunk: Buffer) {
      if (listener.outcome) return
      const { from } = flow
      const inWindow = flow.window !== undefined
      ctx.trace({
        op: 'recv',
        local: from.local,
        remote: from.remote,
        conn: from.conn,
        bytes: chunk.length,
        payload: previewPayload(chunk),
        at: inWindow ? 'merge' : 'recv',
        message: inWindow
          ? `${chunk.length} more bytes from the ${from.who} inside the ${mergeMs} ms merge window`
          : `${chunk.length} bytes from the ${from.who}`,
      })
      flow.heldBytes += chunk.length
      if (flow.heldBytes > MAX_HELD_BYTES) from.socket.pause()
      if (mergeMs > 0) {
        if (flow.window) {
          flow.window.chunks.push(chunk)
          flow.window.bytes += chunk.length
        } else {
          flow.window = {
            chunks: [chunk],
            bytes: chunk.length,
            timer: later(mergeMs, () => closeWindow(flow)),
          }
        }
        return
      }
      enqueue(flow, chunk, splitBytes > 0 ? '' : 'forwarded as it arrived')
    }

    function closeWindow(flow: Flow) {
      const window = flow.window
      if (!window) return
      flow.window = undefined
      const data = window.chunks.length === 1 ? window.chunks[0]! : Buffer.concat(window.chunks)
      const n = window.chunks.length
      const merged =
        n === 1
          ? `held ${mergeMs} ms, but only one chunk came: nothing to merge`
          : `merged ${n} chunks into one ${data.length}-byte write`
      enqueue(flow, data, merged)
      passFinIfDone(flow)
    }

    /** Queue `data` for writing, cut into pieces if the relay splits. */
    function enqueue(flow: Flow, data: Buffer, why: string) {
      if (splitBytes > 0 && data.length > splitBytes) {
        const sizes: number[] = []
        for (let at = 0; at < data.length; at += splitBytes) {
          sizes.push(Math.min(splitBytes, data.length - at))
        }
        const split =
          sizes.length <= 8
            ? `split ${data.length} bytes into ${sizes.join('+')}`
            : `split ${data.length} bytes into ${sizes.length} pieces of at most ${splitBytes}`
        const prefix = why ? `${why}, then ${split}` : split
        let at = 0
        sizes.forEach((size, i) => {
          flow.queue.push({
            data: data.subarray(at, at + size),
            message: `${prefix}: piece ${i + 1} of ${sizes.length}`,
          })
          at += size
        })
      } else {
        const fits =
          splitBytes > 0 ? `${data.length} bytes, no more than ${splitBytes}: one piece` : ''
        flow.queue.push({ data, message: [why, fits].filter(Boolean).join('; ') })
      }
      pump(flow)
    }

    function pump(flow: Flow) {
      if (listener.outcome || flow.gap) return
      const piece = flow.queue.shift()
      if (!piece) return passFinIfDone(flow)
      const { to, from } = flow
      if (!to.socket.write(piece.data)) {
        // The other side reads slower than this one sends: stop reading until it catches up.
        from.socket.pause()
        to.socket.once('drain', () => resumeIfRoom(flow))
      }
      flow.heldBytes -= piece.data.length
      ctx.trace({
        op: 'send',
        local: to.local,
        remote: to.remote,
        conn: to.conn,
        bytes: piece.data.length,
        payload: previewPayload(piece.data),
        at: 'send',
        message: piece.message,
      })
      resumeIfRoom(flow)
      if (splitBytes > 0) {
        flow.gap = later(PIECE_GAP_MS, () => {
          flow.gap = undefined
          pump(flow)
        })
      } else {
        pump(flow)
      }
    }

    function resumeIfRoom(flow: Flow) {
      const { from, to } = flow
      if (listener.outcome || flow.ended || !from.socket.isPaused()) return
      if (flow.heldBytes <= MAX_HELD_BYTES / 2 && !to.socket.writableNeedDrain) from.socket.resume()
    }

    /** Once `from` has ended and every byte before its FIN went out, pass the FIN on. */
    function passFinIfDone(flow: Flow) {
      if (listener.outcome || !flow.ended || flow.finPassed) return
      if (flow.window || flow.queue.length > 0 || flow.gap) return
      flow.finPassed = true
      const { to } = flow
      ctx.trace({
        op: 'note',
        local: to.local,
        remote: to.remote,
        conn: to.conn,
        at: 'shutdown',
        message: `shutdown(SHUT_WR): the ${flow.from.who}'s FIN passed on to the ${to.who}`,
      })
      to.socket.end()
    }

    function watchClose(pair: Pair, end: End) {
      end.socket.on('error', (error) => {
        if (listener.outcome || pair.closed) return
        const connecting = end.who === 'server' && end.conn === ''
        const where = end.who === 'server' ? { host: targetHost, port: targetPort! } : ctx
        const explained = explainSocketError(error, where)
        const message = connecting ? `${explained} The relay hangs up on its client.` : explained
        ctx.trace({
          op: 'error',
          local: end.local || undefined,
          remote: end.remote,
          conn: end.conn || undefined,
          level: 'error',
          at: connecting ? 'connect' : 'recv',
          message,
        })
        closePair(
          pair,
          connecting ? 'the server could not be reached' : `the ${end.who} connection failed`,
        )
      })
      end.socket.on('close', () => {
        pair.open--
        if (pair.open > 0) {
          // One side is gone for good (not a half-close): the other has nothing left to do.
          if (!end.socket.readableEnded || !end.socket.writableFinished) {
            closePair(pair, `the ${end.who} connection closed`)
          }
          return
        }
        traceBothClosed(pair, 'this client is done')
        pairs.delete(pair)
        listener.settleIfClosed()
      })
    }

    /** Close both connections of a pair at once (Stop, a reset, an unreachable server). */
    function closePair(pair: Pair, why: string) {
      traceBothClosed(pair, why)
      for (const flow of pair.flows) {
        if (flow.window) cancel(flow.window.timer)
        cancel(flow.gap)
        flow.window = undefined
        flow.gap = undefined
        flow.queue = []
      }
      pair.client.socket.destroy()
      pair.server?.socket.destroy()
    }

    /** The pair's one close event, whichever way it ended. */
    function traceBothClosed(pair: Pair, why: string) {
      if (pair.closed) return
      pair.closed = true
      ctx.trace({
        op: 'close',
        local: pair.client.local,
        remote: pair.client.remote,
        conn: pair.client.conn,
        at: 'close-conn',
        message: `both connections closed: ${why}`,
      })
    }

    return listener.running
  },
}

/** "split into pieces of 3 bytes, merge off", for the first note and the tests. */
export function describeSettings(splitBytes: number, mergeMs: number): string {
  const split =
    splitBytes > 0
      ? `splitting into pieces of at most ${splitBytes} bytes (${PIECE_GAP_MS} ms apart)`
      : 'no splitting'
  const merge = mergeMs > 0 ? `merging what arrives within ${mergeMs} ms` : 'no merging'
  return `${split}, ${merge}`
}
