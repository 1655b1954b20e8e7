import type { ActorKind } from '@shared/lab'
import type { LineProtocol } from '../../protocols/line-protocol'
import { perConnection } from '../../protocols/line-protocol'
import { upperReply } from '../../protocols/upper'
import type { ActorDefinition } from '../actor'
import { lineServer } from './line-server'

/** The course's threaded server's first words to every client, byte for byte. */
export const COURSE_GREETING = 'Thank you for connecting\r\n'

/** A protocol that first sends `greeting` to each new client, then serves it as `inner` does. */
export function withGreeting(greeting: string, inner: LineProtocol): LineProtocol {
  return {
    ...inner,
    connect: (id) => [{ to: id, line: greeting, at: 'greet' }, ...inner.connect(id)],
  }
}

/**
 * A protocol that hangs up, without a reply, on a message that is exactly `word` (the
 * course's threaded server breaks out of its loop when a recv() decodes to "bye").
 */
export function endingOn(word: string, inner: LineProtocol): LineProtocol {
  return {
    ...inner,
    line: (id, text) =>
      text === word
        ? [
            {
              to: id,
              line: '',
              close: true,
              because: `the client sent "${word}": the server ended the connection`,
            },
          ]
        : inner.line(id, text),
  }
}

export interface GreetingServerSpec {
  kind: ActorKind
  /** The Python reference server whose anchors the trace names. */
  file: string
  /** Sent as is (no newline added) the moment a client is accepted. */
  greeting: string
  /** The reply to one recv(), as the reference's loop computes it. */
  reply(text: string): string
  /** A message, exactly, on which the server ends the connection without replying. */
  endWord?: string
}

/**
 * A TCP server that greets each client on accept, then answers each recv() with `reply`,
 * every client served at once (the course's thread per client): data, not a new server.
 */
export function greetingServerOf(spec: GreetingServerSpec): ActorDefinition {
  return lineServer({
    kind: spec.kind,
    file: spec.file,
    chunked: () => true,
    prepare: () => {
      const serve = perConnection(() => spec.reply)
      const ending = spec.endWord === undefined ? serve : endingOn(spec.endWord, serve)
      return { protocol: withGreeting(spec.greeting, ending) }
    },
  })
}

/** The course's threaded uppercase server (greeting_server.py). */
export const greetingServer = greetingServerOf({
  kind: 'greeting-server',
  file: 'greeting_server.py',
  greeting: COURSE_GREETING,
  reply: upperReply,
  endWord: 'bye',
})
