import type { ActorStatus } from '@shared/actors'
import { stepActorKinds } from '@shared/lab'
import { UserFacingError } from '../user-facing-error'
import type { CoreContext, HandlerGroup } from './core-context'

type SessionChannel =
  | 'session:open'
  | 'session:close'
  | 'session:clear'
  | 'actor:start'
  | 'actor:stop'
  | 'session:stopAll'
  | 'console:send'

/** A lab page's session: open and close it, start and stop its programs, type into a console. */
export function sessionHandlers(core: CoreContext): HandlerGroup<SessionChannel> {
  return {
    'session:open': async ({ labId }) => core.snapshot(core.room(labId)),
    'session:close': async ({ labId }) => {
      await core.closeRoom(labId)
      return null
    },
    'session:clear': async ({ labId }) => {
      const room = core.room(labId)
      room.clear()
      core.evaluator.forget(labId)
      return core.snapshot(room)
    },
    'actor:start': async ({ labId, kind, host, port, options }) => {
      const lab = core.lab(labId)
      if (!lab.steps.some((s) => stepActorKinds(s).includes(kind))) {
        throw new UserFacingError('not-found', `The ${lab.title} lab has no ${kind}`)
      }
      const session = core.room(labId).session
      const handle = session.startActor({ kind, host, port, options })
      try {
        await handle.ready
      } catch (error) {
        throw new UserFacingError('failed', (error as Error).message)
      }
      return session.statuses().find((s) => s.actorId === handle.id) as ActorStatus
    },
    'actor:stop': async ({ labId, actorId }) => {
      const stopped = await core.openRoom(labId)?.session.stopActor(actorId)
      if (!stopped) throw new UserFacingError('not-found', `No actor ${actorId} in ${labId}`)
      return null
    },
    'session:stopAll': async ({ labId }) => {
      await core.openRoom(labId)?.session.stopAll()
      return null
    },
    'console:send': async ({ labId, actorId, text }) => {
      const room = core.openRoom(labId)
      if (!room) throw new UserFacingError('not-found', `The ${labId} session is not open`)
      try {
        return { bytes: await room.session.sendToActor(actorId, text) }
      } catch (error) {
        throw new UserFacingError('failed', (error as Error).message)
      }
    },
  }
}
