import { replyTo } from '../actor'
import { udpReplyServer } from './udp-reply-server'

/**
 * The ping-pong UDP server, like udp_server.py: bind only, then for each datagram
 * recvfrom() gives the sender's address and sendto() answers exactly there. Runs until stopped.
 */
export const udpServer = udpReplyServer({
  kind: 'udp-server',
  file: 'udp_server.py',
  prepare: () => ({ respond: (message) => ({ reply: replyTo(message) }) }),
})
