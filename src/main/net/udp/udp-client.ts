import { PING, type ActorDefinition } from '../actor'
import { startUdpClient } from './udp-client-run'

/**
 * The ping-pong UDP client, like udp_client.py: `count` independent PING datagrams, each
 * followed by recvfrom() with a timeout. A timeout is an event, then the next PING.
 * With timeoutMs 0 (settimeout(None)) each recvfrom() waits until a reply or a Stop.
 */
export const udpClient: ActorDefinition = {
  kind: 'udp-client',
  file: 'udp_client.py',
  start(ctx) {
    const { count, timeoutMs } = ctx.options
    return startUdpClient(ctx, {
      settimeoutMessage:
        timeoutMs > 0
          ? `settimeout(${timeoutMs / 1000}): recvfrom() gives up after that`
          : 'settimeout(None): recvfrom() waits until a reply comes',
      async run(client) {
        const { inbox, local, remote } = client
        let timeouts = 0
        for (let i = 1; i <= count; i++) {
          if (client.stopped) return { state: 'stopped' }
          const sentAt = performance.now()
          ctx.trace({
            op: 'sendto',
            local,
            remote,
            bytes: PING.length,
            payload: PING,
            at: 'sendto',
          })
          inbox.send(PING, ctx.port, ctx.host)
          const reply = await inbox.receive(timeoutMs)
          if (client.stopped) return { state: 'stopped' }
          if (reply === 'timeout') {
            timeouts++
            client.traceTimeout(i, 'going on')
          } else if (reply) {
            client.traceAnswer(reply, sentAt)
          }
          if (i < count) await client.pause()
        }
        ctx.trace({ op: 'close', local, at: 'close' })
        return {
          state: 'finished',
          message: timeouts ? `${timeouts} of ${count} PINGs got no reply` : undefined,
        }
      },
    })
  },
}
