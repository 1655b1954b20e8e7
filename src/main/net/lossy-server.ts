import type { ActorOptions } from '@shared/actors'
import { describeDropSettings, makeDropDecider, type DropSettings } from '../impair/drop-decider'
import { pickSeed } from '../impair/random'
import { NUMBERED_BAD_REQUEST, numberedPong, parsePing } from './numbered-ping'
import { udpReplyServer, type UdpResponder } from './udp-reply-server'

/** The drop settings of one server run: the student's seed, or a fresh one to show them. */
export function dropSettingsFor(options: ActorOptions): DropSettings {
  return {
    seed: options.seed ?? pickSeed(),
    dropRate: options.dropRate,
    dropList: options.dropList,
  }
}

/**
 * The lossy server's rule, like lossy_server.py: `PING n` is answered `PONG n` unless the
 * seeded decider drops it; anything else gets an error (and no draw).
 */
export function makeLossyResponder(settings: DropSettings): UdpResponder {
  const shouldDrop = makeDropDecider(settings)
  return (message) => {
    const n = parsePing(message)
    if (n === undefined) return { reply: NUMBERED_BAD_REQUEST }
    if (shouldDrop(n)) {
      return {
        reply: numberedPong(n),
        drop: true,
        message: `dropped reply to PING ${n} — simulated loss`,
      }
    }
    return { reply: numberedPong(n) }
  }
}

/** Lab 4's server (lossy_server.py): a UDP PING/PONG server that loses replies on purpose. */
export const lossyServer = udpReplyServer({
  kind: 'lossy-server',
  file: 'lossy_server.py',
  prepare: (ctx) => {
    const settings = dropSettingsFor(ctx.options)
    return {
      respond: makeLossyResponder(settings),
      notes: [{ op: 'note', at: 'seed', message: describeDropSettings(settings) }],
    }
  },
})
