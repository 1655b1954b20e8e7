import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowReactive, shallowRef, triggerRef } from 'vue'
import type { ActorOptions, ActorStatus } from '@shared/actors'
import type { CheckpointResult } from '@shared/checkpoints'
import { MAX_TRACE_EVENTS, type SessionSnapshot } from '@shared/ipc'
import type { ActorKind } from '@shared/lab'
import type { TraceEvent } from '@shared/trace'
import { getApi } from '@renderer/bridge'
import { errorMessage } from '@renderer/errors'
import { actorKindLabel } from '@renderer/format'
import type { TraceLog } from '@renderer/trace-log'

/**
 * The open lab's live session: its trace, its actors and its checkpoint results.
 *
 * The trace can reach 100,000 events. It is one append-only log (`log`, see trace-log.ts):
 * batches are appended to its array as they come, and once a frame its `length` moves to
 * tell the views; clearing, a new snapshot or trimming moves its `epoch`. No event ever
 * becomes reactive. `trace` (the same array, triggered with `length`) and `traceVersion`
 * serve views that simply read the whole trace again.
 */
export const useSessionStore = defineStore('session', () => {
  const labId = ref<string | null>(null)
  const trace = shallowRef<TraceEvent[]>(markRaw([]))
  const traceVersion = ref(0)
  const traceLog = shallowReactive({ events: trace.value, epoch: 0, length: 0 })
  /** The trace as the views read it: events, epoch, and a length that moves once a frame. */
  const log: TraceLog = traceLog
  const actors = ref<ActorStatus[]>([])
  const checkpoints = ref<CheckpointResult[]>([])
  const opening = ref(false)
  const openError = ref('')
  /** The message under the controls: a rejected start, a failed actor, a bad port. */
  const controlError = ref('')
  /** Kinds whose start call is on its way. */
  const starting = ref<ActorKind[]>([])
  /** The event the student clicked in the diagram or the log. */
  const selectedSeq = ref<number | null>(null)
  /** Older events of this session the page does not hold (trimmed to the memory budget). */
  const omitted = ref(0)

  let unsubscribers: (() => void)[] = []
  let lastSeq = 0
  /** Batches that arrive before the snapshot, applied after it (duplicates skipped). */
  let early: TraceEvent[][] | null = null
  let openCount = 0

  const checkpointById = computed(() => new Map(checkpoints.value.map((c) => [c.id, c])))

  function appendEvents(events: readonly TraceEvent[]): void {
    const target = trace.value
    let added = 0
    for (const e of events) {
      if (e.seq <= lastSeq) continue
      target.push(e)
      lastSeq = e.seq
      added++
    }
    // The page keeps the same budget as main: past it, the oldest quarter goes, and the log
    // starts a new epoch so every view rebuilds from what is left.
    if (target.length > MAX_TRACE_EVENTS) {
      const keep = Math.floor((MAX_TRACE_EVENTS * 3) / 4)
      omitted.value += target.length - keep
      replaceTrace(target.slice(target.length - keep))
    }
    if (added > 0) scheduleRedraw()
  }

  // Many batches can arrive within one frame under load: the events are stored at once,
  // but the views are told once per frame, so they redraw at most at the display's pace;
  // with a long trace, at most ten times a second, which leaves the page room to breathe.
  let redrawPending = false
  let lastRedraw = 0
  function scheduleRedraw(): void {
    if (redrawPending) return
    redrawPending = true
    const gap = trace.value.length > 20_000 ? 100 : 0
    const redraw = () => {
      redrawPending = false
      lastRedraw = performance.now()
      traceLog.length = trace.value.length
      triggerRef(trace)
      traceVersion.value++
    }
    const wait = lastRedraw + gap - performance.now()
    if (wait > 0) setTimeout(() => nextFrame(redraw), wait)
    else nextFrame(redraw)
  }

  function nextFrame(fn: () => void): void {
    if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible') {
      requestAnimationFrame(fn)
    } else setTimeout(fn, 16)
  }

  /** A new epoch of the log, holding `events` (a snapshot, a reset, a trim). */
  function replaceTrace(events: TraceEvent[]): void {
    trace.value = markRaw(events)
    traceLog.events = trace.value
    traceLog.epoch++
    traceLog.length = events.length
    traceVersion.value++
  }

  function applySnapshot(snapshot: SessionSnapshot): void {
    replaceTrace(snapshot.trace.slice())
    omitted.value = snapshot.omitted ?? 0
    lastSeq = snapshot.trace.at(-1)?.seq ?? 0
    actors.value = snapshot.actors
    checkpoints.value = snapshot.checkpoints
  }

  function upsertActor(status: ActorStatus): void {
    const list = actors.value
    const index = list.findIndex((a) => a.actorId === status.actorId)
    const before = index >= 0 ? list[index] : undefined
    if (index >= 0) list.splice(index, 1, status)
    else list.push(status)
    if (status.state === 'failed' && before?.state !== 'failed' && status.message) {
      controlError.value = `${actorKindLabel(status.kind)} failed: ${status.message}`
    }
  }

  function resetState(): void {
    replaceTrace([])
    omitted.value = 0
    lastSeq = 0
    actors.value = []
    checkpoints.value = []
    controlError.value = ''
    openError.value = ''
    starting.value = []
    selectedSeq.value = null
  }

  async function open(id: string): Promise<void> {
    if (labId.value === id && !openError.value) return
    if (labId.value) await close()
    const api = getApi()
    const myOpen = ++openCount
    resetState()
    labId.value = id
    opening.value = true
    early = []
    unsubscribers = [
      api.onTraceBatch((batch) => {
        if (batch.labId !== labId.value) return
        if (early) early.push(batch.events)
        else appendEvents(batch.events)
      }),
      api.onActorStatus((status) => {
        if (status.labId === labId.value) upsertActor(status)
      }),
      api.onCheckpoints((update) => {
        if (update.labId === labId.value) checkpoints.value = update.results
      }),
    ]
    try {
      const snapshot = await api.openSession(id)
      if (myOpen !== openCount) return
      applySnapshot(snapshot)
      for (const batch of early ?? []) appendEvents(batch)
    } catch (err) {
      if (myOpen === openCount) openError.value = errorMessage(err)
    } finally {
      if (myOpen === openCount) {
        early = null
        opening.value = false
      }
    }
  }

  /** Leave the lab: main stops every actor of the session. */
  async function close(): Promise<void> {
    const id = labId.value
    if (!id) return
    openCount++
    for (const unsubscribe of unsubscribers) unsubscribe()
    unsubscribers = []
    early = null
    opening.value = false
    labId.value = null
    resetState()
    try {
      await getApi().closeSession(id)
    } catch {
      // The host is gone or the session was already closed: nothing is left running.
    }
  }

  async function startActor(
    kind: ActorKind,
    host: string,
    port: number,
    options: Partial<ActorOptions> = {},
  ): Promise<ActorStatus | null> {
    const id = labId.value
    if (!id) return null
    controlError.value = ''
    // A new run: the views follow the newest events again.
    selectedSeq.value = null
    starting.value = [...starting.value, kind]
    try {
      const status = await getApi().startActor({ labId: id, kind, host, port, options })
      if (labId.value === id) upsertActor(status)
      return status
    } catch (err) {
      if (labId.value === id) controlError.value = errorMessage(err)
      return null
    } finally {
      starting.value = starting.value.filter((k) => k !== kind)
    }
  }

  async function stopActor(actorId: string): Promise<void> {
    const id = labId.value
    if (!id) return
    try {
      await getApi().stopActor(id, actorId)
    } catch (err) {
      controlError.value = errorMessage(err)
    }
  }

  async function stopAll(): Promise<void> {
    const id = labId.value
    if (!id) return
    try {
      await getApi().stopAll(id)
    } catch (err) {
      controlError.value = errorMessage(err)
    }
  }

  async function clear(): Promise<void> {
    const id = labId.value
    if (!id) return
    try {
      const snapshot = await getApi().clearSession(id)
      if (labId.value !== id) return
      applySnapshot(snapshot)
      selectedSeq.value = null
    } catch (err) {
      controlError.value = errorMessage(err)
    }
  }

  /** Fetch the session as main has it now, e.g. after Reset progress cleared its trace. */
  async function reload(): Promise<void> {
    const id = labId.value
    if (!id) return
    try {
      const snapshot = await getApi().openSession(id)
      if (labId.value !== id) return
      applySnapshot(snapshot)
      selectedSeq.value = null
    } catch (err) {
      controlError.value = errorMessage(err)
    }
  }

  /** The most recent actor of a kind: the one the controls show. */
  function latestOfKind(kind: ActorKind): ActorStatus | undefined {
    for (let i = actors.value.length - 1; i >= 0; i--) {
      const a = actors.value[i]!
      if (a.kind === kind) return a
    }
    return undefined
  }

  function select(seq: number | null): void {
    selectedSeq.value = seq
  }

  function setControlError(message: string): void {
    controlError.value = message
  }

  return {
    labId,
    log,
    trace,
    traceVersion,
    actors,
    checkpoints,
    checkpointById,
    opening,
    openError,
    controlError,
    starting,
    selectedSeq,
    omitted,
    open,
    close,
    startActor,
    stopActor,
    stopAll,
    clear,
    reload,
    latestOfKind,
    select,
    setControlError,
    appendEvents,
  }
})
