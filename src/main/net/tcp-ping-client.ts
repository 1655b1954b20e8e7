import { previewPayload } from '@shared/trace'
import type { ActorKind } from '@shared/lab'
import type { ActorDefinition } from './actor'
import { formatAddress } from './address'
import { explainSocketError } from './errors'
import { round } from './round-ms'
import { connectTcpClient } from './tcp-client-socket'

/** What differs between the labs' TCP clients: the message and how replies are framed. */
export interface TcpPingClientSpec {
  kind: ActorKind
  /** The Python reference program whose lines the anchors name. */
  file: string
  /** One PING as it goes on the wire. */
  ping: string
  /** Returns a fresh splitter: fed each received chunk, it returns the complete replies in it. */
  framing(): (chunk: Buffer) => Buffer[]
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
    role: 'client',
    proto: 'tcp',
    file: spec.file,
    start(ctx) {
      const remote = formatAddress(ctx.host, ctx.port)
      const { count, intervalMs } = ctx.options
      const split = spec.framing()
      const pingPreview = previewPayload(spec.ping)
      let local: string | undefined
      let conn: string | undefined
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
        },
      })
      const { socket, end } = connection

      const traceSend = () =>
        ctx.trace({
          op: 'send',
          local,
          remote,
          conn,
          bytes: spec.ping.length,
          payload: pingPreview,
          at: 'send',
          now: sentAt,
        })
      const writePing = () => {
        sent++
        sentAt = performance.now()
        socket.write(spec.ping)
      }
      const ping = () => {
        pause = undefined
        writePing()
        traceSend()
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
        phase = 'pinging'
        ping()
      })

      socket.on('data', (chunk: Buffer) => {
        if (phase !== 'pinging') return
        for (const bytes of split(chunk)) {
          const reply = bytes.toString('utf8')
          replies++
          const receivedAt = performance.now()
          const rttMs = round(receivedAt - sentAt)
          const answered = replies >= sent
          const more = answered && sent < count
          // Without a pause, the next PING goes out before the trace is written: the peer
          // never waits for our bookkeeping. The events still go in call order: recv, send.
          const pingNow = more && intervalMs === 0
          if (pingNow) writePing()
          ctx.trace({
            op: 'recv',
            local,
            remote,
            conn,
            bytes: bytes.length,
            payload: previewPayload(reply),
            rttMs,
            at: 'recv',
            now: receivedAt,
            level: spec.isExpectedReply && !spec.isExpectedReply(reply) ? 'warn' : 'info',
          })
          if (pingNow) {
            traceSend()
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
