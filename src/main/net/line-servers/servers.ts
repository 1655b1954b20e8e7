import { pickSeed, seededRandom } from '../../impair/random'
import { calculatorReply, CALC_ERRORS } from '../../protocols/calculator'
import { ChatRoom, CHAT_LIMITS } from '../../protocols/chat'
import { GuessGame, GUESS_MAX, GUESS_MIN } from '../../protocols/guess'
import { KvStore, KV_LIMITS } from '../../protocols/kv'
import { perConnection } from '../../protocols/line-protocol'
import { upperDatagramReply, upperReply } from '../../protocols/upper'
import { udpReplyServer } from '../udp/udp-reply-server'
import { lineServer } from './line-server'

/** Calculator (calc_server.py): one expression per line, `OK <number>` or `ERROR <reason>`. */
export const calcServer = lineServer({
  kind: 'calc-server',
  file: 'calc_server.py',
  prepare: () => ({
    // The calculator keeps no state: each line is answered on its own.
    protocol: perConnection(() => calculatorReply, CALC_ERRORS.tooLong),
  }),
})

/**
 * Number guessing (guess_server.py): each connection gets its own secret, all drawn from
 * the run's one seeded generator, so the same seed deals the same secrets in connection order.
 */
export const guessServer = lineServer({
  kind: 'guess-server',
  file: 'guess_server.py',
  prepare: (ctx) => {
    const seed = ctx.options.seed ?? pickSeed()
    const random = seededRandom(seed)
    return {
      protocol: perConnection(() => {
        const game = new GuessGame(random)
        return (line) => game.reply(line)
      }),
      notes: [
        {
          op: 'note',
          at: 'seed',
          message: `seed ${seed}: each client gets a secret from ${GUESS_MIN} to ${GUESS_MAX} from this seed (same seed, same secrets)`,
        },
      ],
    }
  },
})

/** Key-value store (kv_server.py): one store per run, shared by every client. */
export const kvServer = lineServer({
  kind: 'kv-server',
  file: 'kv_server.py',
  prepare: () => {
    const store = new KvStore()
    return {
      protocol: perConnection(() => (line) => store.reply(line)),
      notes: [
        {
          op: 'note',
          at: 'store',
          message: `store = {} starts empty, shared by every client (at most ${KV_LIMITS.keys} keys)`,
        },
      ],
    }
  },
})

/** Mini chat (chat_server.py): every line is passed on to the other named clients. */
export const chatServer = lineServer({
  kind: 'chat-server',
  file: 'chat_server.py',
  prepare: () => ({
    protocol: new ChatRoom(),
    notes: [
      {
        op: 'note',
        at: 'clients',
        message: `the room starts empty (at most ${CHAT_LIMITS.clients} clients)`,
      },
    ],
  }),
})

/**
 * Uppercase over TCP (upper_tcp_server.py): as the course's server, each recv() comes back
 * in capitals with no newline; with the `line` framing option, each line.
 */
export const upperTcpServer = lineServer({
  kind: 'upper-tcp-server',
  file: 'upper_tcp_server.py',
  chunked: (ctx) => ctx.options.framing !== 'line',
  prepare: () => ({ protocol: perConnection(() => upperReply) }),
})

/** Uppercase over UDP (upper_udp_server.py): each datagram comes back in capitals. */
export const upperUdpServer = udpReplyServer({
  kind: 'upper-udp-server',
  file: 'upper_udp_server.py',
  prepare: () => ({ respond: (message) => ({ reply: upperDatagramReply(message) }) }),
})
