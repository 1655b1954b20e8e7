import { z } from 'zod'
import { ActorKindSchema, optionProblems, type ActorKind } from './actor-catalogue'
import type { ActorOptions } from './actor-options'

/**
 * What a step's programs start with, as its lab.yaml declares it:
 * `actors: [counter-server, {kind: lossy-client, options: {timeoutMs: 0, count: 10}}]`.
 * The page applies these when the step opens, so a step never inherits the last one's
 * settings, and can go back to them.
 */
export type StepSettings = Partial<Record<ActorKind, Partial<ActorOptions>>>

const StepActorInputSchema = z.union([z.string(), z.record(z.string(), z.unknown())], {
  error: 'each actor is a program kind (e.g. tcp-server) or {kind: …, options: {…}}',
})

/** One entry of a step's `actors`, checked against the catalogue with the field at fault named. */
export const StepActorSchema = StepActorInputSchema.transform((input, ctx) => {
  const given = typeof input === 'string' ? { kind: input } : input
  const at = typeof input === 'string' ? [] : ['kind']
  const extra = Object.keys(given).filter((key) => key !== 'kind' && key !== 'options')
  if (extra.length) {
    ctx.addIssue({
      code: 'custom',
      path: [extra[0]!],
      message: `an actor has only "kind" and "options", not "${extra[0]}"`,
    })
    return z.NEVER
  }
  const kind = ActorKindSchema.safeParse(given.kind)
  if (!kind.success) {
    ctx.addIssue({ code: 'custom', path: at, message: kind.error.issues[0]!.message })
    return z.NEVER
  }
  if (given.options === undefined) return { kind: kind.data }
  const problems = optionProblems(kind.data, given.options)
  for (const p of problems) {
    ctx.addIssue({ code: 'custom', path: ['options', ...p.path], message: p.message })
  }
  if (problems.length) return z.NEVER
  return { kind: kind.data, options: given.options as Partial<ActorOptions> }
})

export const StepActorsSchema = z.array(StepActorSchema).default([])

/** A step's `actors` as the page reads them: the kinds, and the settings some declare. */
export function splitStepActors(entries: z.infer<typeof StepActorsSchema>): {
  actors: ActorKind[]
  settings: StepSettings
} {
  const settings: StepSettings = {}
  for (const e of entries) if (e.options) settings[e.kind] = e.options
  return { actors: entries.map((e) => e.kind), settings }
}
