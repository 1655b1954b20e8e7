import type { ActorStatus } from '@shared/actors'
import type { CheckpointResult, PassedCheckpoint } from '@shared/checkpoints'
import {
  parseInvokeArgs,
  type EventChannel,
  type EventPayloads,
  type InvokeChannel,
  type InvokeParsedArgs,
  type InvokeResult,
  type Reply,
  type SessionSnapshot,
  isInvokeChannel,
  MAX_TRACE_EVENTS,
  SNAPSHOT_MAX_EVENTS,
} from '@shared/ipc'
import { CHECKER_KIND, stepActorKinds, type Lab } from '@shared/lab'
import type { TraceEvent } from '@shared/trace'
import {
  evaluateCheckpoints,
  type CheckpointContext,
  type StudentCheckOutcome,
} from '../checkpoints'
import { loadLabs, type LoadedLabs } from '../labs/load-labs'
import { checkerTracer } from '../checks/checker-tracer'
import { runChecks } from '../checks/run-checks'
import { normalizeHost } from '../net/address'
import { ProgressStore } from '../progress/progress-store'
import { LabSession } from '../session/lab-session'
import { describeEvent } from './describe-event'
import { UserFacingError } from './user-facing-error'
import { StudentHandlers, studentHandlersOf, type StudentOptions } from '../workspace/handlers'

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

type Handlers = { [C in InvokeChannel]: (args: InvokeParsedArgs<C>) => Promise<InvokeResult<C>> }

export { UserFacingError }

/**
 * The app without a window: labs, sessions, checkpoints and progress behind the IPC
 * contract. The Electron adapter and the browser host both drive this one object.
 */
/** How many of a lab's latest check outcomes checkpoint rules can see. */
const MAX_CHECK_OUTCOMES = 500

export class AppCore {
  private readonly listeners = new Set<Listener>()
  private readonly sessions = new Map<string, LabSession>()
  private readonly evaluation = new Map<string, NodeJS.Timeout>()
  private readonly lastResults = new Map<string, CheckpointResult[]>()
  private readonly lastEvaluationMs = new Map<string, number>()
  /** Results of the student's own checks run in each lab's session, for checkpoints to read. */
  private readonly checkResults = new Map<string, StudentCheckOutcome[]>()
  /** A lab's check run in progress, so closing the session cuts it short. */
  private readonly checkRuns = new Map<string, AbortController>()
  private checkerRunCount = 0
  /** The student's workspace and programs: their own handler group. */
  private readonly student: StudentHandlers
  /** Labs whose trace has been trimmed and the student told (see noticeTrimmed). */
  private readonly trimNoticed = new Set<string>()

  private constructor(
    private readonly options: AppCoreOptions,
    private loaded: LoadedLabs,
    readonly progress: ProgressStore,
    private readonly startupNotice: string | undefined,
  ) {
    progress.onSaveStatus((status) => this.emit('progress:saveStatus', status))
    this.student = new StudentHandlers({
      labsDir: options.labsDir,
      userDataDir: options.userDataDir,
      checkLab: (labId) => void this.lab(labId),
      session: (labId) => this.openSession(labId),
      appActors: () => [...this.sessions.values()].flatMap((s) => s.statuses()),
      emit: (channel, payload) => this.emit(channel, payload),
      options: options.student,
    })
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
    // Close sessions first: stopping actors flushes events, which schedules evaluations.
    // closeSession evaluates once more and clears its timer; then clear whatever is left.
    await Promise.all([...this.sessions.keys()].map((labId) => this.closeSession(labId)))
    await this.student.dispose()
    for (const timer of this.evaluation.values()) clearTimeout(timer)
    this.evaluation.clear()
    await this.progress.close()
    this.listeners.clear()
  }

  /** For tests and benchmarks: the live session of a lab. */
  session(labId: string): LabSession | undefined {
    return this.sessions.get(labId)
  }

  private readonly handlers: Handlers = {
    ...studentHandlersOf(() => this.student),
    'labs:list': async () => ({
      labs: this.loaded.labs.map((lab) => ({
        id: lab.id,
        title: lab.title,
        summary: lab.summary,
        order: lab.order,
        stepCount: lab.steps.length,
        checkpointCount: lab.checkpoints.length,
      })),
      errors: this.loaded.errors,
    }),
    'labs:get': async ({ labId }) => this.lab(labId),
    'session:open': async ({ labId }) => this.snapshot(this.openSession(labId)),
    'session:close': async ({ labId }) => {
      await this.closeSession(labId)
      return null
    },
    'session:clear': async ({ labId }) => {
      const session = this.openSession(labId)
      session.clear()
      this.trimNoticed.delete(labId)
      this.lastResults.delete(labId)
      this.checkResults.delete(labId)
      return this.snapshot(session)
    },
    'actor:start': async ({ labId, kind, host, port, options }) => {
      const lab = this.lab(labId)
      if (!lab.steps.some((s) => stepActorKinds(s).includes(kind))) {
        throw new UserFacingError('not-found', `The ${lab.title} lab has no ${kind}`)
      }
      const session = this.openSession(labId)
      const handle = session.startActor({ kind, host, port, options })
      try {
        await handle.ready
      } catch (error) {
        throw new UserFacingError('failed', (error as Error).message)
      }
      return session.statuses().find((s) => s.actorId === handle.id) as ActorStatus
    },
    'actor:stop': async ({ labId, actorId }) => {
      const stopped = await this.sessions.get(labId)?.stopActor(actorId)
      if (!stopped) throw new UserFacingError('not-found', `No actor ${actorId} in ${labId}`)
      return null
    },
    'session:stopAll': async ({ labId }) => {
      await this.sessions.get(labId)?.stopAll()
      return null
    },
    'progress:get': async () => this.progress.get(),
    'progress:reset': async ({ labId }) => {
      // Forget the trace too (as Clear trace does): else the next pass re-passes it all.
      this.sessions.get(labId)?.clear()
      this.checkResults.delete(labId)
      await this.progress.reset(labId)
      this.lastResults.delete(labId)
      this.scheduleEvaluation(labId, 0)
      return this.progress.get()
    },
    'console:send': async ({ labId, actorId, text }) => {
      const session = this.sessions.get(labId)
      if (!session) throw new UserFacingError('not-found', `The ${labId} session is not open`)
      try {
        return { bytes: await session.sendToActor(actorId, text) }
      } catch (error) {
        throw new UserFacingError('failed', (error as Error).message)
      }
    },
    'checks:run': async ({ labId, host, port, checks }) => {
      this.lab(labId)
      if (this.checkRuns.has(labId)) {
        throw new UserFacingError('failed', 'Checks are already running: wait for them to finish.')
      }
      const session = this.openSession(labId)
      const abort = new AbortController()
      this.checkRuns.set(labId, abort)
      try {
        const actorId = `${CHECKER_KIND}#${++this.checkerRunCount}`
        const target = { host: normalizeHost(host), port }
        const run = await runChecks(target, checks, checkerTracer(session, actorId), abort.signal)
        if (this.sessions.get(labId) === session) {
          const outcomes = this.checkResults.get(labId) ?? []
          outcomes.push(...run.results.map(({ name, passed, sent }) => ({ name, passed, sent })))
          // Rules only need recent runs; a class running checks all afternoon must not grow this.
          this.checkResults.set(labId, outcomes.slice(-MAX_CHECK_OUTCOMES))
          this.scheduleEvaluation(labId, 0)
        }
        return run
      } finally {
        this.checkRuns.delete(labId)
      }
    },
    'checks:save': async ({ labId, checks }) => {
      this.lab(labId)
      return this.progress.saveChecks(labId, checks)
    },
    'worksheet:save': async ({ labId, worksheet }) => {
      this.lab(labId)
      await this.progress.saveWorksheet(labId, worksheet)
      // A complete worksheet is a checkpoint: evaluate now, with or without a session.
      this.scheduleEvaluation(labId, 0)
      return this.progress.get()
    },
  }

  private lab(labId: string): Lab {
    const lab = this.loaded.labs.find((l) => l.id === labId)
    if (!lab) throw new UserFacingError('not-found', `There is no lab "${labId}"`)
    return lab
  }

  private openSession(labId: string): LabSession {
    this.lab(labId)
    let session = this.sessions.get(labId)
    if (!session) {
      session = new LabSession(labId, {
        flushMs: this.options.flushMs,
        onBatch: (batch) => {
          this.emit('trace:batch', { labId, trace: batch.pack() })
          this.scheduleEvaluation(labId)
        },
        onStatus: (status) => this.emit('actor:status', status),
        onTrim: (trimmed) => this.noticeTrimmed(labId, trimmed.events),
        maxEvents: this.options.maxTraceEvents,
      })
      this.sessions.set(labId, session)
    }
    return session
  }

  private async closeSession(labId: string): Promise<void> {
    const session = this.sessions.get(labId)
    if (!session) return
    this.sessions.delete(labId)
    this.trimNoticed.delete(labId)
    this.checkRuns.get(labId)?.abort()
    // The student's programs end first: their last calls still reach the trace.
    await this.student.leaveLab(labId)
    await session.dispose()
    // Whatever the last events proved still counts: evaluate once more, then forget.
    const timer = this.evaluation.get(labId)
    if (timer) clearTimeout(timer)
    this.evaluation.delete(labId)
    // A failure here must not stop the close (nor the quit that waits for it).
    await this.evaluate(labId, session.trace).catch((error) => this.report(error))
    this.lastResults.delete(labId)
    this.checkResults.delete(labId)
  }

  private snapshot(session: LabSession): SessionSnapshot {
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
      checkpoints: this.results(session.labId, trace),
    }
  }

  /**
   * Checkpoints are re-evaluated over the whole trace a little after events arrive. A long
   * trace makes each pass slower, so the pause after a pass grows with it (ten times the
   * pass): under a flood, main keeps most of its time for the sockets and the batches.
   */
  private scheduleEvaluation(labId: string, delay?: number) {
    if (this.evaluation.has(labId)) return
    const pause =
      delay ?? Math.max(this.options.evaluateMs ?? 50, 10 * (this.lastEvaluationMs.get(labId) ?? 0))
    this.evaluation.set(
      labId,
      setTimeout(() => {
        this.evaluation.delete(labId)
        const session = this.sessions.get(labId)
        const started = performance.now()
        this.evaluate(labId, session?.trace ?? [])
          .catch((error) => this.report(error))
          .finally(() => this.lastEvaluationMs.set(labId, performance.now() - started))
      }, pause),
    )
  }

  private async evaluate(labId: string, trace: readonly TraceEvent[]): Promise<void> {
    const lab = this.loaded.labs.find((l) => l.id === labId)
    if (!lab) return
    const fresh = evaluateCheckpoints(lab.checkpoints, trace, this.context(labId))
    for (const result of fresh) {
      if (!result.passed || this.progress.isPassed(labId, result.id)) continue
      const bySeq = new Map(trace.map((e) => [e.seq, e]))
      const passed: PassedCheckpoint = {
        passedAt: new Date().toISOString(),
        reason: result.reason,
        evidence: result.evidence.flatMap((seq) => {
          const e = bySeq.get(seq)
          return e ? [describeEvent(e)] : []
        }),
      }
      try {
        await this.progress.markPassed(labId, result.id, passed)
      } catch (error) {
        // The pass stays in memory and the store retries the save (the page shows "Progress
        // not saved"); the other checkpoints and the results must still go out.
        this.report(error)
      }
    }
    const results = this.results(labId, trace, fresh)
    const before = JSON.stringify(this.lastResults.get(labId))
    if (JSON.stringify(results) !== before) {
      this.lastResults.set(labId, results)
      this.emit('checkpoints:update', { labId, results })
    }
  }

  /** Fresh results, with anything passed before (this run or an earlier one) kept passed. */
  private results(
    labId: string,
    trace: readonly TraceEvent[],
    fresh?: CheckpointResult[],
  ): CheckpointResult[] {
    const lab = this.lab(labId)
    const now = fresh ?? evaluateCheckpoints(lab.checkpoints, trace, this.context(labId))
    return now.map((result) => {
      const kept = this.progress.isPassed(labId, result.id)
      if (!kept) return result
      return {
        ...result,
        passed: true,
        passedAt: kept.passedAt,
        reason: kept.reason,
        evidence: result.passed ? result.evidence : [],
      }
    })
  }

  /** What checkpoint rules may read besides the trace: the lab's saved work and check runs. */
  private context(labId: string): CheckpointContext {
    return {
      worksheet: this.progress.worksheet(labId),
      checkResults: this.checkResults.get(labId),
    }
  }

  /** Told once per session: a flood of events is trimmed quietly after that. */
  private noticeTrimmed(labId: string, events: number) {
    if (this.trimNoticed.has(labId)) return
    this.trimNoticed.add(labId)
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
