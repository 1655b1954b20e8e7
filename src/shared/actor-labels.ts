import type { ActorKind } from './lab'

/** The words on each kind's start button, as the step texts name them. */
export const START_LABEL: Record<ActorKind, string> = {
  'tcp-server': 'Start TCP server',
  'tcp-client': 'Run TCP client',
  'udp-server': 'Start UDP server',
  'udp-client': 'Run UDP client',
  'counter-server': 'Start counter server',
  'counter-client': 'Run counter client',
  'sequential-server': 'Start sequential server',
  'concurrent-server': 'Start concurrent server',
  'mc-client': 'Add client(s)',
  'tcp-console': 'Open TCP console',
  'udp-console': 'Open UDP console',
  'calc-server': 'Start calculator server',
  'guess-server': 'Start guessing-game server',
  'kv-server': 'Start key-value server',
  'chat-server': 'Start chat server',
  'upper-tcp-server': 'Start uppercase TCP server',
  'upper-udp-server': 'Start uppercase UDP server',
  'lossy-server': 'Start lossy server',
  'lossy-client': 'Run lossy client',
  'udp-relay': 'Start relay',
  'framing-relay': 'Start framing relay',
  'naive-client': 'Run naive client',
  'line-client': 'Run line client',
  'greeting-server': 'Start greeting server',
}

/**
 * Clients are one-shot runs: they can be run again and again, several at once. Everything
 * else (servers, relays, consoles) keeps running until stopped, so while one runs its
 * controls offer Stop and Restart instead of a second Start that could only fail.
 */
export function isOneShot(kind: ActorKind): boolean {
  return kind.endsWith('-client')
}

/** Running, or on its way: the actor holds (or is taking) its port. */
export function isLive(state: string | undefined): boolean {
  return state === 'running' || state === 'starting'
}
