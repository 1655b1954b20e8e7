import { createSocket } from 'node:dgram'
import { previewPayload } from '@shared/trace'
import { deferred, type ActorDefinition, type ActorOutcome } from '../actor'
import { formatAddress, normalizeHost, udpType } from '../address'
import { explainSocketError } from '../errors'
import { round } from '../round-ms'
import { CONSOLE_PREVIEW_CHARS } from '../tcp/tcp-console'

/**
 * The raw UDP console: binds a socket of its own (any free port), sends each message the
 * student types to host:port as one datagram, and traces every datagram that arrives, from
 * whoever sent it, until the student closes it.
 */
export const udpConsole: ActorDefinition = {
  kind: 'udp-console',
  file: 'console',
  start(ctx) {
    const ready = deferred<void>()
    const done = deferred<ActorOutcome>()
    const remote = formatAddress(ctx.host, ctx.port)
    const host = normalizeHost(ctx.host)
    const socket = createSocket(udpType(host))
    let local: string | undefined
    let phase: 'binding' | 'open' | 'over' = 'binding'
    let outcome: ActorOutcome | undefined
    let lastSendAt: number | undefined

    const end = (result: ActorOutcome) => {
      if (phase === 'over') return
      phase = 'over'
      outcome = result
      ready.resolve()
      socket.close(() => done.resolve(result))
    }

    socket.on('error', (error) => {
      if (phase === 'over') return
      const message = explainSocketError(error, ctx)
      ctx.trace({ op: 'error', local, remote, level: 'error', message })
      if (phase === 'binding') ready.reject(new Error(message))
      end({ state: 'failed', message })
    })

    socket.on('message', (data, rinfo) => {
      const now = performance.now()
      const rttMs = lastSendAt === undefined ? undefined : round(now - lastSendAt)
      lastSendAt = undefined
      ctx.trace({
        op: 'recvfrom',
        local,
        remote: formatAddress(rinfo.address, rinfo.port),
        bytes: data.length,
        payload: previewPayload(data, CONSOLE_PREVIEW_CHARS),
        rttMs,
        now,
      })
    })

    // Bound to the loopback address the server sees, so both sides' traces show one address.
    socket.bind({ port: 0, address: host }, () => {
      if (phase !== 'binding') return
      const address = socket.address()
      local = formatAddress(address.address, address.port)
      ctx.trace({ op: 'socket', local, message: 'socket(AF_INET, SOCK_DGRAM)' })
      ctx.trace({ op: 'bind', local, message: `bound to ${local}; datagrams go to ${remote}` })
      phase = 'open'
      ready.resolve()
    })

    return {
      ready: ready.promise,
      done: done.promise,
      async stop() {
        if (phase === 'open') ctx.trace({ op: 'close', local, message: 'console closed' })
        end(outcome ?? { state: 'stopped' })
        await done.promise
      },
      async send(text) {
        if (phase !== 'open') {
          throw new Error(
            phase === 'binding'
              ? 'The console is still binding its socket.'
              : 'This console is closed: open a new one to send.',
          )
        }
        const data = Buffer.from(text, 'utf8')
        lastSendAt = performance.now()
        ctx.trace({
          op: 'sendto',
          local,
          remote,
          bytes: data.length,
          payload: previewPayload(data, CONSOLE_PREVIEW_CHARS),
          now: lastSendAt,
        })
        await new Promise<void>((resolve, reject) =>
          socket.send(data, ctx.port, host, (error) => (error ? reject(error) : resolve())),
        ).catch((error: unknown) => {
          throw new Error(explainSocketError(error, ctx))
        })
        return data.length
      },
    }
  },
}
