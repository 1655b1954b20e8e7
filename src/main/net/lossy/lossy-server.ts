import type { ActorOptions } from '@shared/actors'
import { describeDropSettings, makeDropDecider, type DropSettings } from '../../impair/drop-decider'
import { pickSeed } from '../../impair/random'
import { PING, PONG } from '../actor'
import { NUMBERED_BAD_REQUEST, numberedPong, parsePing } from './numbered-ping'
import { udpReplyServer, type UdpResponder } from '../udp/udp-reply-server'

/** The drop settings of one server run: the student's seed, or a fresh one to show them. */
export function dropSettingsFor(options: ActorOptions): DropSettings {
  return {
    seed: options.seed ?? pickSeed(),
    dropRate: options.dropRate,
    dropList: options.dropList,
  }
}

/**
 * The lossy server's rule, like lossy_server.py: the course's plain `PING` is answered
 * `PONG`, a numbered `PING n` is answered `PONG n`, both at once; each reply is first put to
 * the seeded decider, which may drop it. A plain PING is numbered by its arrival (the first
 * is 1), so a drop list names plain PINGs too. Anything else gets an error (and no draw).
 */
export function makeLossyResponder(settings: DropSettings): UdpResponder {
  const shouldDrop = makeDropDecider(settings)
  let plain = 0
  return (message) => {
    const n = parsePing(message)
    const isPlain = n === undefined && message.trim() === PING
    if (n === undefined && !isPlain) return { reply: NUMBERED_BAD_REQUEST }
    const k = n ?? ++plain
    const reply = n === undefined ? PONG : numberedPong(n)
    if (shouldDrop(k)) {
      const which = n === undefined ? `PING (the ${ordinal(k)})` : `PING ${n}`
      return { reply, drop: true, message: `dropped reply to ${which} — simulated loss` }
    }
    return { reply }
  }
}

function ordinal(k: number): string {
  const tens = k % 100
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][k % 10] ?? 'th')
  return `${k}${suffix}`
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
