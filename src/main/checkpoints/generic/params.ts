import { z } from 'zod'
import { ActorRoleSchema, ProtocolSchema, type TraceEvent } from '@shared/trace'

/**
 * The building blocks of the generic rules' parameters. Each is checked when a lab loads, so
 * a slip in lab.yaml is reported with its file and field instead of a checkpoint that can
 * never pass.
 */

/** Which actors a rule watches: a role (`client`, `server`, `relay`) or an actor kind. */
export const ActorSelectorSchema = z
  .string({ error: 'must name a role (client, server, relay) or an actor kind' })
  .regex(/^[a-z][a-z0-9-]*$/)

export type ActorSelector = z.infer<typeof ActorSelectorSchema>

const roles: readonly string[] = ActorRoleSchema.options

/** The event was made by an actor the selector names (by role, or by kind). */
export function selects(selector: ActorSelector, e: TraceEvent): boolean {
  return roles.includes(selector) ? e.role === selector : e.actorKind === selector
}

export const OptionalProtoSchema = ProtocolSchema.optional()

/** A whole number of at least `min`, with the words a lab author reads. */
export const countOf = (min: number) =>
  z.number({ error: 'must be a whole number' }).int().min(min, `must be at least ${min}`)

function validRegex(source: string): boolean {
  try {
    new RegExp(source)
    return true
  } catch {
    // Stryker: equivalent — an empty catch returns undefined, as falsy as false.
    return false
  }
}

/**
 * What a payload must look like, written against the trace's printable preview (control
 * bytes written out as `\r`, `\n`, `\x00`…):
 * - a plain string: the message itself, however it is framed (one trailing `\n` or `\r\n`
 *   on the wire is not part of it); `{n}` stands for a running number where a rule says so;
 * - `{ exact: … }`: every byte as the preview shows it, line ending included;
 * - `{ regex: … }`: a regular expression the whole preview must match.
 */
export const PayloadPatternSchema = z.union(
  [
    z.string().min(1, 'must not be empty'),
    z.strictObject({ exact: z.string().min(1, 'must not be empty') }),
    z.strictObject({
      regex: z.string().min(1, 'must not be empty').refine(validRegex, {
        message: 'is not a valid regular expression',
      }),
    }),
  ],
  {
    error: (issue) =>
      issue.input === undefined
        ? 'is required but missing'
        : 'must be a text, { exact: text } or { regex: pattern }',
  },
)
export type PayloadPattern = z.infer<typeof PayloadPatternSchema>

const LINE_END = /(?:\\r)?\\n$/

/** A preview without the one line ending that frames it on the wire. */
export function unframed(payload: string): string {
  return payload.replace(LINE_END, '')
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** A compiled pattern: does a preview match, and with which `{n}` if the pattern has one. */
export interface PayloadMatcher {
  /** The number `{n}` stood for (NaN when the pattern has none), or undefined: no match. */
  match(payload: string | undefined): number | undefined
  /** True when the pattern carries a running number. */
  numbered: boolean
  /** The pattern in words, for a reason the student reads. */
  shown: string
}

export function payloadMatcher(pattern: PayloadPattern): PayloadMatcher {
  if (typeof pattern === 'object' && 'regex' in pattern) {
    const re = new RegExp(`^(?:${pattern.regex})$`)
    return {
      match: (p) => (p !== undefined && re.test(p) ? NaN : undefined),
      numbered: false,
      shown: `a message matching /${pattern.regex}/`,
    }
  }
  const exact = typeof pattern === 'object'
  const text = exact ? pattern.exact : pattern
  const parts = text.split('{n}')
  const re = new RegExp(`^${parts.map(escapeRegex).join('(\\d+)')}$`)
  return {
    match(p) {
      if (p === undefined) return undefined
      const m = re.exec(exact ? p : unframed(p))
      // Number(undefined) is NaN: a pattern without {n} matches with no number.
      return m ? Number(m[1]) : undefined
    },
    numbered: parts.length > 1,
    shown: `"${text}"`,
  }
}

/** How a reply must relate to its request, for services that transform what they get. */
export const ReplyRelationSchema = z.enum(['same', 'upper'], {
  error: 'must be "same" (an echo) or "upper" (the request in capitals)',
})
export type ReplyRelation = z.infer<typeof ReplyRelationSchema>

/** Python's str.upper() on a preview, leaving its written-out control bytes (`\n`) alone. */
export function upperPreview(preview: string): string {
  return preview.replace(/(\\x[0-9a-f]{2}|\\[nrt])|[^\\]|\\/g, (part, escape?: string) =>
    escape ? escape : part.toUpperCase(),
  )
}

/** The reply is what `relation` makes of the request (both as previews, framing kept). */
export function relates(relation: ReplyRelation, request: string, reply: string): boolean {
  return reply === (relation === 'upper' ? upperPreview(request) : request)
}

export const SEND_OPS: readonly string[] = ['send', 'sendto']
export const RECEIVE_OPS: readonly string[] = ['recv', 'recvfrom']
