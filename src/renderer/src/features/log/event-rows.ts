import type { TraceEvent } from '@shared/trace'

// How the event log shows an event, and finds one: pure helpers of EventLog.vue.

/** The index of the event with this seq in a list sorted by seq; -1 if it is not there. */
export function binaryIndex(list: readonly TraceEvent[], seq: number): number {
  let lo = 0
  let hi = list.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const s = list[mid]!.seq
    if (s === seq) return mid
    if (s < seq) lo = mid + 1
    else hi = mid - 1
  }
  return -1
}

/** "local → remote", or whichever of the two the event has. */
export function route(e: TraceEvent): string {
  if (e.local && e.remote) return `${e.local} → ${e.remote}`
  return e.local ?? (e.remote ? `→ ${e.remote}` : '')
}

/** The payload and the message, as one line. */
export function what(e: TraceEvent): string {
  if (e.payload !== undefined && e.message) return `${e.payload} — ${e.message}`
  return e.payload ?? e.message ?? ''
}

/** The row's colour: an error op is an error whatever its level. */
export function levelOf(e: TraceEvent): string {
  return e.op === 'error' ? 'error' : (e.level ?? 'info')
}

/**
 * The event a key picks in a list of `n` rows: Up and Down move from the picked one (from
 * the first row in view when none is), Escape lets the picked one go (it is selected again,
 * which unpicks it). Undefined: the key does nothing.
 */
export function keyedPick(
  list: readonly TraceEvent[],
  n: number,
  selectedSeq: number | null,
  key: string,
  firstInView: number,
): number | undefined {
  const at = selectedSeq === null ? -1 : binaryIndex(list, selectedSeq)
  if (key === 'Escape') return at >= 0 ? list[at]!.seq : undefined
  if ((key !== 'ArrowDown' && key !== 'ArrowUp') || n === 0) return undefined
  const next =
    at < 0
      ? Math.min(n - 1, firstInView)
      : Math.max(0, Math.min(n - 1, at + (key === 'ArrowDown' ? 1 : -1)))
  return next !== at ? list[next]!.seq : undefined
}

/** The rows to draw for a scroll position: those in view, and `overscan` more on each side. */
export function rowWindow(
  scrollTop: number,
  viewHeight: number,
  rowHeight: number,
  count: number,
  overscan: number,
): { first: number; last: number } {
  return {
    first: Math.max(0, Math.floor(scrollTop / rowHeight) - overscan),
    last: Math.min(count, Math.ceil((scrollTop + viewHeight) / rowHeight) + overscan),
  }
}

/** Where to scroll so that row `index` is wholly in view, moving as little as possible. */
export function scrollToShow(
  index: number,
  rowHeight: number,
  scrollTop: number,
  viewHeight: number,
): number {
  const top = index * rowHeight
  if (top < scrollTop) return top
  if (top + rowHeight > scrollTop + viewHeight) return top + rowHeight - viewHeight
  return scrollTop
}
