import { previewPayload } from '@shared/trace'
import type { ActorKind } from '@shared/lab'
import type { ActorContext, ActorDefinition, ActorTraceInput } from '../actor'
import { formatAddress } from '../address'
import { explainSocketError } from '../errors'
import { calcRequest, judgeRead, ReplyBoundaries } from './framing-reads'
import { connectTcpClient } from '../tcp/tcp-client-socket'

/** Python's recv(1024): one read returns at most this many bytes. */
export const RECV_SIZE = 1024
/** The line client gives up on a reply this long without a newline. */
export const MAX_REPLY_BYTES = 4096

/** What a client's way of reading replies sees of the run. */
interface Run {
  ctx: ActorContext
  /** Trace with this connection's addresses filled in. */
  trace(event: ActorTraceInput): void
  /** The request waiting for its reply (from 0). */
  current(): number
  /** The reply to the current request is in: go on with the next one, or close. */
  replied(): void
  /** Stop the run as failed (the trace already says why). */
  fail(message: string): void
}

/** How a client reads: called after each request is sent, and with each chunk that arrives. */
interface Reader {
  sent(): void
  data(chunk: Buffer): void
  /** The outcome message once every request has its reply. */
  summary(): string
}

/**
 * The shared body of the framing demo's two clients, like naive_client.py and
 * line_client.py: connect, then for each of `count` calculator requests send it (one line)
 * and read its reply before sending the next, then close. Only how a reply is read differs.
 */
function framingClient(kind: ActorKind, file: string, reader: (run: Run) => Reader) {
  const definition: ActorDefinition = {
    kind,
    file,
    start(ctx) {
      const remote = formatAddress(ctx.host, ctx.port)
      const { count, intervalMs } = ctx.options
      const ends: { local?: string; remote: string; conn?: string } = { remote }
      let current = 0
      let phase: 'connecting' | 'asking' | 'closing' | 'over' = 'connecting'
      let pause: NodeJS.Timeout | undefined

      const connection = connectTcpClient(ctx, {
        allowHalfOpen: false,
        onOver() {
          phase = 'over'
          clearTimeout(pause)
        },
      })
      const { socket, end } = connection

      const run: Run = {
        ctx,
        trace: (event) => ctx.trace({ ...ends, ...event }),
        current: () => current,
        replied() {
          if (phase !== 'asking') return
          current++
          if (current < count) {
            if (intervalMs > 0) pause = setTimeout(ask, intervalMs)
            else ask()
            return
          }
          phase = 'closing'
          run.trace({ op: 'close', at: 'close', message: 'close() sends FIN' })
          connection.closeWith({ state: 'finished', message: read.summary() })
        },
        fail(message) {
          run.trace({ op: 'close', at: 'close' })
          end({ state: 'failed', message })
        },
      }
      const read = reader(run)

      function ask() {
        pause = undefined
        if (phase !== 'asking') return
        const line = `${calcRequest(current)}\n`
        socket.write(line)
        run.trace({
          op: 'send',
          bytes: Buffer.byteLength(line),
          payload: previewPayload(line),
          at: 'send',
        })
        read.sent()
      }

      socket.once('connect', () => {
        ends.local = formatAddress(socket.localAddress ?? '?', socket.localPort ?? 0)
        ends.conn = `${ends.local}->${remote}`
        run.trace({ op: 'connect', at: 'connect' })
        phase = 'asking'
        ask()
      })

      socket.on('data', (chunk: Buffer) => {
        if (phase === 'asking') read.data(chunk)
      })

      socket.on('end', () => {
        if (phase !== 'asking') return
        run.trace({
          op: 'eof',
          level: 'warn',
          at: 'recv',
          message: `recv() returned b"": the server closed the connection before the reply to "${calcRequest(current)}"`,
        })
        run.fail(`The server closed the connection after ${current} of ${count} replies.`)
      })

      socket.on('error', (error) => {
        if (phase === 'over') return
        const message = explainSocketError(error, ctx)
        run.trace({ op: 'error', level: 'error', message, at: ends.local ? 'recv' : 'connect' })
        end({ state: 'failed', message })
      })

      return connection.running
    },
  }
  return definition
}

/**
 * naive_client.py: takes whatever one recv(1024) returns as the whole reply to the request
 * it just sent. On a quiet loopback that happens to work; through a relay that splits or
 * merges it reads part of a reply, or several at once, and from then on pairs replies with
 * the wrong requests. The trace says what each read really held.
 */
export const naiveClient = framingClient('naive-client', 'naive_client.py', (run) => {
  const bounds = new ReplyBoundaries()
  /** Bytes that arrived but no recv() has taken yet (they wait in the kernel's buffer). */
  let unread: Buffer = Buffer.alloc(0)
  /** Stream offset of the first unread byte. */
  let readUpTo = 0
  let waiting = false
  let reads = 0
  let mismatched = 0

  const recv = () => {
    waiting = false
    const data = unread.subarray(0, RECV_SIZE)
    unread = unread.subarray(data.length)
    const from = readUpTo
    readUpTo += data.length
    const expected = run.current()
    const verdict = judgeRead(bounds, from, readUpTo, data, expected)
    reads++
    if (!verdict.matched) mismatched++
    run.trace({
      op: 'recv',
      bytes: data.length,
      payload: previewPayload(data),
      at: 'recv',
      level: verdict.matched ? 'info' : 'warn',
    })
    run.trace({
      op: 'note',
      at: 'reply',
      level: verdict.matched ? 'info' : 'warn',
      message: verdict.message,
    })
    run.replied()
  }

  return {
    sent() {
      // recv() returns at once if bytes are already waiting, else when the next ones arrive.
      if (unread.length > 0) recv()
      else waiting = true
    },
    data(chunk) {
      bounds.add(chunk)
      unread = unread.length ? Buffer.concat([unread, chunk]) : chunk
      if (waiting) recv()
    },
    summary: () =>
      mismatched === 0
        ? `All ${reads} replies matched their requests: each recv() happened to hold exactly one reply.`
        : `${mismatched} of ${reads} replies were mismatched: recv(1024) returned part of a reply or several at once.`,
  }
})

/**
 * line_client.py: keeps what arrives in a buffer and takes a reply only when its `\n` is
 * there, so every reply is paired with its request however the bytes were cut or merged.
 */
export const lineClient = framingClient('line-client', 'line_client.py', (run) => {
  let buffer: Buffer = Buffer.alloc(0)
  let chunks = 0
  let replies = 0

  return {
    sent() {
      // The reply may already be in the buffer; else it comes with the next chunks.
      takeLine()
    },
    data(chunk) {
      chunks++
      buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk
      const complete = buffer.includes(0x0a)
      run.trace({
        op: 'recv',
        bytes: chunk.length,
        payload: previewPayload(chunk),
        at: 'recv',
        message: complete
          ? undefined
          : `no "\\n" yet: ${buffer.length} bytes kept in the buffer, recv() again`,
      })
      if (!complete && buffer.length > MAX_REPLY_BYTES) {
        run.trace({
          op: 'error',
          level: 'error',
          at: 'recv',
          message: `${buffer.length} bytes and still no newline: this is not a line-based server`,
        })
        run.fail(`No newline within ${MAX_REPLY_BYTES} bytes: is the server line-based?`)
        return
      }
      takeLine()
    },
    summary: () =>
      `All ${replies} replies matched their requests, read line by line from ${chunks} chunks.`,
  }

  function takeLine() {
    const nl = buffer.indexOf(0x0a)
    if (nl === -1) return
    const line = buffer.subarray(0, nl).toString('utf8').replace(/\r$/, '')
    buffer = buffer.subarray(nl + 1)
    replies++
    run.trace({
      op: 'note',
      at: 'line',
      message: `a whole line: the reply to "${calcRequest(run.current())}" is "${previewPayload(line)}"`,
    })
    run.replied()
  }
})
