import { setTimeout as delay } from 'node:timers/promises'
import { previewPayload } from '@shared/trace'
import { deferred, type ActorContext, type ActorOutcome, type RunningActor } from '../actor'
import { formatAddress } from '../address'
import { explainSocketError } from '../errors'
import { round } from '../round-ms'
import { openUdpInbox, type Datagram, type UdpInbox } from './udp-inbox'

/** What a UDP client's own loop gets once its socket is bound and `ready` has settled. */
export interface UdpClientRun {
  inbox: UdpInbox
  /** "host:port" of the client's bound socket. */
  local: string
  /** "host:port" of the server, where the datagrams go. */
  remote: string
  /** Stop was pressed: the loop should end with `{ state: 'stopped' }`. */
  readonly stopped: boolean
  /** Wait intervalMs between two PINGs; a Stop cuts the wait short. */
  pause(): Promise<void>
  /** Trace the recvfrom() that brought the answer to a PING sent at `sentAt`, with its round trip. */
  traceAnswer(reply: Datagram, sentAt: number): void
  /** Trace recvfrom() timing out on PING n; `then` says what the client does next. */
  traceTimeout(n: number, then: string): void
}

export interface UdpClientSpec {
  /** What the settimeout() note says about the client's timeoutMs. */
  settimeoutMessage: string
  /** The client's PING loop; its result is the outcome unless the client was stopped. */
  run(client: UdpClientRun): Promise<ActorOutcome>
}

/**
 * The part the labs' UDP clients share, like the top of their Python programs: bind a
 * socket to the loopback address the server sees (so both traces show one address), trace
 * socket() and settimeout(), settle `ready`, run the client's loop, and close the socket
 * exactly once however the loop ends: finished, failed, or stopped while blocked.
 */
export function startUdpClient(ctx: ActorContext, spec: UdpClientSpec): RunningActor {
  const ready = deferred<void>()
  const done = deferred<ActorOutcome>()
  const remote = formatAddress(ctx.host, ctx.port)
  const inbox = openUdpInbox(ctx.host)
  const abort = new AbortController()
  let stopped = false

  async function run(): Promise<ActorOutcome> {
    const bindError = await inbox.bind()
    if (bindError) return failWith(bindError)
    const local = inbox.local()
    ctx.trace({ op: 'socket', local, message: 'socket(AF_INET, SOCK_DGRAM)', at: 'socket' })
    ctx.trace({
      op: 'note',
      local,
      at: 'settimeout',
      message: spec.settimeoutMessage,
    })
    ready.resolve()
    return spec.run({
      inbox,
      local,
      remote,
      get stopped() {
        return stopped
      },
      async pause() {
        const { intervalMs } = ctx.options
        if (intervalMs <= 0) return
        await delay(intervalMs, undefined, { signal: abort.signal }).catch(() => undefined)
      },
      traceAnswer(reply, sentAt) {
        const now = performance.now()
        ctx.trace({
          op: 'recvfrom',
          local,
          remote: reply.from,
          bytes: reply.data.length,
          payload: previewPayload(reply.data),
          rttMs: round(now - sentAt),
          at: 'recvfrom',
          now,
        })
      },
      traceTimeout(n, then) {
        ctx.trace({
          op: 'timeout',
          local,
          remote,
          level: 'warn',
          at: 'timeout',
          message: `no reply to PING ${n} within ${ctx.options.timeoutMs / 1000} s — ${then}`,
        })
      },
    })
  }

  function failWith(error: Error): ActorOutcome {
    const message = explainSocketError(error, ctx)
    ctx.trace({ op: 'error', remote, level: 'error', message })
    return { state: 'failed', message }
  }

  run()
    .catch((error: unknown): ActorOutcome => ({ state: 'failed', message: String(error) }))
    .then(async (outcome) => {
      abort.abort()
      ready.resolve()
      await inbox.close()
      done.resolve(stopped ? { state: 'stopped' } : outcome)
    })
    // Closing the inbox failed: the run is over all the same.
    .catch((error: unknown) => done.resolve({ state: 'failed', message: String(error) }))

  return {
    ready: ready.promise,
    done: done.promise,
    async stop() {
      if (!stopped) {
        stopped = true
        abort.abort()
        inbox.interrupt()
      }
      await done.promise
    },
  }
}
