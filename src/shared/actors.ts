import { z } from 'zod'
import { ActorKindSchema, optionProblems, type ActorKind } from './actor-catalogue'
import type { ActorOptions } from './actor-options'
import { HostSchema, PortSchema } from './endpoint'

export * from './endpoint'
export * from './actor-options'

export const StartActorArgsSchema = z
  .object({
    labId: z.string().max(100),
    kind: ActorKindSchema,
    host: HostSchema,
    port: PortSchema,
    /** Checked against the kind's own options schema below: a field it does not read is refused. */
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .transform((args, ctx) => {
    const problems = optionProblems(args.kind, args.options)
    for (const p of problems) {
      ctx.addIssue({ code: 'custom', path: ['options', ...p.path], message: p.message })
    }
    if (problems.length) return z.NEVER
    return { ...args, options: args.options as Partial<ActorOptions> }
  })
export type StartActorArgs = Omit<z.input<typeof StartActorArgsSchema>, 'options'> & {
  options?: Partial<ActorOptions>
}

export type ActorState = 'starting' | 'running' | 'finished' | 'stopped' | 'failed'

export interface ActorStatus {
  labId: string
  actorId: string
  kind: ActorKind
  state: ActorState
  /** Where it listens (servers) or what it talks to (clients). */
  address: string
  /** Why it failed, in words a student can act on. */
  message?: string
}

/** Running, or on its way: the actor holds (or is taking) its port. */
export function isLive(state: string | undefined): boolean {
  return state === 'running' || state === 'starting'
}
