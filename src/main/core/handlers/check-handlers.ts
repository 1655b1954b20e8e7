import { CHECKER_KIND } from '@shared/lab'
import { checkerTracer } from '../../checks/checker-tracer'
import { runChecks } from '../../checks/run-checks'
import { normalizeHost } from '../../net/address'
import { UserFacingError } from '../user-facing-error'
import type { CoreContext, HandlerGroup } from './core-context'

/** The student's own send/expect checks: run them against a server, save them. */
export function checkHandlers(core: CoreContext): HandlerGroup<'checks:run' | 'checks:save'> {
  let runs = 0
  return {
    'checks:run': async ({ labId, host, port, checks }) => {
      core.lab(labId)
      const room = core.room(labId)
      if (room.checkRun) {
        throw new UserFacingError('failed', 'Checks are already running: wait for them to finish.')
      }
      const abort = new AbortController()
      room.checkRun = abort
      try {
        const actor = `${CHECKER_KIND}#${++runs}`
        const tracer = checkerTracer(room.session, actor)
        const target = { host: normalizeHost(host), port }
        const run = await runChecks(target, checks, tracer, abort.signal)
        if (core.openRoom(labId) === room) {
          room.addCheckOutcomes(
            run.results.map(({ name, passed, sent }) => ({ name, passed, sent, run: actor })),
          )
          core.evaluator.schedule(labId, 0)
        }
        return run
      } finally {
        room.checkRun = undefined
      }
    },
    'checks:save': async ({ labId, checks }) => {
      core.lab(labId)
      return core.progress.saveChecks(labId, checks)
    },
  }
}
