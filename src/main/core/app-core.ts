import {
  parseInvokeArgs,
  type EventChannel,
  type EventPayloads,
  type Reply,
  type SessionSnapshot,
  isInvokeChannel,
  MAX_TRACE_EVENTS,
  SNAPSHOT_MAX_EVENTS,
} from '@shared/ipc'
import type { Lab } from '@shared/lab'
import type { CheckpointContext } from '../checkpoints'
import { loadLabs, type LoadedLabs } from '../labs/load-labs'
import { ProgressStore } from '../progress/progress-store'
import { CheckpointEvaluator } from './checkpoint-evaluator'
import { checkHandlers } from './handlers/check-handlers'
import type { CoreContext, Handlers } from './handlers/core-context'
import { labHandlers } from './handlers/lab-handlers'
import { progressHandlers } from './handlers/progress-handlers'
import { sessionHandlers } from './handlers/session-handlers'
import { LabRoom } from './lab-room'
import { UserFacingError } from './user-facing-error'
import { StudentHandlers, studentHandlersOf, type StudentOptions } from '../workspace/handlers'

export { UserFacingError }

export interface AppCoreOptions {
  labsDir: string
  userDataDir: string
  /** How often trace events are batched to the renderer. */
  flushMs?: number
  /** How often checkpoints are re-evaluated while events arrive. */
  evaluateMs?: number
  /**
   * Told of a failure that no caller is waiting for (a checkpoint pass whose save failed, a
   * rule that threw). The app keeps running; the default writes it to stderr.
   */
  onError?: (error: Error) => void
  /** Events a session's trace keeps (MAX_TRACE_EVENTS when left out; tests use fewer). */
  maxTraceEvents?: number
  /** The student's programs (tests shorten their waits). */
  student?: StudentOptions
}

type Listener = <E extends EventChannel>(channel: E, payload: EventPayloads[E]) => void

/** One event, typed by its channel. */
export type WelcomeEvent = {
  [E in EventChannel]: { channel: E; payload: EventPayloads[E] }
}[EventChannel]

/**
 * The app without a window: labs, rooms (one per open lab), checkpoints and progress behind
 * the IPC contract. Each concern's handlers live in handlers/; this object owns the state
 * they share and the one entry every invoke goes through. The Electron adapter and the
 * browser host both drive it.
 */
export class AppCore implements CoreContext {
  private readonly listeners = new Set<Listener>()
  private readonly rooms = new Map<string, LabRoom>()
  readonly evaluator: CheckpointEvaluator
  /** The student's workspace and programs: their own handler group. */
  private readonly student: StudentHandlers
  private readonly handlers: Handlers

  private constructor(
    private readonly options: AppCoreOptions,
    readonly loaded: LoadedLabs,
    readonly progress: ProgressStore,
    private readonly startupNotice: string | undefined,
  ) {
    progress.onSaveStatus((status) => this.emit('progress:saveStatus', status))
    this.evaluator = new CheckpointEvaluator({
      progress,
      lab: (labId) => loaded.labs.find((l) => l.id === labId),
      trace: (labId) => this.rooms.get(labId)?.session.trace ?? [],
      context: (labId) => this.context(labId, this.rooms.get(labId)),
      emit: (payload) => this.emit('checkpoints:update', payload),
      report: (error) => this.report(error),
      evaluateMs: options.evaluateMs,
    })
    this.student = new StudentHandlers({
      labsDir: options.labsDir,
      userDataDir: options.userDataDir,
      checkLab: (labId) => void this.lab(labId),
      session: (labId) => this.room(labId).session,
      appActors: () => [...this.rooms.values()].flatMap((r) => r.session.statuses()),
      emit: (channel, payload) => this.emit(channel, payload),
      options: options.student,
    })
    this.handlers = {
      ...studentHandlersOf(() => this.student),
      ...labHandlers(this),
      ...sessionHandlers(this),
      ...progressHandlers(this),
      ...checkHandlers(this),
    }
  }

  static async create(options: AppCoreOptions): Promise<AppCore> {
    const progress = new ProgressStore(options.userDataDir)
    const notice = await progress.load()
    const core = new AppCore(options, await loadLabs(options.labsDir), progress, notice)
    return core
  }

  /** A notice to show once a window is there, e.g. a corrupt progress file set aside. */
  takeStartupNotice(): string | undefined {
    return this.startupNotice
  }

  /**
   * What a window that has just connected must be told, whichever host it came through:
   * the startup notice, and that progress is not being saved (if it is not).
   */
  welcomeEvents(): WelcomeEvent[] {
    const events: WelcomeEvent[] = []
    if (this.startupNotice) {
      events.push({
        channel: 'app:notice',
        payload: { level: 'warn', message: this.startupNotice },
      })
    }
    const saving = this.progress.saveStatus()
    if (!saving.saved) events.push({ channel: 'progress:saveStatus', payload: saving })
    return events
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** The one entry for every invoke: validates the payload, then answers with an envelope. */
  async invoke(channel: unknown, args: unknown): Promise<Reply<unknown>> {
    if (!isInvokeChannel(channel)) {
      return {
        ok: false,
        error: { code: 'bad-request', message: `Unknown channel ${String(channel)}` },
      }
    }
    const parsed = parseInvokeArgs(channel, args)
    if (!parsed.ok) return parsed
    try {
      const handler = this.handlers[channel] as (a: unknown) => Promise<unknown>
      return { ok: true, value: await handler(parsed.value) }
    } catch (error) {
      if (error instanceof UserFacingError)
        return { ok: false, error: { code: error.code, message: error.message } }
      return {
        ok: false,
        error: { code: 'failed', message: error instanceof Error ? error.message : String(error) },
      }
    }
  }

  async dispose(): Promise<void> {
    // Close rooms first: stopping actors flushes events, which schedules evaluations.
    // closeRoom evaluates once more and clears its timer; then clear whatever is left.
    await Promise.all([...this.rooms.keys()].map((labId) => this.closeRoom(labId)))
    await this.student.dispose()
    this.evaluator.dispose()
    await this.progress.close()
    this.listeners.clear()
  }

  /** For tests and benchmarks: the live session of a lab. */
  session(labId: string) {
    return this.rooms.get(labId)?.session
  }

  lab(labId: string): Lab {
    const lab = this.loaded.labs.find((l) => l.id === labId)
    if (!lab) throw new UserFacingError('not-found', `There is no lab "${labId}"`)
    return lab
  }

  openRoom(labId: string): LabRoom | undefined {
    return this.rooms.get(labId)
  }

  room(labId: string): LabRoom {
    this.lab(labId)
    let room = this.rooms.get(labId)
    if (!room) {
      const opened: LabRoom = new LabRoom(labId, {
        flushMs: this.options.flushMs,
        onBatch: (batch) => {
          this.emit('trace:batch', { labId, trace: batch.pack() })
          this.evaluator.schedule(labId)
        },
        onStatus: (status) => this.emit('actor:status', status),
        onTrim: (trimmed) => this.noticeTrimmed(opened, trimmed.events),
        maxEvents: this.options.maxTraceEvents,
      })
      this.rooms.set(labId, (room = opened))
    }
    return room
  }

  async closeRoom(labId: string): Promise<void> {
    const room = this.rooms.get(labId)
    if (!room) return
    this.rooms.delete(labId)
    // The student's programs end first: their last calls still reach the trace.
    await this.student.leaveLab(labId)
    await room.dispose()
    // Whatever the last events and checks proved still counts.
    await this.evaluator.finish(labId, room.session.trace, this.context(labId, room))
  }

  snapshot(room: LabRoom): SessionSnapshot {
    const { session } = room
    // Pending events go out as a batch first, so the snapshot and later batches never overlap.
    session.flush()
    const trace = session.trace
    const sent = trace.slice(-SNAPSHOT_MAX_EVENTS)
    const omitted = trace.length - sent.length + session.trimmed.events
    return {
      labId: session.labId,
      trace: sent,
      ...(omitted > 0 ? { omitted } : {}),
      actors: session.statuses(),
      checkpoints: this.evaluator.results(session.labId, trace),
    }
  }

  /** What checkpoint rules may read besides the trace: the lab's saved work and check runs. */
  private context(labId: string, room: LabRoom | undefined): CheckpointContext {
    return {
      worksheetSpec: this.loaded.labs.find((l) => l.id === labId)?.worksheet,
      worksheet: this.progress.worksheet(labId),
      checkResults: room?.checkOutcomes.length ? [...room.checkOutcomes] : undefined,
    }
  }

  /** Told once per room: a flood of events is trimmed quietly after that. */
  private noticeTrimmed(room: LabRoom, events: number) {
    if (room.trimNoticed) return
    room.trimNoticed = true
    this.emit('app:notice', {
      level: 'warn',
      message:
        `This lab's trace grew past ${(this.options.maxTraceEvents ?? MAX_TRACE_EVENTS).toLocaleString('en')} events, so the ` +
        `oldest ${events.toLocaleString('en')} were dropped to keep memory bounded (more are ` +
        `dropped as new ones arrive). Checkpoints already passed stay passed; Clear trace to ` +
        `start afresh.`,
    })
  }

  private report(error: unknown) {
    const failure = error instanceof Error ? error : new Error(String(error))
    if (this.options.onError) this.options.onError(failure)
    else console.error(`Socket Labs: ${failure.message}`)
  }

  private emit<E extends EventChannel>(channel: E, payload: EventPayloads[E]) {
    for (const listener of this.listeners) {
      // One broken window (a closed page, a dead socket) must not stop the others or main.
      try {
        listener(channel, payload)
      } catch (error) {
        this.report(error)
      }
    }
  }
}
