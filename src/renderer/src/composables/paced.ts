import { onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue'
import {
  DiagramBuilder,
  type Diagram,
  type LifelineHint,
} from '@renderer/features/diagram/build-diagram'
import type { TraceLog } from '@renderer/trace-log'

/**
 * A copy of a fast-changing value that follows it at most once every `gap()` ms. With a
 * gap of 0 it follows at once, in the same task. With a gap, a change goes through in a
 * task of its own (right away after a quiet spell), so that under a flood of trace events
 * the expensive views redraw at a pace the page can afford and each in its own task, not
 * all of them in the frame that brought the events.
 */
export function usePaced<T>(source: () => T, gap: () => number): Ref<T> {
  const paced = ref(source()) as Ref<T>
  let last = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  const apply = () => {
    timer = undefined
    last = performance.now()
    paced.value = source()
  }
  watch(source, () => {
    if (timer !== undefined) return
    const g = gap()
    if (g <= 0) apply()
    else timer = setTimeout(apply, Math.max(0, last + g - performance.now()))
  })
  onBeforeUnmount(() => clearTimeout(timer))
  return paced
}

/** What the diagram pacer draws from. */
export interface DiagramSource {
  log: () => TraceLog
  lifelines: () => LifelineHint[] | undefined
  maxRows: () => number
}

/** Rows drawn during a flood. */
const FLOOD_ROWS = 24
/** Quiet this long (no new rows) ends a flood. */
const QUIET_MS = 400
/** A long trace redraws at most this often. */
const LONG_TRACE_GAP_MS = 250
/**
 * A long trace's window grows by at most this many rows per drawing (new elements cost the
 * most), and its very first drawing (nothing warmed up yet) shows only a few rows.
 */
const GROW_ROWS = 64
const FIRST_ROWS = 12
/** One slice of taking events in, in its own task. */
const WORK_SLICE_MS = 8
/** At most this many new events are taken in and drawn at once, in the caller's task. */
const SMALL_BATCH = 500

/**
 * The live diagram of a growing trace, redrawn at a pace the page can afford.
 *
 * The builder keeps its plan between redraws: a batch costs only its own events. A small
 * trace is taken in and redrawn at once, on every batch. A long one is taken in by slices
 * of a few milliseconds, in tasks of their own, and redrawn a few times a second; while
 * events pour in faster than anyone can read them (a flood) a shorter window is drawn, so
 * each redraw stays cheap, and the full window comes back once it is quiet.
 *
 * `refresh` says the source changed; `countLayout` and `addCost` count the layout and
 * scrolling a drawing caused into what paces the next one.
 */
export function usePacedDiagram(source: DiagramSource) {
  let hints = source.lifelines()
  let builder = new DiagramBuilder(hints)
  let flooding = false
  /** Rows taken in since the last drawing, and whether anything changed since then (when). */
  let newRows = 0
  let dirty = false
  let dirtySince = 0
  let lastDraw = 0
  let drawCost = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  let quietTimer: ReturnType<typeof setTimeout> | undefined

  const rowLimit = () => (flooding ? Math.min(FLOOD_ROWS, source.maxRows()) : source.maxRows())
  const isLong = () => builder.totalRows > source.maxRows()

  function draw(limit = rowLimit()): Diagram {
    lastDraw = performance.now()
    const d = builder.diagram(limit)
    drawCost = performance.now() - lastDraw
    newRows = 0
    dirty = false
    return d
  }

  /** Takes in new events (until `deadline`, if given). */
  function take(deadline?: number): void {
    if (hints !== source.lifelines()) {
      hints = source.lifelines()
      builder = new DiagramBuilder(hints)
    }
    const added = builder.update(source.log(), deadline)
    newRows += added
    if (flooding && added > 0) {
      clearTimeout(quietTimer)
      quietTimer = setTimeout(endFlood, QUIET_MS)
    }
  }

  // The view opens with the whole picture at once.
  builder.update(source.log())
  const diagram = shallowRef<Diagram>(draw())

  /** The events, the lifelines or the window changed. */
  function refresh(): void {
    if (!dirty) dirtySince = performance.now()
    dirty = true
    if (timer !== undefined) return
    const pending =
      hints !== source.lifelines() ? source.log().length : builder.behind(source.log())
    if (!flooding && !isLong() && pending <= SMALL_BATCH) {
      take()
      diagram.value = draw()
    } else timer = setTimeout(work, 0)
  }

  function work(): void {
    timer = undefined
    const now = performance.now()
    take(now + WORK_SLICE_MS)
    // Drawing gets a task of its own, unless taking the events in was quick; a long way
    // behind, what was taken in so far is drawn meanwhile.
    const busy = performance.now() - now > WORK_SLICE_MS / 2
    const behind = builder.behind(source.log()) > 0
    if ((busy || behind) && now - dirtySince < 2 * LONG_TRACE_GAP_MS) {
      timer = setTimeout(work, 0)
      return
    }
    if (!dirty) return
    // A flood: more new rows since the last drawing than its window shows, on a long trace.
    if (!flooding && newRows > FLOOD_ROWS && isLong()) {
      flooding = true
      quietTimer = setTimeout(endFlood, QUIET_MS)
    }
    // Costly redraws leave the page room to breathe.
    const gap = Math.max(isLong() ? LONG_TRACE_GAP_MS : 0, drawCost > 8 ? drawCost * 4 : 0)
    const wait = lastDraw + gap - performance.now()
    if (wait > 0) timer = setTimeout(work, wait)
    else {
      const shown = diagram.value.rows.length
      const limit = Math.min(rowLimit(), shown === 0 ? FIRST_ROWS : shown + GROW_ROWS)
      diagram.value = draw(limit)
      // Drawn before catching up (a long way behind), or the window still growing: go on.
      if (limit < rowLimit() || builder.behind(source.log()) > 0) {
        dirty = true
        dirtySince = performance.now()
        timer = setTimeout(work, 0)
      }
    }
  }

  function endFlood(): void {
    quietTimer = undefined
    if (!flooding) return
    flooding = false
    refresh()
  }

  onBeforeUnmount(() => {
    clearTimeout(timer)
    clearTimeout(quietTimer)
  })

  /** Counts the page's layout since the last drawing into that drawing's cost. */
  function countLayout(): void {
    drawCost = Math.max(drawCost, performance.now() - lastDraw)
  }
  /** Counts more work the drawing caused (scrolling to it) into its cost. */
  function addCost(ms: number): void {
    drawCost += ms
  }

  return { diagram, refresh, countLayout, addCost }
}
