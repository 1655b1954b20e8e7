import type { ActorKind } from '@shared/actor-catalogue'
import type { ActorDefinition } from './actor'
import { counterClient } from './counter/counter-client'
import { counterServer } from './counter/counter-server'
import { lineClient, naiveClient } from './framing/framing-clients'
import { greetingServer } from './line-servers/greeting-server'
import { framingRelay } from './relays/framing-relay'
import { lossyClient } from './lossy/lossy-client'
import { lossyServer } from './lossy/lossy-server'
import { mcClient } from './multi-client/mc-client'
import { concurrentServer, sequentialServer } from './multi-client/mc-server'
import {
  calcServer,
  chatServer,
  guessServer,
  kvServer,
  upperTcpServer,
  upperUdpServer,
} from './line-servers/servers'
import { tcpClient } from './tcp/tcp-client'
import { tcpConsole } from './tcp/tcp-console'
import { tcpServer } from './tcp/tcp-server'
import { udpClient } from './udp/udp-client'
import { udpConsole } from './udp/udp-console'
import { udpRelay } from './relays/udp-relay'
import { udpServer } from './udp/udp-server'

/**
 * How to run each kind the actor catalogue (src/shared/actor-catalogue.ts) lists as startable;
 * what each kind is, and the options it takes, are there.
 */
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
  'calc-server': calcServer,
  'guess-server': guessServer,
  'kv-server': kvServer,
  'chat-server': chatServer,
  'upper-tcp-server': upperTcpServer,
  'upper-udp-server': upperUdpServer,
  'tcp-console': tcpConsole,
  'udp-console': udpConsole,
  'lossy-server': lossyServer,
  'lossy-client': lossyClient,
  'udp-relay': udpRelay,
  'framing-relay': framingRelay,
  'naive-client': naiveClient,
  'line-client': lineClient,
  'greeting-server': greetingServer,
}
