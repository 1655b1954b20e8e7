import { LINE_TOO_LONG_REPLY } from './line-buffer'

/**
 * One line for one connection; `close` asks the server to hang up after sending it. An empty
 * line with `close` (in chunk mode, where no newline is added) hangs up without a word.
 */
export interface Delivery {
  to: string
  line: string
  close?: boolean
  /** Why the server hangs up, for the trace's close event. */
  because?: string
  /** The anchor of the line in the reference program that sends it; `send` when left out. */
  at?: string
}

/** Why a client is gone: `too-slow` when the server dropped it for not reading. */
export type LeaveReason = 'left' | 'too-slow'

/**
 * What a line-framed server does, with the sockets left out: the server tells it each
 * event on a connection (named by an id) and sends the lines it returns, to whichever
 * connections they name. One object serves every connection of one server run.
 */
export interface LineProtocol {
  /** A client was accepted: lines to send at once (a greeting, or a refusal with `close`). */
  connect(id: string): Delivery[]
  /** One complete line (newline and `\r` removed) arrived from `id`. */
  line(id: string, text: string): Delivery[]
  /** A line longer than the limit arrived from `id`; it was dropped up to its newline. */
  tooLong(id: string, bytes: number): Delivery[]
  /** `id` is gone: it closed, reset, or was dropped for not reading. */
  disconnect(id: string, reason: LeaveReason): Delivery[]
}

/**
 * A request/reply protocol where each connection has its own state (or none): every line
 * gets exactly one reply line on the same connection. `open` makes the state of one
 * connection and returns its reply function.
 */
export function perConnection(
  open: (id: string) => (line: string) => string,
  tooLongReply: string = LINE_TOO_LONG_REPLY,
): LineProtocol {
  const sessions = new Map<string, (line: string) => string>()
  return {
    connect(id) {
      sessions.set(id, open(id))
      return []
    },
    line(id, text) {
      const reply = sessions.get(id)
      return reply ? [{ to: id, line: reply(text) }] : []
    },
    tooLong(id) {
      return sessions.has(id) ? [{ to: id, line: tooLongReply }] : []
    },
    disconnect(id) {
      sessions.delete(id)
      return []
    },
  }
}
