import { z } from 'zod'
import { notYet, pass } from '../rule'
import { ActorSelectorSchema, selects } from './params'
import { typedRule } from './typed-rule'

const params = z.strictObject({
  /** The TCP actor whose recv() must return end-of-stream. */
  actor: ActorSelectorSchema.default('server'),
  /** It must also close that connection afterwards. */
  thenClose: z.boolean({ error: 'must be true or false' }).default(true),
})

/** A TCP actor's recv() returned b'' (its peer closed), and it then closed that connection. */
export const sawEof = typedRule({
  kind: 'saw-eof',
  params,
  evaluate(trace, p) {
    let sawEof = false
    for (const eof of trace) {
      if (eof.op !== 'eof' || eof.proto !== 'tcp' || !selects(p.actor, eof)) continue
      if (!p.thenClose) return pass(`${eof.actor} saw end-of-stream.`, [eof])
      // Stryker: equivalent — `>=` also finds eof itself first, which is no close.
      const closed = trace.find(
        (e) => e.seq > eof.seq && e.actor === eof.actor && e.op === 'close' && e.conn === eof.conn,
      )
      if (closed)
        return pass(`${eof.actor} saw end-of-stream and closed the connection.`, [eof, closed])
      sawEof = true
    }
    if (sawEof) {
      return notYet(`The ${p.actor} saw end-of-stream but has not closed that connection yet.`)
    }
    return notYet(
      `No ${p.actor} has seen end-of-stream yet: the other end has to close its connection.`,
    )
  },
})
