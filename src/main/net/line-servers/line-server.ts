import { createServer, type Socket } from 'node:net'
import type { ActorKind } from '@shared/lab'
import { previewPayload } from '@shared/trace'
import { LineBuffer, MAX_LINE_BYTES } from '../../protocols/line-buffer'
import type { Delivery, LeaveReason, LineProtocol } from '../../protocols/line-protocol'
import type { ActorContext, ActorDefinition, ActorTraceInput } from '../actor'
import { formatAddress } from '../address'
import { errorCode, explainSocketError } from '../errors'
import { listenTcp } from '../listen'

/**
 * Unsent bytes a connection may pile up (the client is not reading) before the server
 * drops it, so that one stuck client can never make the server hold more and more memory
 * or hold up the others.
 */
export const MAX_BACKLOG_BYTES = 64 * 1024

/** What one recv() reads in chunk mode, as the course's `recv(1024)`. */
export const CHUNK_BYTES = 1024

export interface LineServerRun {
  protocol: LineProtocol
  /** Traced first, once listening (e.g. the seed the run uses). */
  notes?: ActorTraceInput[]
}

export interface LineServerSpec {
  kind: ActorKind
  /** The Python reference server whose anchors the trace names. */
  file: string
  /** Called once per start: the protocol state of this run (a restart starts afresh). */
  prepare(ctx: ActorContext): LineServerRun
  /**
   * True when this run reads as the course's servers do: each recv() of at most
   * CHUNK_BYTES is one message, and replies go without a newline. Absent: line framing.
   */
  chunked?(ctx: ActorContext): boolean
  /** Unsent bytes allowed per connection; MAX_BACKLOG_BYTES unless a test asks for less. */
  maxBacklogBytes?: number
}

interface Connection {
  id: string
  socket: Socket
  ends: { local: string; remote: string; conn: string }
  buffer: LineBuffer
  /** open: served; closing: our last line is on its way; closed: gone and traced. */
  state: 'open' | 'closing' | 'closed'
  /** The protocol has been told this client is gone. */
  left: boolean
  /** How the close event describes the end, when it was not the client's own doing. */
  closeMessage?: string
}

/**
 * A TCP server for any line-framed protocol, in the shape of the lab 5 Python servers:
 * socket, bind, listen, then accept() every client and serve them all at once, one line at a
 * time. What to answer comes from the run's LineProtocol; this only frames, sends, traces and
 * keeps one connection's trouble (a reset, an over-long line, a client that stops reading)
 * away from the others. Runs until stopped.
 */
export function lineServer(spec: LineServerSpec): ActorDefinition {
  return {
    kind: spec.kind,
    file: spec.file,
    start: (ctx) => startLineServer(ctx, spec),
  }
}

function startLineServer(ctx: ActorContext, spec: LineServerSpec) {
  const local = formatAddress(ctx.host, ctx.port)
  const maxBacklog = spec.maxBacklogBytes ?? MAX_BACKLOG_BYTES
  const run = spec.prepare(ctx)
  const chunked = spec.chunked?.(ctx) ?? false
  const eol = chunked ? '' : '\n'
  const server = createServer({ allowHalfOpen: true })
  const connections = new Map<string, Connection>()
  let accepted = 0

  const listener = listenTcp(ctx, server, {
    local,
    notes: run.notes,
    acceptNote: () => ({
      message: 'accept() waits for clients; each one is served at the same time as the others',
    }),
    closeAll() {
      for (const c of connections.values()) {
        traceClose(c, 'connection closed by Stop')
        c.socket.destroy()
      }
    },
    idle: () => connections.size === 0,
  })

  server.on('connection', (socket) => {
    if (listener.outcome) {
      socket.destroy()
      return
    }
    accepted++
    const remote = formatAddress(socket.remoteAddress ?? '?', socket.remotePort ?? 0)
    const c: Connection = {
      id: `client ${accepted}`,
      socket,
      ends: { local, remote, conn: `${remote}->${local}` },
      buffer: new LineBuffer(),
      state: 'open',
      left: false,
    }
    connections.set(c.id, c)
    socket.setNoDelay(true)
    ctx.trace({
      op: 'accept',
      ...c.ends,
      at: 'accept',
      message: `accept() returned ${c.id}; the server goes straight back to accept()`,
    })
    socket.on('data', (chunk: Buffer) => receive(c, chunk))
    socket.on('end', () => {
      if (c.state !== 'open') {
        socket.destroy()
        return
      }
      if (c.buffer.pendingBytes > 0) {
        ctx.trace({
          op: 'note',
          ...c.ends,
          level: 'warn',
          message: `the client closed in the middle of a line: ${c.buffer.pendingBytes} bytes without a newline were dropped`,
        })
      }
      ctx.trace({
        op: 'eof',
        ...c.ends,
        at: 'eof',
        message: 'recv() returned b"": the client closed its side',
      })
      c.state = 'closing'
      socket.end()
      leave(c, 'left')
    })
    socket.on('error', (error) => {
      if (c.state !== 'open') return
      const reset = errorCode(error) === 'ECONNRESET'
      ctx.trace({
        op: 'error',
        ...c.ends,
        level: 'error',
        at: 'recv',
        message: reset
          ? 'the client reset the connection (ECONNRESET); the server goes on with the other clients'
          : explainSocketError(error, ctx),
      })
    })
    socket.on('close', () => {
      traceClose(c, c.closeMessage ?? 'connection closed')
      connections.delete(c.id)
      if (listener.outcome) return listener.settleIfClosed()
      leave(c, 'left')
    })
    deliver(run.protocol.connect(c.id))
  })

  /** Chunk mode: each read is one message, answered at once (no newline awaited). */
  function receiveChunks(c: Connection, chunk: Buffer) {
    for (let at = 0; at < chunk.length && c.state === 'open'; at += CHUNK_BYTES) {
      const piece = chunk.subarray(at, at + CHUNK_BYTES)
      const text = piece.toString('utf8')
      const replies = run.protocol.line(c.id, text)
      ctx.trace({
        op: 'recv',
        ...c.ends,
        bytes: piece.length,
        payload: previewPayload(text),
        at: 'recv',
      })
      deliver(replies)
    }
  }

  function receive(c: Connection, chunk: Buffer) {
    if (c.state !== 'open') return
    if (chunked) return receiveChunks(c, chunk)
    const before = c.buffer.pendingBytes
    for (const item of c.buffer.push(chunk)) {
      if (c.state !== 'open') return
      if (item.kind === 'too-long') {
        ctx.trace({
          op: 'error',
          ...c.ends,
          level: 'warn',
          bytes: item.bytes,
          at: 'recv',
          message: `a line longer than ${MAX_LINE_BYTES} bytes arrived: it is dropped up to its newline and answered with an error; the connection stays open`,
        })
        deliver(run.protocol.tooLong(c.id, item.bytes))
        continue
      }
      const replies = run.protocol.line(c.id, item.text)
      const refused = replies.some((d) => d.to === c.id && d.line.startsWith('ERROR'))
      ctx.trace({
        op: 'recv',
        ...c.ends,
        bytes: item.bytes,
        payload: previewPayload(item.text + '\n'),
        at: 'recv',
        level: refused ? 'warn' : 'info',
      })
      deliver(replies)
    }
    const pending = c.buffer.pendingBytes
    if (pending > 0 && pending !== before && c.state === 'open') {
      ctx.trace({
        op: 'note',
        ...c.ends,
        at: 'recv',
        bytes: pending,
        message: `${pending} bytes without a newline so far: waiting for the rest of the line`,
      })
    }
  }

  /** Send each line to its connection, dropping any connection that has stopped reading. */
  function deliver(deliveries: Delivery[]) {
    const queue = [...deliveries]
    for (let d = queue.shift(); d; d = queue.shift()) {
      const c = connections.get(d.to)
      if (!c || c.state !== 'open') continue
      const data = d.line + eol
      const bytes = Buffer.byteLength(data)
      if (bytes === 0) {
        // Nothing to say, only to hang up (the course's server on "bye").
        if (d.close) hangUp(c, d)
        continue
      }
      if (c.socket.writableLength + bytes > maxBacklog) {
        ctx.trace({
          op: 'error',
          ...c.ends,
          level: 'warn',
          at: 'slow-client',
          bytes: c.socket.writableLength,
          message: `${c.socket.writableLength.toLocaleString('en-US')} bytes wait unsent: this client is not reading, so the server drops it rather than hold up the others`,
        })
        c.state = 'closing'
        c.closeMessage = 'connection closed: the client was not reading'
        c.socket.destroy()
        queue.push(...leave(c, 'too-slow', false))
        continue
      }
      c.socket.write(data)
      ctx.trace({
        op: 'send',
        ...c.ends,
        bytes,
        payload: previewPayload(data),
        at: d.at ?? 'send',
      })
      if (d.close) hangUp(c, d)
    }
  }

  function hangUp(c: Connection, d: Delivery) {
    c.state = 'closing'
    if (d.because) c.closeMessage = d.because
    c.socket.end()
  }

  /** Tell the protocol `c` is gone (once); returns or sends what that makes it say. */
  function leave(c: Connection, reason: LeaveReason, send = true): Delivery[] {
    if (c.left) return []
    c.left = true
    const out = run.protocol.disconnect(c.id, reason)
    if (send) deliver(out)
    return out
  }

  function traceClose(c: Connection, message: string) {
    if (c.state === 'closed') return
    c.state = 'closed'
    ctx.trace({ op: 'close', ...c.ends, at: 'close-conn', message })
  }

  return listener.running
}
