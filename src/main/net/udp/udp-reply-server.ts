import { createSocket } from 'node:dgram'
import type { ActorKind } from '@shared/lab'
import { previewPayload } from '@shared/trace'
import {
  deferred,
  type ActorContext,
  type ActorDefinition,
  type ActorOutcome,
  type ActorTraceInput,
} from '../actor'
import { formatAddress, udpType } from '../address'
import { explainSocketError } from '../errors'

/** What a UDP server sends back for one datagram, and an optional word for the trace. */
export interface UdpReply {
  reply: string
  /** Shown with the sendto() event, e.g. "shared count is now 3". */
  message?: string
  /** Simulated loss: the reply is not sent; the trace shows it as a lost `drop` event. */
  drop?: boolean
}

/** Decides the reply to one datagram; `sender` is the "host:port" recvfrom() returned. */
export type UdpResponder = (message: string, sender: string) => UdpReply

export interface UdpServerRun {
  respond: UdpResponder
  /** Traced once the socket is bound, before socket() and bind() (e.g. where state lives). */
  notes?: ActorTraceInput[]
}

export interface UdpReplyServerSpec {
  kind: ActorKind
  /** The Python reference program whose anchors the trace names. */
  file: string
  /**
   * Called once per start. Whatever the server remembers between datagrams lives in the
   * responder this returns: a new run starts from nothing, like a restarted Python process.
   */
  prepare(ctx: ActorContext): UdpServerRun
}

/**
 * A UDP server in the shape of udp_server.py: bind only, then for each datagram recvfrom()
 * gives the sender's address and sendto() answers exactly there. Runs until stopped. The
 * reply itself comes from the spec, so the ping-pong and the counter servers share this.
 */
export function udpReplyServer(spec: UdpReplyServerSpec): ActorDefinition {
  return {
    kind: spec.kind,
    file: spec.file,
    start(ctx) {
      const ready = deferred<void>()
      const done = deferred<ActorOutcome>()
      const local = formatAddress(ctx.host, ctx.port)
      const socket = createSocket({ type: udpType(ctx.host), reuseAddr: false })
      const run = spec.prepare(ctx)
      let outcome: ActorOutcome | undefined
      let bound = false

      const finish = (result: ActorOutcome) => {
        if (outcome) return
        outcome = result
        if (!bound) {
          socket.close()
          // Stopped before bind() completed: settle `ready` too, so nobody waits on it forever.
          ready.resolve()
          done.resolve(result)
          return
        }
        socket.close(() => {
          ctx.trace({ op: 'close', local, at: 'close' })
          done.resolve(result)
        })
      }

      socket.on('error', (error) => {
        const message = explainSocketError(error, ctx)
        ctx.trace({ op: 'error', local, level: 'error', message, at: bound ? 'sendto' : 'bind' })
        if (!bound) {
          ready.reject(new Error(message))
          finish({ state: 'failed', message })
        }
      })

      socket.on('listening', () => {
        bound = true
        for (const note of run.notes ?? []) ctx.trace({ local, ...note })
        ctx.trace({ op: 'socket', message: 'socket(AF_INET, SOCK_DGRAM)', at: 'socket' })
        ctx.trace({ op: 'bind', local, at: 'bind' })
        ctx.trace({ op: 'note', local, at: 'recvfrom', message: 'recvfrom() waits for a datagram' })
        ready.resolve()
      })

      socket.on('message', (data, rinfo) => {
        const remote = formatAddress(rinfo.address, rinfo.port)
        const text = data.toString('utf8')
        ctx.trace({
          op: 'recvfrom',
          local,
          remote,
          bytes: data.length,
          payload: previewPayload(text),
          at: 'recvfrom',
        })
        const { reply, message, drop } = run.respond(text, remote)
        if (drop) {
          ctx.trace({
            op: 'drop',
            local,
            remote,
            bytes: Buffer.byteLength(reply),
            payload: reply,
            tag: 'lost',
            level: 'warn',
            message,
            at: 'drop',
          })
          return
        }
        ctx.trace({
          op: 'sendto',
          local,
          remote,
          bytes: Buffer.byteLength(reply),
          payload: reply,
          message,
          at: 'sendto',
        })
        socket.send(reply, rinfo.port, rinfo.address)
      })

      socket.bind({ port: ctx.port, address: ctx.host, exclusive: true })

      return {
        ready: ready.promise,
        done: done.promise,
        async stop() {
          finish({ state: 'stopped' })
          await done.promise
        },
      }
    },
  }
}
