import { connect } from 'node:net'
import { previewPayload } from '@shared/trace'
import { deferred, type ActorDefinition, type ActorOutcome } from '../actor'
import { formatAddress } from '../address'
import { explainSocketError } from '../errors'
import { round } from '../round-ms'

/** The console shows what was said in full; only very long data is cut in the trace. */
export const CONSOLE_PREVIEW_CHARS = 2000

/**
 * The raw TCP console: connects to host:port and stays connected, sending what the student
 * types and tracing every chunk that comes back, until the student closes it or the peer
 * ends the stream. No framing of its own: each recv() is shown as it arrived.
 */
export const tcpConsole: ActorDefinition = {
  kind: 'tcp-console',
  file: 'console',
  start(ctx) {
    const ready = deferred<void>()
    const done = deferred<ActorOutcome>()
    const remote = formatAddress(ctx.host, ctx.port)
    let local: string | undefined
    let conn: string | undefined
    let phase: 'connecting' | 'open' | 'closing' | 'over' = 'connecting'
    let outcome: ActorOutcome | undefined
    let lastSendAt: number | undefined

    ctx.trace({ op: 'socket', message: 'socket(AF_INET, SOCK_STREAM)' })
    const socket = connect({ host: ctx.host, port: ctx.port, noDelay: true, allowHalfOpen: true })

    const end = (result: ActorOutcome) => {
      if (phase === 'over') return
      phase = 'over'
      outcome ??= result
      if (socket.closed) done.resolve(outcome)
      else socket.destroy()
    }
    socket.on('close', () => {
      phase = 'over'
      ready.resolve()
      done.resolve(outcome ?? { state: 'finished', message: 'The connection closed.' })
    })

    socket.once('connect', () => {
      local = formatAddress(socket.localAddress ?? '?', socket.localPort ?? 0)
      conn = `${local}->${remote}`
      ctx.trace({ op: 'connect', local, remote, conn, message: `connected to ${remote}` })
      phase = 'open'
      ready.resolve()
    })

    socket.on('data', (chunk: Buffer) => {
      const now = performance.now()
      // The time since the last send, on the first chunk after it only.
      const rttMs = lastSendAt === undefined ? undefined : round(now - lastSendAt)
      lastSendAt = undefined
      ctx.trace({
        op: 'recv',
        local,
        remote,
        conn,
        bytes: chunk.length,
        payload: previewPayload(chunk, CONSOLE_PREVIEW_CHARS),
        rttMs,
        now,
      })
    })

    socket.on('end', () => {
      if (phase !== 'open') return socket.end()
      // The peer sent FIN: like recv() returning b''. Close our side too; the console is over.
      ctx.trace({
        op: 'eof',
        local,
        remote,
        conn,
        message: 'recv() returned b"": the server closed its side',
      })
      ctx.trace({ op: 'close', local, remote, conn, message: 'console closed' })
      phase = 'closing'
      outcome = { state: 'finished', message: 'The server closed the connection.' }
      socket.end()
    })

    socket.on('error', (error) => {
      if (phase === 'over') return
      const message = explainSocketError(error, ctx)
      ctx.trace({ op: 'error', local, remote, conn, level: 'error', message })
      // A failed connect fails the start; a later error ends the console.
      if (phase === 'connecting') ready.reject(new Error(message))
      end({ state: 'failed', message })
    })

    return {
      ready: ready.promise,
      done: done.promise,
      async stop() {
        if (phase === 'open') {
          ctx.trace({ op: 'close', local, remote, conn, message: 'close() sends FIN' })
          phase = 'closing'
          outcome = { state: 'stopped' }
          // A polite close: FIN, then wait (briefly) for the peer to close its side.
          socket.end()
          const timer = setTimeout(() => end({ state: 'stopped' }), 1000)
          await done.promise
          clearTimeout(timer)
          return
        }
        end({ state: 'stopped' })
        await done.promise
      },
      async send(text) {
        if (phase !== 'open') {
          throw new Error(
            phase === 'connecting'
              ? 'The console is still connecting.'
              : 'This connection is closed: open a new one to send.',
          )
        }
        const data = Buffer.from(text, 'utf8')
        lastSendAt = performance.now()
        socket.write(data)
        ctx.trace({
          op: 'send',
          local,
          remote,
          conn,
          bytes: data.length,
          payload: previewPayload(data, CONSOLE_PREVIEW_CHARS),
          now: lastSendAt,
        })
        return data.length
      },
    }
  },
}
