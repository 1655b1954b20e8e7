import type { Socket } from 'node:net'
import { previewPayload } from '@shared/trace'
import { replyTo, type ActorContext } from '../actor'
import { errorCode, explainSocketError } from '../errors'
import { formatAddress } from '../address'

/**
 * The multi-client protocol, as the course's ping-pong programs speak it by default: each
 * recv(1024) is one message, `PING` answered `PONG` (anything else `ERROR expected PING`),
 * no newline. With the `line` framing option one message is one line instead: `PING\n` gets
 * `PONG\n`, and a line may be at most MAX_LINE bytes: a longer one gets
 * `ERROR line too long\n` and the server hangs up on that client only.
 */
export const MAX_LINE = 1024
export const LINE_TOO_LONG_REPLY = 'ERROR line too long'
const NEWLINE = 0x0a

/** How one served connection ended. */
export type ConnectionEnd = 'eof' | 'reset' | 'too-long' | 'idle' | 'stopped' | 'error'

export interface ConnectionResult {
  end: ConnectionEnd
  /** PINGs answered with PONG. */
  pongs: number
  /** Lines answered with an ERROR reply. */
  errors: number
}

export interface ServedConnection {
  remote: string
  conn: string
  /** Settles once the socket is closed. */
  closed: Promise<ConnectionResult>
  /** Close now (the server is stopping). */
  stop(): void
}

/**
 * Serve one accepted connection, line by line, until the client leaves, resets, breaks
 * the protocol beyond repair, or stays silent past the idle timeout. Every call is traced
 * with a readable message; whatever happens here never touches another connection.
 */
export function serveConnection(
  ctx: ActorContext,
  socket: Socket,
  local: string,
  acceptMessage: string,
): ServedConnection {
  const remote = formatAddress(socket.remoteAddress ?? '?', socket.remotePort ?? 0)
  const conn = `${remote}->${local}`
  const ends = { local, remote, conn }
  const result: ConnectionResult = { end: 'eof', pongs: 0, errors: 0 }
  let pending: Buffer[] = []
  let pendingBytes = 0
  // open: serving; draining: said goodbye, reading and dropping until the client closes.
  let state: 'open' | 'draining' | 'closed' = 'open'
  let resolveClosed!: (r: ConnectionResult) => void
  const closed = new Promise<ConnectionResult>((resolve) => (resolveClosed = resolve))

  socket.setNoDelay(true)
  ctx.trace({ op: 'accept', ...ends, at: 'accept', message: acceptMessage })
  const idleMs = ctx.options.idleTimeoutMs
  if (idleMs > 0) socket.setTimeout(idleMs)

  const traceClose = (message: string) => {
    if (state === 'closed') return
    state = 'closed'
    ctx.trace({ op: 'close', ...ends, at: 'close-conn', message })
  }

  const lineMode = ctx.options.framing === 'line'
  const eol = lineMode ? '\n' : ''

  const answer = (line: Buffer) => {
    const text = line.toString('utf8')
    const reply = replyTo(text)
    if (reply === 'PONG') result.pongs++
    else result.errors++
    socket.write(reply + eol)
    ctx.trace({
      op: 'recv',
      ...ends,
      bytes: line.length + eol.length,
      payload: previewPayload(text + eol),
      at: 'recv',
      level: reply === 'PONG' ? 'info' : 'warn',
      message: reply === 'PONG' ? undefined : 'not a PING: the server answers with an error',
    })
    ctx.trace({
      op: 'send',
      ...ends,
      bytes: reply.length + eol.length,
      payload: lineMode ? reply + '\\n' : reply,
      at: 'send',
    })
  }

  socket.on('data', (chunk: Buffer) => {
    if (state !== 'open') return
    if (!lineMode) {
      // As the course's recv(1024): each read of at most MAX_LINE bytes is one message.
      for (let at = 0; at < chunk.length; at += MAX_LINE) answer(chunk.subarray(at, at + MAX_LINE))
      return
    }
    let start = 0
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      let line = chunk.subarray(start, nl)
      if (pendingBytes > 0) {
        line = Buffer.concat([...pending, line])
        pending = []
        pendingBytes = 0
      }
      start = nl + 1
      if (line.length > MAX_LINE) return tooLong(line.length)
      answer(line)
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start))
      pendingBytes += chunk.length - start
      if (pendingBytes > MAX_LINE) return tooLong(pendingBytes)
      ctx.trace({
        op: 'note',
        ...ends,
        at: 'recv',
        bytes: pendingBytes,
        message: `${pendingBytes} bytes without a newline so far: waiting for the rest of the line`,
      })
    }
  })

  function tooLong(bytes: number) {
    result.errors++
    result.end = 'too-long'
    state = 'draining'
    pending = []
    pendingBytes = 0
    socket.end(LINE_TOO_LONG_REPLY + '\n')
    ctx.trace({
      op: 'error',
      ...ends,
      level: 'error',
      bytes,
      at: 'recv',
      message: `a line longer than ${MAX_LINE} bytes arrived (${bytes.toLocaleString('en-US')} bytes and no newline yet): this client gets "${LINE_TOO_LONG_REPLY}" and is disconnected; the other clients are not affected`,
    })
    ctx.trace({
      op: 'send',
      ...ends,
      bytes: LINE_TOO_LONG_REPLY.length + 1,
      payload: LINE_TOO_LONG_REPLY + '\\n',
      at: 'send',
    })
    // The client may still be sending the rest of its line: read and drop it until it closes.
  }

  socket.on('end', () => {
    if (state === 'draining') {
      socket.destroy()
      return
    }
    if (state !== 'open') return
    if (pendingBytes > 0) {
      ctx.trace({
        op: 'note',
        ...ends,
        level: 'warn',
        message: `the client closed in the middle of a line: ${pendingBytes} bytes without a newline were dropped`,
      })
    }
    ctx.trace({
      op: 'eof',
      ...ends,
      at: 'eof',
      message: 'recv() returned b"": the client closed its side',
    })
    socket.end(() => traceClose('connection closed'))
  })

  socket.on('timeout', () => {
    if (state === 'closed') return
    if (state === 'open') {
      result.end = 'idle'
      ctx.trace({
        op: 'timeout',
        ...ends,
        level: 'warn',
        at: 'idle',
        message: `the client sent nothing for ${idleMs / 1000} s: the server hangs up on it so that other clients can be served`,
      })
    }
    socket.destroy()
  })

  socket.on('error', (error) => {
    if (state === 'closed') return
    const code = errorCode(error)
    if (state === 'open') {
      if (code === 'ECONNRESET') {
        result.end = 'reset'
        const middle =
          pendingBytes > 0
            ? ` in the middle of a message (${pendingBytes} bytes of an unfinished line dropped)`
            : ''
        ctx.trace({
          op: 'error',
          ...ends,
          level: 'error',
          at: 'recv',
          message: `the client reset the connection${middle} (ECONNRESET); the server goes on with the other clients`,
        })
      } else {
        result.end = 'error'
        ctx.trace({
          op: 'error',
          ...ends,
          level: 'error',
          at: 'recv',
          message: explainSocketError(error, ctx),
        })
      }
    }
    // Draining: the client went away while we dropped its bytes; nothing more to say.
  })

  socket.on('close', () => {
    traceClose(
      result.end === 'eof' ? 'connection closed' : `connection closed (${describeEnd(result.end)})`,
    )
    resolveClosed(result)
  })

  return {
    remote,
    conn,
    closed,
    stop() {
      if (state === 'closed' || socket.destroyed) return
      result.end = 'stopped'
      traceClose('connection closed by Stop')
      socket.destroy()
    },
  }
}

function describeEnd(end: ConnectionEnd): string {
  switch (end) {
    case 'reset':
      return 'reset by the client'
    case 'too-long':
      return 'line too long'
    case 'idle':
      return 'the client stayed silent'
    case 'stopped':
      return 'Stop'
    default:
      return 'after an error'
  }
}
