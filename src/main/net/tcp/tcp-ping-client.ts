import { previewPayload } from '@shared/trace'
import type { ActorKind } from '@shared/lab'
import type { ActorOptions } from '@shared/actors'
import type { ActorDefinition, RecordCall } from '../actor'
import { formatAddress } from '../address'
import { explainSocketError } from '../errors'
import { repeatDecoder } from './repeat-decoder'
import { round } from '../round-ms'
import { connectTcpClient } from './tcp-client-socket'

/** What differs between the labs' TCP clients: the message and how replies are framed. */
export interface TcpPingClientSpec {
  kind: ActorKind
  /** The Python reference program whose lines the anchors name. */
  file: string
  /** One PING as it goes on the wire, or how to pick it from the run's options. */
  ping: string | ((options: ActorOptions) => string)
  /** Returns a fresh splitter: fed each received chunk, it returns the complete replies in it. */
  framing(options: ActorOptions): (chunk: Buffer) => Buffer[]
  /**
   * What a whole reply looks like, for the trace. Given, bytes that do not make a whole reply
   * are shown as they come, and the client gives up timeoutMs after them. Absent: wait forever.
   */
  expectedReply?(options: ActorOptions): string
  /** What the trace says when connect() returns. */
  connectMessage?: string
  /** A reply that is not the expected one is traced as a warning. */
  isExpectedReply?(reply: string): boolean
}

/** Ping-pong framing, like the Python client's recv(1024): each chunk is one reply. */
export const chunkPerReply = () => (chunk: Buffer) => [chunk]

/** One message per line: replies end with \n, and a chunk may hold several or part of one. */
export const linePerReply = () => {
  let buffered: Buffer = Buffer.alloc(0)
  return (chunk: Buffer) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk
    const lines: Buffer[] = []
    for (let nl = buffered.indexOf(0x0a); nl !== -1; nl = buffered.indexOf(0x0a)) {
      lines.push(buffered.subarray(0, nl + 1))
      buffered = buffered.subarray(nl + 1)
    }
    return lines
  }
}

/**
 * A TCP client that connects, then makes `count` PING round trips over that one connection,
 * timing each, then closes. Written as socket callbacks rather than an async loop: each
 * round trip is on the benchmark's hot path.
 */
export function tcpPingClient(spec: TcpPingClientSpec): ActorDefinition {
  return {
    kind: spec.kind,
    file: spec.file,
    start(ctx) {
      const remote = formatAddress(ctx.host, ctx.port)
      const { count, intervalMs } = ctx.options
      const split = spec.framing(ctx.options)
      const pingBytes = typeof spec.ping === 'string' ? spec.ping : spec.ping(ctx.options)
      const pingPreview = previewPayload(pingBytes)
      const expected = spec.expectedReply?.(ctx.options)
      // Bytes received since the last whole reply: shown if the reply never completes.
      let partial = 0
      let partialPreview = ''
      let replyTimer: NodeJS.Timeout | undefined
      const readReply = repeatDecoder((text) => ({
        preview: previewPayload(text),
        expected: spec.isExpectedReply?.(text) ?? true,
      }))
      let local: string | undefined
      let conn: string | undefined
      // The per-packet calls, prepared once the connection's addresses are known.
      let traceSend: RecordCall = () => undefined
      let traceReply: RecordCall = () => undefined
      let traceUnexpectedReply: RecordCall = () => undefined
      let sent = 0
      let replies = 0
      let sentAt = 0
      let pause: NodeJS.Timeout | undefined
      let phase: 'connecting' | 'pinging' | 'closing' | 'over' = 'connecting'

      const connection = connectTcpClient(ctx, {
        allowHalfOpen: true,
        onOver() {
          phase = 'over'
          clearTimeout(pause)
          clearTimeout(replyTimer)
        },
      })
      const { socket, end } = connection

      /** `now`: a clock reading taken a moment ago, when there is one. */
      const writePing = (now = performance.now()) => {
        sent++
        sentAt = now
        socket.write(pingBytes)
      }
      const tracePing = () => traceSend(sentAt, Buffer.byteLength(pingBytes), pingPreview)

      /** No whole reply in time: say what did come and what was expected, then close. */
      const giveUp = () => {
        if (phase !== 'pinging') return
        const got = `only ${partial} byte(s) came (${partialPreview}), not a whole reply`
        ctx.trace({
          op: 'timeout',
          local,
          remote,
          conn,
          level: 'warn',
          at: 'recv',
          message: `no reply within ${ctx.options.timeoutMs / 1000} s: ${got}; expected ${previewPayload(expected ?? '')}`,
        })
        phase = 'closing'
        ctx.trace({ op: 'close', local, remote, conn, at: 'close', message: 'close() sends FIN' })
        connection.closeWith({
          state: 'failed',
          message: `Timed out waiting for reply ${sent}: expected ${previewPayload(expected ?? '')}, got ${partialPreview}.`,
        })
      }
      const ping = () => {
        pause = undefined
        writePing()
        tracePing()
      }

      socket.once('connect', () => {
        local = formatAddress(socket.localAddress ?? '?', socket.localPort ?? 0)
        conn = `${local}->${remote}`
        ctx.trace({
          op: 'connect',
          local,
          remote,
          conn,
          at: 'connect',
          message: spec.connectMessage,
        })
        const ends = { local, remote, conn }
        traceSend = ctx.prepare({ op: 'send', ...ends, at: 'send' })
        traceReply = ctx.prepare({ op: 'recv', ...ends, at: 'recv' })
        traceUnexpectedReply = ctx.prepare({
          op: 'recv',
          ...ends,
          at: 'recv',
          level: 'warn',
          message: expected ? `not the reply expected: ${previewPayload(expected)}` : undefined,
        })
        phase = 'pinging'
        ping()
      })

      socket.on('data', (chunk: Buffer) => {
        if (phase !== 'pinging') return
        const whole = split(chunk)
        if (whole.length === 0) {
          // Part of a reply (e.g. no newline yet): shown now, so the student sees every byte.
          partial += chunk.length
          partialPreview = previewPayload(chunk)
          // Bytes that are not a whole reply: wait timeoutMs for the rest, then give up.
          // (Nothing at all is not timed: a busy sequential server may keep a client waiting.)
          if (expected !== undefined && ctx.options.timeoutMs > 0 && !replyTimer) {
            replyTimer = setTimeout(giveUp, ctx.options.timeoutMs)
          }
          ctx.trace({
            op: 'note',
            local,
            remote,
            conn,
            level: 'warn',
            bytes: chunk.length,
            payload: partialPreview,
            at: 'recv',
            message: `received ${previewPayload(chunk)}, not a whole reply yet${expected ? `: expected ${previewPayload(expected)}` : ''}`,
          })
          return
        }
        partial = 0
        clearTimeout(replyTimer)
        replyTimer = undefined
        for (const bytes of whole) {
          const receivedAt = performance.now()
          const reply = readReply(bytes)
          replies++
          const rttMs = round(receivedAt - sentAt)
          const answered = replies >= sent
          const more = answered && sent < count
          // Without a pause, the next PING goes out before the trace is written: the peer
          // never waits for our bookkeeping. The events still go in call order: recv, send,
          // and the send is timed by the same clock reading as the reply that prompted it.
          const pingNow = more && intervalMs === 0
          if (pingNow) writePing(receivedAt)
          const traceRecv = reply.expected ? traceReply : traceUnexpectedReply
          traceRecv(receivedAt, bytes.length, reply.preview, rttMs)
          if (pingNow) {
            tracePing()
            continue
          }
          if (more) {
            pause = setTimeout(ping, intervalMs)
            continue
          }
          if (!answered) continue
          // close() sends FIN; the run is over once the server has closed its side too.
          phase = 'closing'
          ctx.trace({ op: 'close', local, remote, conn, at: 'close', message: 'close() sends FIN' })
          connection.closeWith({ state: 'finished' })
          return
        }
      })

      socket.on('end', () => {
        if (phase === 'closing') return socket.end()
        if (phase !== 'pinging') return
        ctx.trace({
          op: 'eof',
          local,
          remote,
          conn,
          level: 'warn',
          at: 'recv',
          message: 'the server closed the connection before replying',
        })
        ctx.trace({ op: 'close', local, remote, conn, at: 'close' })
        end({
          state: 'failed',
          message: `The server closed the connection after ${replies} PONG(s).`,
        })
      })

      socket.on('error', (error) => {
        if (phase === 'over') return
        const message = explainSocketError(error, ctx)
        ctx.trace({
          op: 'error',
          local,
          remote,
          conn,
          level: 'error',
          message,
          at: local ? 'recv' : 'connect',
        })
        end({ state: 'failed', message })
      })

      return connection.running
    },
  }
}
