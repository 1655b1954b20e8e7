import type { ActorKind } from '@shared/lab'
import type { ActorDefinition } from './actor'
import { counterClient } from './counter-client'
import { counterServer } from './counter-server'
import { mcClient } from './mc-client'
import { concurrentServer, sequentialServer } from './mc-server'
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
  'counter-server': counterServer,
  'counter-client': counterClient,
  'sequential-server': sequentialServer,
  'concurrent-server': concurrentServer,
  'mc-client': mcClient,
}
