import { connect } from 'node:net'
import { previewPayload } from '@shared/trace'
import { deferred, PING, type ActorDefinition, type ActorOutcome } from './actor'
import { formatAddress } from './address'
import { explainSocketError } from './errors'

/**
 * The ping-pong TCP client, call for call like tcp_client.py: connect, then `count`
 * PING/PONG round trips over that one connection, timing each, then close.
 * Written as socket callbacks rather than an async loop: each round trip is on the
 * benchmark's hot path.
 */
export const tcpClient: ActorDefinition = {
  kind: 'tcp-client',
  role: 'client',
  proto: 'tcp',
  file: 'tcp_client.py',
  start(ctx) {
    const done = deferred<ActorOutcome>()
    const remote = formatAddress(ctx.host, ctx.port)
    const { count, intervalMs } = ctx.options
    let local: string | undefined
    let conn: string | undefined
    let sent = 0
    let replies = 0
    let sentAt = 0
    let pause: NodeJS.Timeout | undefined
    let phase: 'connecting' | 'pinging' | 'closing' | 'over' = 'connecting'
    let outcome: ActorOutcome | undefined

    ctx.trace({ op: 'socket', message: 'socket(AF_INET, SOCK_STREAM)', at: 'socket' })
    const socket = connect({ host: ctx.host, port: ctx.port, noDelay: true, allowHalfOpen: true })

    const end = (result: ActorOutcome) => {
      if (phase === 'over') return
      phase = 'over'
      outcome = result
      clearTimeout(pause)
      // "done" only once the socket is really closed, so done means no open handle.
      if (socket.closed) done.resolve(result)
      else socket.destroy()
    }
    socket.on('close', () => {
      phase = 'over'
      clearTimeout(pause)
      done.resolve(outcome ?? { state: 'failed', message: 'The connection closed unexpectedly.' })
    })

    const traceSend = () =>
      ctx.trace({
        op: 'send',
        local,
        remote,
        conn,
        bytes: PING.length,
        payload: PING,
        at: 'send',
        now: sentAt,
      })
    const writePing = () => {
      sent++
      sentAt = performance.now()
      socket.write(PING)
    }
    const ping = () => {
      pause = undefined
      writePing()
      traceSend()
    }

    socket.once('connect', () => {
      local = formatAddress(socket.localAddress ?? '?', socket.localPort ?? 0)
      conn = `${local}->${remote}`
      ctx.trace({ op: 'connect', local, remote, conn, at: 'connect' })
      phase = 'pinging'
      ping()
    })

    socket.on('data', (reply) => {
      if (phase !== 'pinging') return
      replies++
      const receivedAt = performance.now()
      const rttMs = round(receivedAt - sentAt)
      const more = sent < count
      // Without a pause, the next PING goes out before the trace is written: the peer
      // never waits for our bookkeeping. The events still go in call order: recv, send.
      const pingNow = more && intervalMs === 0
      if (pingNow) writePing()
      const text = reply.toString('utf8')
      ctx.trace({
        op: 'recv',
        local,
        remote,
        conn,
        bytes: reply.length,
        payload: previewPayload(text),
        rttMs,
        at: 'recv',
        now: receivedAt,
      })
      if (pingNow) return traceSend()
      if (more) {
        pause = setTimeout(ping, intervalMs)
        return
      }
      // close() sends FIN; the run is over once the server has closed its side too.
      phase = 'closing'
      ctx.trace({ op: 'close', local, remote, conn, at: 'close', message: 'close() sends FIN' })
      outcome = { state: 'finished' }
      socket.end()
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

    return {
      // A client is ready as soon as it exists; how its connect went is in the trace and in `done`.
      ready: Promise.resolve(),
      done: done.promise,
      async stop() {
        end({ state: 'stopped' })
        await done.promise
      },
    }
  },
}

export function round(ms: number): number {
  return Math.round(ms * 1000) / 1000
}
