import { connect } from 'node:net'
import { previewPayload } from '@shared/trace'
import { deferred, PING, PONG, type ActorDefinition, type ActorOutcome } from './actor'
import { formatAddress } from './address'
import { explainSocketError } from './errors'
import { round } from './tcp-client'

const PING_LINE = PING + '\n'

/**
 * The multi-client lab's client, call for call like labs/multi-client/client.py: connect,
 * then `count` round trips of one `PING\n` line and one `PONG\n` line, with a pause of
 * `intervalMs` between them, then close. Its `connect` is traced when the kernel finishes
 * the handshake, which may be long before a busy server accept()s it.
 */
export const mcClient: ActorDefinition = {
  kind: 'mc-client',
  role: 'client',
  proto: 'tcp',
  file: 'client.py',
  start(ctx) {
    const done = deferred<ActorOutcome>()
    const remote = formatAddress(ctx.host, ctx.port)
    const { count, intervalMs } = ctx.options
    let local: string | undefined
    let conn: string | undefined
    let sent = 0
    let replies = 0
    let sentAt = 0
    let buffered = ''
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
      if (socket.closed) done.resolve(result)
      else socket.destroy()
    }
    socket.on('close', () => {
      phase = 'over'
      clearTimeout(pause)
      done.resolve(outcome ?? { state: 'failed', message: 'The connection closed unexpectedly.' })
    })

    const ping = () => {
      pause = undefined
      sent++
      sentAt = performance.now()
      socket.write(PING_LINE)
      ctx.trace({
        op: 'send',
        local,
        remote,
        conn,
        bytes: PING_LINE.length,
        payload: 'PING\\n',
        at: 'send',
        now: sentAt,
      })
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
        message: 'connect() returned: the kernel finished the handshake',
      })
      phase = 'pinging'
      ping()
    })

    socket.on('data', (chunk: Buffer) => {
      if (phase !== 'pinging') return
      buffered += chunk.toString('utf8')
      for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl)
        buffered = buffered.slice(nl + 1)
        const receivedAt = performance.now()
        replies++
        ctx.trace({
          op: 'recv',
          local,
          remote,
          conn,
          bytes: line.length + 1,
          payload: previewPayload(line + '\n'),
          rttMs: round(receivedAt - sentAt),
          at: 'recv',
          now: receivedAt,
          level: line === PONG ? 'info' : 'warn',
        })
        if (replies < sent) continue
        if (sent < count) {
          if (intervalMs === 0) ping()
          else pause = setTimeout(ping, intervalMs)
          continue
        }
        phase = 'closing'
        ctx.trace({ op: 'close', local, remote, conn, at: 'close', message: 'close() sends FIN' })
        outcome = { state: 'finished' }
        socket.end()
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

    return {
      ready: Promise.resolve(),
      done: done.promise,
      async stop() {
        end({ state: 'stopped' })
        await done.promise
      },
    }
  },
}
