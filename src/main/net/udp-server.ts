import { createSocket } from 'node:dgram'
import { previewPayload } from '@shared/trace'
import { deferred, replyTo, type ActorDefinition, type ActorOutcome } from './actor'
import { formatAddress, udpType } from './address'
import { explainSocketError } from './errors'

/**
 * The ping-pong UDP server, like udp_server.py: bind only, then for each datagram
 * recvfrom() gives the sender's address and sendto() answers exactly there. Runs until stopped.
 */
export const udpServer: ActorDefinition = {
  kind: 'udp-server',
  role: 'server',
  proto: 'udp',
  file: 'udp_server.py',
  start(ctx) {
    const ready = deferred<void>()
    const done = deferred<ActorOutcome>()
    const local = formatAddress(ctx.host, ctx.port)
    const socket = createSocket({ type: udpType(ctx.host), reuseAddr: false })
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
      const reply = replyTo(text)
      ctx.trace({ op: 'sendto', local, remote, bytes: reply.length, payload: reply, at: 'sendto' })
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
