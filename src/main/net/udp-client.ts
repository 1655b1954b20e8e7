import { createSocket } from 'node:dgram'
import { setTimeout as delay } from 'node:timers/promises'
import { previewPayload } from '@shared/trace'
import { deferred, PING, type ActorDefinition, type ActorOutcome } from './actor'
import { formatAddress, normalizeHost, udpType } from './address'
import { explainSocketError } from './errors'
import { round } from './tcp-ping-client'

/**
 * The ping-pong UDP client, like udp_client.py: `count` independent PING datagrams, each
 * followed by recvfrom() with a timeout. A timeout is an event, then the next PING.
 */
export const udpClient: ActorDefinition = {
  kind: 'udp-client',
  role: 'client',
  proto: 'udp',
  file: 'udp_client.py',
  start(ctx) {
    const ready = deferred<void>()
    const done = deferred<ActorOutcome>()
    const remote = formatAddress(ctx.host, ctx.port)
    const host = normalizeHost(ctx.host)
    const socket = createSocket(udpType(host))
    const abort = new AbortController()
    let stopped = false

    type Reply = { data: Buffer; from: string }
    let waiting: ReturnType<typeof deferred<Reply | 'timeout' | null>> | undefined
    socket.on('message', (data, rinfo) => {
      const w = waiting
      waiting = undefined
      // A datagram that arrives when nobody waits is a late reply: Python would read it
      // on its next recvfrom(), and so do we, by keeping it.
      const item = { data, from: formatAddress(rinfo.address, rinfo.port) }
      if (w) w.resolve(item)
      else queue.push(item)
    })
    const queue: Reply[] = []
    const socketError = deferred<Error>()
    socket.on('error', (error) => socketError.resolve(error))

    async function run(): Promise<ActorOutcome> {
      // Bound to the loopback address the server sees, so the trace shows the same address.
      const bound = deferred<void>()
      socket.bind({ port: 0, address: host }, () => bound.resolve())
      const bindError = await Promise.race([bound.promise.then(() => null), socketError.promise])
      if (bindError) return failWith(bindError)
      const address = socket.address()
      const local = formatAddress(address.address, address.port)
      ctx.trace({ op: 'socket', local, message: 'socket(AF_INET, SOCK_DGRAM)', at: 'socket' })
      ctx.trace({
        op: 'note',
        local,
        at: 'settimeout',
        message: `settimeout(${ctx.options.timeoutMs / 1000}): recvfrom() gives up after that`,
      })
      ready.resolve()
      let timeouts = 0

      for (let i = 1; i <= ctx.options.count; i++) {
        if (stopped) return { state: 'stopped' }
        const sentAt = performance.now()
        ctx.trace({ op: 'sendto', local, remote, bytes: PING.length, payload: PING, at: 'sendto' })
        socket.send(PING, ctx.port, host)
        const reply = await receive(ctx.options.timeoutMs)
        if (stopped) return { state: 'stopped' }
        if (reply === 'timeout') {
          timeouts++
          ctx.trace({
            op: 'timeout',
            local,
            remote,
            level: 'warn',
            at: 'timeout',
            message: `no reply to PING ${i} within ${ctx.options.timeoutMs / 1000} s — going on`,
          })
        } else if (reply) {
          ctx.trace({
            op: 'recvfrom',
            local,
            remote: reply.from,
            bytes: reply.data.length,
            payload: previewPayload(reply.data),
            rttMs: round(performance.now() - sentAt),
            at: 'recvfrom',
          })
        }
        if (ctx.options.intervalMs > 0 && i < ctx.options.count) {
          await delay(ctx.options.intervalMs, undefined, { signal: abort.signal }).catch(
            () => undefined,
          )
        }
      }
      ctx.trace({ op: 'close', local, at: 'close' })
      return {
        state: 'finished',
        message: timeouts ? `${timeouts} of ${ctx.options.count} PINGs got no reply` : undefined,
      }
    }

    function receive(timeoutMs: number) {
      const queued = queue.shift()
      if (queued) return Promise.resolve(queued)
      const w = deferred<Reply | 'timeout' | null>()
      waiting = w
      const timer = setTimeout(() => {
        if (waiting === w) waiting = undefined
        w.resolve('timeout')
      }, timeoutMs)
      return w.promise.finally(() => clearTimeout(timer))
    }

    function failWith(error: Error): ActorOutcome {
      const message = explainSocketError(error, ctx)
      ctx.trace({ op: 'error', remote, level: 'error', message })
      return { state: 'failed', message }
    }

    run()
      .catch((error: unknown): ActorOutcome => ({ state: 'failed', message: String(error) }))
      .then((outcome) => {
        abort.abort()
        ready.resolve()
        socket.close(() => done.resolve(stopped ? { state: 'stopped' } : outcome))
      })

    return {
      ready: ready.promise,
      done: done.promise,
      async stop() {
        if (!stopped) {
          stopped = true
          abort.abort()
          waiting?.resolve(null)
        }
        await done.promise
      },
    }
  },
}
