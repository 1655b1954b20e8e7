import type { CoreContext, HandlerGroup } from './core-context'

/** The labs as loaded at start: the home page's list and one lab's data. */
export function labHandlers(core: CoreContext): HandlerGroup<'labs:list' | 'labs:get'> {
  return {
    'labs:list': async () => ({
      labs: core.loaded.labs.map((lab) => ({
        id: lab.id,
        title: lab.title,
        summary: lab.summary,
        order: lab.order,
        stepCount: lab.steps.length,
        checkpointCount: lab.checkpoints.length,
      })),
      errors: core.loaded.errors,
    }),
    'labs:get': async ({ labId }) => core.lab(labId),
  }
}
