import type { CountMode } from '@shared/actors'
import { BAD_REQUEST_REPLY, PING } from '../actor'
import { udpReplyServer, type UdpResponder } from '../udp/udp-reply-server'

/** The key every PING adds to in shared mode: one count for the whole server. */
const EVERYONE = 'all clients'

/**
 * The counter's state and its one rule, like counter_server.py: a PING adds one to a count
 * and the reply says where it got to, "PONG #n". In `shared` mode all senders add to one
 * count; in `per-client` mode each sender address ("ip:port") has its own. Anything that is
 * not a PING is answered with an error and not counted.
 *
 * The counts live in this closure, made when the server starts: they are gone when it stops,
 * so a restarted server answers "PONG #1" again.
 */
export function makeCounter(mode: CountMode): UdpResponder {
  const counts = new Map<string, number>()
  return (message, sender) => {
    if (message.trim() !== PING) {
      return { reply: BAD_REQUEST_REPLY, message: 'not a PING: answered, not counted' }
    }
    const key = mode === 'shared' ? EVERYONE : sender
    const n = (counts.get(key) ?? 0) + 1
    counts.set(key, n)
    return {
      reply: `PONG #${n}`,
      message: mode === 'shared' ? `shared count is now ${n}` : `count for ${sender} is now ${n}`,
    }
  }
}

/** The server's first trace line: how it counts, and that the count starts empty. */
const MODE_NOTE: Record<CountMode, string> = {
  shared: 'count mode: shared, counts = {} starts empty',
  'per-client': 'count mode: per-client, counts = {} starts empty',
}

/** The counter lab's UDP server (counter_server.py): PONG #n, counted in `countMode`. */
export const counterServer = udpReplyServer({
  kind: 'counter-server',
  file: 'counter_server.py',
  prepare: (ctx) => ({
    respond: makeCounter(ctx.options.countMode),
    notes: [{ op: 'note', at: 'counts', message: MODE_NOTE[ctx.options.countMode] }],
  }),
})
