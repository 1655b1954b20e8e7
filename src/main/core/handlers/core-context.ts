import type { InvokeChannel, InvokeParsedArgs, InvokeResult, SessionSnapshot } from '@shared/ipc'
import type { Lab } from '@shared/lab'
import type { LoadedLabs } from '../../labs/load-labs'
import type { ProgressStore } from '../../progress/progress-store'
import type { CheckpointEvaluator } from '../checkpoint-evaluator'
import type { LabRoom } from '../lab-room'

/** One handler per invoke channel, typed by the contract in shared/ipc.ts. */
export type Handlers = {
  [C in InvokeChannel]: (args: InvokeParsedArgs<C>) => Promise<InvokeResult<C>>
}

/** The handlers of a few channels: each concern declares its own, AppCore merges them. */
export type HandlerGroup<C extends InvokeChannel> = Pick<Handlers, C>

/** What handlers may use of the app: its labs, its rooms, its checkpoints and progress. */
export interface CoreContext {
  readonly loaded: LoadedLabs
  readonly progress: ProgressStore
  readonly evaluator: CheckpointEvaluator
  /** The lab, or a not-found error naming it. */
  lab(labId: string): Lab
  /** The lab's room, opened if it was not. */
  room(labId: string): LabRoom
  /** The lab's room if it is open. */
  openRoom(labId: string): LabRoom | undefined
  closeRoom(labId: string): Promise<void>
  snapshot(room: LabRoom): SessionSnapshot
}
