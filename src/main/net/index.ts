import type { ActorKind } from '@shared/lab'
import type { ActorDefinition } from './actor'
import { tcpClient } from './tcp-client'
import { tcpServer } from './tcp-server'
import { udpClient } from './udp-client'
import { udpServer } from './udp-server'

/** Every actor the main process can run, by kind. */
export const actorDefinitions: Record<ActorKind, ActorDefinition> = {
  'tcp-server': tcpServer,
  'tcp-client': tcpClient,
  'udp-server': udpServer,
  'udp-client': udpClient,
}
