import { PING } from '../actor'
import { chunkPerReply, tcpPingClient } from './tcp-ping-client'

/**
 * The ping-pong TCP client, call for call like tcp_client.py: connect, then `count`
 * PING/PONG round trips over that one connection (4 bytes each way, no delimiter: each
 * recv() is one reply), timing each, then close.
 */
export const tcpClient = tcpPingClient({
  kind: 'tcp-client',
  file: 'tcp_client.py',
  ping: PING,
  framing: chunkPerReply,
})
