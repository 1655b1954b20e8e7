import { z } from 'zod'
import { ActorRoleSchema, ProtocolSchema, TraceOpSchema, TraceTagSchema } from './trace'

/**
 * One line of an expected-flow diagram: the same shape as a trace event, written by hand.
 * `actor` and `peer` name lifelines declared in the step's `lifelines`.
 */
export const ExpectedEventSchema = z.object({
  actor: z.string(),
  op: TraceOpSchema,
  peer: z.string().optional(),
  proto: ProtocolSchema.optional(),
  payload: z.string().optional(),
  message: z.string().optional(),
  /** A badge, as on a live event: `lost`, `delayed`, `late`… (lab 4). */
  tag: TraceTagSchema.optional(),
})
export type ExpectedEvent = z.infer<typeof ExpectedEventSchema>

/** Most round trips a `repeat` may spell out: a diagram of more would not be read. */
export const MAX_REPEAT = 50

/**
 * `repeat: { times: 5, events: [...] }` stands for its events written `times` times over;
 * `{n}` in a payload or message becomes 1, 2, 3… so numbered requests need no copying.
 */
const RepeatSchema = z.strictObject({
  repeat: z.strictObject({
    times: z
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(MAX_REPEAT, `must be at most ${MAX_REPEAT}`),
    events: z.array(ExpectedEventSchema).min(1, 'must list at least one event'),
  }),
})

type ExpectedLine = ExpectedEvent | z.infer<typeof RepeatSchema>

/** The loader's reading of a missing field, for lines parsed on their own below. */
export const missingIsRequired = (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required but missing' : undefined

/**
 * A flow's lines, each read as a repeat when it has a `repeat` key and as an event otherwise,
 * so that a slip is reported against what the author meant (a union would guess).
 */
const ExpectedLinesSchema = z
  .array(z.unknown())
  .min(1)
  .transform((lines, ctx) => {
    const out: ExpectedLine[] = []
    lines.forEach((line, j) => {
      const repeat = typeof line === 'object' && line !== null && 'repeat' in line
      const parsed = (repeat ? RepeatSchema : ExpectedEventSchema).safeParse(line, {
        error: missingIsRequired,
      })
      if (parsed.success) out.push(parsed.data)
      for (const issue of parsed.error?.issues ?? []) {
        ctx.addIssue({ code: 'custom', path: [j, ...issue.path], message: issue.message })
      }
    })
    return out
  })

const numbered = (text: string | undefined, n: number) => text?.replaceAll('{n}', String(n))

/** The flow's lines with every repeat written out, in order. */
export function expandRepeats(lines: readonly ExpectedLine[]): ExpectedEvent[] {
  return lines.flatMap((line) => {
    if (!('repeat' in line)) return [line]
    const out: ExpectedEvent[] = []
    for (let n = 1; n <= line.repeat.times; n++) {
      for (const e of line.repeat.events) {
        const copy: ExpectedEvent = { ...e }
        if (e.payload !== undefined) copy.payload = numbered(e.payload, n)
        if (e.message !== undefined) copy.message = numbered(e.message, n)
        out.push(copy)
      }
    }
    return out
  })
}

export const ExpectedFlowSchema = z
  .object({
    proto: ProtocolSchema,
    lifelines: z
      .array(z.object({ id: z.string(), label: z.string(), role: ActorRoleSchema }))
      .min(1),
    events: ExpectedLinesSchema,
  })
  .superRefine((flow, ctx) => {
    // Checked as written, so the field named is the line in lab.yaml, repeat or not.
    const lifelines = new Set(flow.lifelines.map((l) => l.id))
    const check = (e: ExpectedEvent, path: (string | number)[]) => {
      for (const key of ['actor', 'peer'] as const) {
        const name = e[key]
        if (name !== undefined && !lifelines.has(name)) {
          ctx.addIssue({
            code: 'custom',
            path: [...path, key],
            message: `"${name}" is not one of the step's lifelines`,
          })
        }
      }
    }
    flow.events.forEach((line, j) => {
      if ('repeat' in line)
        line.repeat.events.forEach((e, k) => check(e, ['events', j, 'repeat', 'events', k]))
      else check(line, ['events', j])
    })
  })
  .transform((flow) => ({ ...flow, events: expandRepeats(flow.events) }))
export type ExpectedFlow = z.output<typeof ExpectedFlowSchema>
