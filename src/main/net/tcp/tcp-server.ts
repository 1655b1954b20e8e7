import { createServer, type Socket } from 'node:net'
import { previewPayload } from '@shared/trace'
import { replyTo, type ActorDefinition } from '../actor'
import { formatAddress } from '../address'
import { explainSocketError } from '../errors'
import { listenTcp } from '../listen'
import { repeatDecoder } from './repeat-decoder'

/**
 * The ping-pong TCP server, call for call like tcp_server.py: bind, listen, accept one
 * client, PONG each PING, and when recv() sees end-of-stream close and exit.
 */
export const tcpServer: ActorDefinition = {
  kind: 'tcp-server',
  file: 'tcp_server.py',
  start(ctx) {
    const local = formatAddress(ctx.host, ctx.port)
    // allowHalfOpen: a client's FIN reaches us as 'end' and we close our side ourselves,
    // exactly when the Python server's recv() returns b''.
    const server = createServer({ allowHalfOpen: true })
    let client: Socket | undefined
    let clientEnds: { remote: string; conn: string } | undefined
    let clientOpen = false

    const listener = listenTcp(ctx, server, {
      local,
      acceptNote: () => ({ message: 'accept() waits for a client' }),
      closeAll() {
        if (client && clientOpen) {
          clientOpen = false
          client.destroy()
          ctx.trace({
            op: 'close',
            local,
            ...clientEnds,
            at: 'close-conn',
            message: 'connection closed by Stop',
          })
        }
      },
    })
    const finish = listener.finish

    server.on('connection', (socket) => {
      if (client || listener.outcome) {
        // Like the Python server, this one serves a single client; Node accepts anyway,
        // so say so and hang up rather than leave the second client waiting forever.
        const remote = formatAddress(socket.remoteAddress ?? '?', socket.remotePort ?? 0)
        ctx.trace({
          op: 'note',
          local,
          remote,
          level: 'warn',
          message: 'a second client was turned away: this server serves one client and exits',
        })
        socket.destroy()
        return
      }
      client = socket
      clientOpen = true
      serveClient(socket)
    })

    function serveClient(socket: Socket) {
      const remote = formatAddress(socket.remoteAddress ?? '?', socket.remotePort ?? 0)
      const conn = `${remote}->${local}`
      clientEnds = { remote, conn }
      socket.setNoDelay(true)
      ctx.trace({ op: 'accept', local, remote, conn, at: 'accept' })
      const request = repeatDecoder((text) => ({
        reply: replyTo(text),
        preview: previewPayload(text),
      }))
      const traceRecv = ctx.prepare({ op: 'recv', local, remote, conn, at: 'recv' })
      const traceSend = ctx.prepare({ op: 'send', local, remote, conn, at: 'send' })
      socket.on('data', (data: Buffer) => {
        // Answer first, then record both calls: the trace never delays the peer.
        const now = performance.now()
        const { reply, preview } = request(data)
        socket.write(reply)
        traceRecv(now, data.length, preview)
        traceSend(now, reply.length, reply)
      })
      socket.on('end', () => {
        ctx.trace({
          op: 'eof',
          local,
          remote,
          conn,
          message: 'recv() returned b"": the client closed its side',
          at: 'eof',
        })
        socket.end(() => {
          clientOpen = false
          ctx.trace({
            op: 'close',
            local,
            remote,
            conn,
            at: 'close-conn',
            message: 'connection closed',
          })
          finish({ state: 'finished' })
        })
      })
      socket.on('error', (error) => {
        clientOpen = false
        const message = explainSocketError(error, ctx)
        ctx.trace({ op: 'error', local, remote, conn, level: 'error', message })
        finish({ state: 'failed', message })
      })
    }

    return listener.running
  },
}
