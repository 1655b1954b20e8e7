import { PING, PONG } from '../actor'
import { chunkPerReply, linePerReply, tcpPingClient } from '../tcp/tcp-ping-client'

/**
 * The multi-client lab's client, call for call like labs/multi-client/client.py: connect,
 * then `count` round trips of `PING` and `PONG` (one recv() each, as the course's client;
 * `PING\n` and `PONG\n` lines with the `line` framing option), with a pause of
 * `intervalMs` between them, then close. Its `connect` is traced when the kernel finishes
 * the handshake, which may be long before a busy server accept()s it.
 */
export const mcClient = tcpPingClient({
  kind: 'mc-client',
  file: 'client.py',
  ping: (options) => PING + eol(options.framing),
  framing: (options) => (options.framing === 'line' ? linePerReply() : chunkPerReply()),
  expectedReply: (options) => PONG + eol(options.framing),
  connectMessage: 'connect() returned: the kernel finished the handshake',
  isExpectedReply: (reply) => reply.trim() === PONG,
})

function eol(framing: 'chunk' | 'line'): string {
  return framing === 'line' ? '\n' : ''
}
