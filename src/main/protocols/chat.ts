import { LINE_TOO_LONG_REPLY } from './line-buffer'
import type { Delivery, LeaveReason, LineProtocol } from './line-protocol'

/**
 * The mini chat protocol, as a pure state machine: the server feeds it what happened on
 * each connection and sends the lines it returns ("deliveries"). It never touches a socket.
 *
 *   client: NAME alice          server: WELCOME alice (2 online)   to alice
 *                                        * alice joined             to everyone else
 *   client: hello               server: alice: hello               to everyone else
 *   (alice disconnects)         server: * alice left               to everyone else
 *
 * Until it has a name a client may only send NAME; names are 1 to 16 letters, digits, `_` or
 * `-`, unique among the connected clients.
 */
export const CHAT_LIMITS = { nameChars: 16, clients: 32 } as const
export const NAME_PATTERN = /^[A-Za-z0-9_-]{1,16}$/

export const CHAT_ERRORS = {
  nameFirst: 'ERROR send NAME <name> first',
  badName: `ERROR a name is 1 to ${CHAT_LIMITS.nameChars} letters, digits, _ or -`,
  full: `ERROR the chat is full (max ${CHAT_LIMITS.clients} clients)`,
} as const

export class ChatRoom implements LineProtocol {
  /** Connection id → name, for clients that have joined (in joining order). */
  private readonly names = new Map<string, string>()
  /** Connection ids still to send NAME. */
  private readonly waiting = new Set<string>()

  /** Clients that have joined, in joining order. */
  get members(): string[] {
    return [...this.names.values()]
  }

  /** Connections open, named or not. */
  get connections(): number {
    return this.names.size + this.waiting.size
  }

  connect(id: string): Delivery[] {
    if (this.connections >= CHAT_LIMITS.clients)
      return [{ to: id, line: CHAT_ERRORS.full, close: true }]
    this.waiting.add(id)
    return []
  }

  /** What one complete line from connection `id` makes the server send. */
  line(id: string, text: string): Delivery[] {
    const name = this.names.get(id)
    if (name !== undefined) {
      if (text.trim() === '') return []
      return this.toOthers(id, `${name}: ${text}`)
    }
    if (!this.waiting.has(id)) return []
    const match = /^\s*NAME\s+(.*?)\s*$/i.exec(text)
    if (!match) return [{ to: id, line: CHAT_ERRORS.nameFirst }]
    const wanted = match[1]!
    if (!NAME_PATTERN.test(wanted)) return [{ to: id, line: CHAT_ERRORS.badName }]
    if (this.members.includes(wanted)) {
      return [{ to: id, line: `ERROR the name "${wanted}" is taken: choose another` }]
    }
    this.waiting.delete(id)
    this.names.set(id, wanted)
    return [
      { to: id, line: `WELCOME ${wanted} (${this.names.size} online)` },
      ...this.toOthers(id, `* ${wanted} joined`),
    ]
  }

  tooLong(id: string): Delivery[] {
    return [{ to: id, line: LINE_TOO_LONG_REPLY }]
  }

  /** Connection `id` is gone (closed, reset, or dropped for being too slow). */
  disconnect(id: string, reason?: LeaveReason): Delivery[] {
    this.waiting.delete(id)
    const name = this.names.get(id)
    if (name === undefined) return []
    this.names.delete(id)
    const why = reason === 'too-slow' ? ' (disconnected: it was not reading its messages)' : ''
    return this.toOthers(id, `* ${name} left${why}`)
  }

  private toOthers(from: string, line: string): Delivery[] {
    const out: Delivery[] = []
    for (const id of this.names.keys()) if (id !== from) out.push({ to: id, line })
    return out
  }
}
