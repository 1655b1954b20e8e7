import type { ActorDefinition } from '../actor'
import { udpClient } from '../udp/udp-client'

/**
 * The counter lab's UDP client (counter_client.py). It makes the same calls as the ping-pong
 * UDP client (PING, recvfrom() with a timeout, next PING) and its trace already carries each
 * reply in full, "PONG #3": only the kind and the Python program it follows differ.
 */
export const counterClient: ActorDefinition = {
  ...udpClient,
  kind: 'counter-client',
  file: 'counter_client.py',
}
