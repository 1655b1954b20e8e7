import { ActorOptionsSchema, type ActorOptions, type ActorStatus } from '@shared/actors'
import { optionsSchemaOf } from '@shared/actor-catalogue'
import type { ActorKind } from '@shared/lab'
import type { TraceEvent } from '@shared/trace'
import type { ActorOutcome, RunningActor } from '../net/actor'
import { formatAddress, normalizeHost } from '../net/address'
import { actorDefinitions } from '../net'
import { makeActorTracer } from './actor-tracer'
import type { TraceCall } from './trace-columns'
import { TraceRecorder, type TraceBatch, type TrimmedTrace } from './trace-recorder'
import type { TraceSource } from './trace-source'

export interface LabSessionHooks {
  /** New events; read the batch during the call (see TraceBatch). */
  onBatch?(batch: TraceBatch): void
  onStatus?(status: ActorStatus): void
  flushMs?: number
  /** Programs running at once; MAX_LIVE_ACTORS when left out (load tests run more). */
  maxLiveActors?: number
  /** Events kept; MAX_TRACE_EVENTS when left out (tests use fewer). */
  maxEvents?: number
  /** The trace dropped its oldest events to stay within its budget (totals so far). */
  onTrim?(trimmed: TrimmedTrace): void
}

export interface StartActorRequest {
  kind: ActorKind
  host: string
  port: number
  options?: Partial<ActorOptions>
}

export interface ActorHandle {
  id: string
  ready: Promise<void>
  done: Promise<ActorStatus>
}

/**
 * Programs running at once in one lab. Each holds sockets (a server one per client), so a
 * page that starts thousands would run the process out of file descriptors.
 */
export const MAX_LIVE_ACTORS = 64
/** Finished programs whose status is kept, newest first; older ones are forgotten. */
const MAX_FINISHED_KEPT = 200

interface ActorEntry {
  status: ActorStatus
  running: RunningActor
}

/**
 * Everything one open lab runs: its actors and its trace. Closing it closes every
 * socket and timer the actors own. Knows nothing of Electron or of the browser host.
 */
export class LabSession {
  private readonly recorder: TraceRecorder
  private readonly actors = new Map<string, ActorEntry>()
  private readonly counters = new Map<ActorKind, number>()
  private disposed = false

  constructor(
    readonly labId: string,
    private readonly hooks: LabSessionHooks = {},
  ) {
    this.recorder = new TraceRecorder((batch) => hooks.onBatch?.(batch), {
      flushMs: hooks.flushMs,
      maxEvents: hooks.maxEvents,
      onTrim: (trimmed) => hooks.onTrim?.(trimmed),
    })
  }

  get trace(): readonly TraceEvent[] {
    return this.recorder.events()
  }

  /** What the trace has dropped to stay within its memory budget. */
  get trimmed(): TrimmedTrace {
    return this.recorder.trimmed
  }

  statuses(): ActorStatus[] {
    return [...this.actors.values()].map((entry) => entry.status)
  }

  startActor(request: StartActorRequest): ActorHandle {
    if (this.disposed) throw new Error(`The ${this.labId} session is closed`)
    const live = [...this.actors.values()].filter((e) => !isOver(e.status.state)).length
    const max = this.hooks.maxLiveActors ?? MAX_LIVE_ACTORS
    if (live >= max) {
      throw new Error(
        `At most ${max} programs can run in one lab at once: stop some first (Stop all stops every one).`,
      )
    }
    this.forgetOldFinished()
    const definition = actorDefinitions[request.kind]
    const n = (this.counters.get(request.kind) ?? 0) + 1
    this.counters.set(request.kind, n)
    const id = `${request.kind}#${n}`
    const host = normalizeHost(request.host)
    // The kind's own options as given (checked against its schema), every other at its default.
    const options = {
      ...ActorOptionsSchema.parse({}),
      ...optionsSchemaOf(request.kind)
        .strip()
        .parse(request.options ?? {}),
    } as ActorOptions
    const status: ActorStatus = {
      labId: this.labId,
      actorId: id,
      kind: request.kind,
      state: 'starting',
      address: formatAddress(host, request.port),
    }
    const running = definition.start({
      id,
      host,
      port: request.port,
      options,
      ...makeActorTracer(definition, id, this.recorder),
    })
    const entry: ActorEntry = { status, running }
    this.actors.set(id, entry)
    this.publish(entry, {})
    // A failed start is reported through `done` and the status; `ready` is for callers
    // who want to wait, and must not become an unhandled rejection when nobody does.
    running.ready.then(
      () => entry.status.state === 'starting' && this.publish(entry, { state: 'running' }),
      () => undefined,
    )
    // `done` is not awaited by the core: a failure must settle the actor, never escape.
    const done = running.done.then(
      (outcome) => this.settle(entry, outcome),
      (error: unknown) => this.settle(entry, { state: 'failed', message: String(error) }),
    )
    return { id, ready: running.ready, done }
  }

  async stopActor(actorId: string): Promise<boolean> {
    const entry = this.actors.get(actorId)
    if (!entry) return false
    await entry.running.stop()
    return true
  }

  /**
   * Hand text to an actor the student drives (the raw console). Returns the bytes sent;
   * throws an Error saying why when the actor does not exist, cannot send, or is closed.
   */
  async sendToActor(actorId: string, text: string): Promise<number> {
    const entry = this.actors.get(actorId)
    if (!entry) throw new Error(`No actor ${actorId} in this session`)
    if (!entry.running.send) throw new Error(`${actorId} does not take typed messages`)
    return entry.running.send(text)
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.actors.values()].map((entry) => entry.running.stop()))
  }

  /** Forget the trace and the finished actors; running ones keep running. */
  clear(): void {
    this.recorder.clear()
    for (const [id, entry] of this.actors) {
      if (isOver(entry.status.state)) this.actors.delete(id)
    }
  }

  /**
   * Add an event that no actor of this session made: for tools that replay or synthesize
   * traces, such as the delivery benchmark. It flows to every view like any other.
   */
  /** `now`: when it happened, on performance.now()'s clock (default: now). */
  record(event: Omit<TraceEvent, 'seq' | 't'>, now?: number): TraceEvent {
    return this.recorder.record(event, now)
  }

  /** Record a call made for this session by something that is not one of its actors (the student's checks). */
  recordCall(source: TraceSource, call: TraceCall): number {
    return this.recorder.append(this.recorder.sourceRef(source), call)
  }

  /** Send what is pending now, e.g. before taking a snapshot. */
  flush(): void {
    this.recorder.flush()
  }

  async dispose(): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    await this.stopAll()
    this.recorder.dispose()
  }

  /** A class running clients all afternoon must not grow the status list without end. */
  private forgetOldFinished() {
    const finished = [...this.actors].filter(([, e]) => isOver(e.status.state))
    for (const [id] of finished.slice(0, Math.max(0, finished.length - MAX_FINISHED_KEPT))) {
      this.actors.delete(id)
    }
  }

  private settle(entry: ActorEntry, outcome: ActorOutcome): ActorStatus {
    this.recorder.flush()
    this.publish(entry, {
      state: outcome.state,
      message: 'message' in outcome ? outcome.message : undefined,
    })
    return entry.status
  }

  private publish(entry: ActorEntry, change: Partial<ActorStatus>) {
    entry.status = { ...entry.status, ...change }
    if (entry.status.message === undefined) delete entry.status.message
    // Status follows the events that explain it, so the log reads in order.
    this.recorder.flush()
    this.hooks.onStatus?.(entry.status)
  }
}

function isOver(state: ActorStatus['state']): boolean {
  return state === 'finished' || state === 'stopped' || state === 'failed'
}
