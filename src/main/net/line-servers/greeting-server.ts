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

export interface GreetingServerSpec {
  kind: ActorKind
  /** The Python reference server whose anchors the trace names. */
  file: string
  /** Sent as is (no newline added) the moment a client is accepted. */
  greeting: string
  /** The reply to one recv(), as the reference's loop computes it. */
  reply(text: string): string
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
    prepare: () => ({
      protocol: withGreeting(
        spec.greeting,
        perConnection(() => spec.reply),
      ),
    }),
  })
}

/** The course's threaded uppercase server (greeting_server.py). */
export const greetingServer = greetingServerOf({
  kind: 'greeting-server',
  file: 'greeting_server.py',
  greeting: COURSE_GREETING,
  reply: upperReply,
})
