import { z } from 'zod'
import { ExpectedFlowSchema } from './expected-flow'
import { CHECKER_KIND, actorKinds, startableEntry, type ActorKind } from './actor-catalogue'
import { StepActorsSchema, splitStepActors, type StepSettings } from './step-settings'
import { PortSchema } from './endpoint'
import { WorksheetSpecSchema } from './worksheet'

export { actorKinds, ActorKindSchema, CHECKER_KIND, type ActorKind } from './actor-catalogue'

/** The raw console's connections: a step with the `console` panel may start them. */
export const consoleKinds: readonly ActorKind[] = actorKinds.filter(
  (k) => startableEntry(k).role === 'console',
)

/** Every actor kind whose events a step is about: its controls' and its panels'. */
export function stepActorKinds(step: {
  actors: readonly ActorKind[]
  panels?: readonly string[]
}): string[] {
  const kinds: string[] = [...step.actors]
  if (step.panels?.includes('console')) kinds.push(...consoleKinds)
  if (step.panels?.includes('checks')) kinds.push(CHECKER_KIND)
  return kinds
}

export const stepPanels = ['stats', 'worksheet', 'console', 'checks'] as const
export type StepPanel = (typeof stepPanels)[number]

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes')

export {
  ExpectedEventSchema,
  ExpectedFlowSchema,
  type ExpectedEvent,
  type ExpectedFlow,
} from './expected-flow'
/** A checkpoint names a rule evaluated in main over the trace, with its parameters. */
export const CheckpointSpecSchema = z.object({
  id,
  title: z.string().min(1),
  /** What the student has to do, shown until the checkpoint passes. */
  hint: z.string().min(1),
  rule: z.object({ kind: z.string().min(1) }).loose(),
})
export type CheckpointSpec = z.infer<typeof CheckpointSpecSchema>

export const StepSchema = z
  .object({
    id,
    title: z.string().min(1),
    /** Markdown file in the lab folder. */
    text: z.string().regex(/\.md$/, 'must name a .md file'),
    /** Python reference programs shown in the code view, first one selected. */
    code: z.array(z.string().regex(/\.py$/, 'must name a .py file')).default([]),
    /**
     * Which actors the step's controls can start, each a kind or `{kind, options}`: the options
     * its controls open with in this step. Read as `actors` (the kinds) and `settings`.
     */
    actors: StepActorsSchema,
    expected: ExpectedFlowSchema.optional(),
    checkpoints: z.array(id).default([]),
    /** A step can show a side-by-side comparison table instead of, or beside, the flow. */
    comparison: z
      .object({
        columns: z.array(z.string()).length(2),
        rows: z.array(z.object({ aspect: z.string(), values: z.array(z.string()).length(2) })),
      })
      .optional(),
    /** Which extra view the diagram panel offers: `lanes` adds one swim lane per client. */
    view: z.enum(['lanes']).optional(),
    /**
     * Extra panels the step shows: `stats` (loss and round-trip statistics, lab 4),
     * `worksheet` (the design questions), `console` (raw TCP/UDP console) and `checks`
     * (the student's own send/expect checks), the last three for lab 5.
     */
    panels: z.array(z.enum(stepPanels)).default([]),
  })
  .transform(({ actors, ...step }) => ({ ...step, ...splitStepActors(actors) }))
/** A step as read: `settings` may be left out where a step is built by hand (tests). */
export type StepSpec = Omit<z.infer<typeof StepSchema>, 'settings'> & { settings?: StepSettings }

export const LabFileSchema = z.object({
  id,
  title: z.string().min(1),
  summary: z.string().min(1),
  order: z.number().int(),
  /** The port the lab's programs use unless the student picks another. */
  defaultPort: PortSchema,
  steps: z.array(StepSchema).min(1),
  checkpoints: z.array(CheckpointSpecSchema).default([]),
  /** The design questions a step with the `worksheet` panel asks. */
  worksheet: WorksheetSpecSchema.optional(),
})
export type LabFile = z.infer<typeof LabFileSchema>

export interface LabSummary {
  id: string
  title: string
  summary: string
  order: number
  stepCount: number
  checkpointCount: number
}

export interface LabStep extends StepSpec {
  /** The step's Markdown source, read from `text`. */
  markdown: string
}

export interface CodeFile {
  name: string
  source: string
}

/** A lab as the renderer receives it: data only, every file already read. */
export interface Lab extends Omit<LabFile, 'steps'> {
  steps: LabStep[]
  files: CodeFile[]
}

export interface LabLoadError {
  /** Path relative to the labs folder, e.g. "ping-pong/lab.yaml". */
  file: string
  /** Dotted path of the field at fault, e.g. "steps.1.title"; empty for the whole file. */
  field: string
  message: string
}
