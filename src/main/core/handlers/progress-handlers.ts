import { answersProblem } from '@shared/worksheet'
import { UserFacingError } from '../user-facing-error'
import type { CoreContext, HandlerGroup } from './core-context'

/** Saved progress: read it, reset a lab's, save its worksheet. */
export function progressHandlers(
  core: CoreContext,
): HandlerGroup<'progress:get' | 'progress:reset' | 'worksheet:save'> {
  return {
    'progress:get': async () => core.progress.get(),
    'progress:reset': async ({ labId }) => {
      // Forget the trace too (as Clear trace does): else the next pass re-passes it all.
      core.openRoom(labId)?.clear()
      await core.progress.reset(labId)
      core.evaluator.forget(labId)
      core.evaluator.schedule(labId, 0)
      return core.progress.get()
    },
    'worksheet:save': async ({ labId, worksheet }) => {
      const lab = core.lab(labId)
      const spec = lab.worksheet
      if (!spec) throw new UserFacingError('not-found', `The ${lab.title} lab has no worksheet`)
      const problem = answersProblem(spec, worksheet)
      if (problem) throw new UserFacingError('bad-request', `${problem}: nothing was saved`)
      await core.progress.saveWorksheet(labId, worksheet)
      // A complete worksheet is a checkpoint: evaluate now, with or without a session.
      core.evaluator.schedule(labId, 0)
      return core.progress.get()
    },
  }
}
