import { PING, PONG } from './actor'
import { linePerReply, tcpPingClient } from './tcp-ping-client'

/**
 * The multi-client lab's client, call for call like labs/multi-client/client.py: connect,
 * then `count` round trips of one `PING\n` line and one `PONG\n` line, with a pause of
 * `intervalMs` between them, then close. Its `connect` is traced when the kernel finishes
 * the handshake, which may be long before a busy server accept()s it.
 */
export const mcClient = tcpPingClient({
  kind: 'mc-client',
  file: 'client.py',
  ping: PING + '\n',
  framing: linePerReply,
  connectMessage: 'connect() returned: the kernel finished the handshake',
  isExpectedReply: (reply) => reply === PONG + '\n',
})
