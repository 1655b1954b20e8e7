import type { LossyRun, PingOutcome, RttSummary } from './lossy-stats'
import { ms } from './stats-display'

/**
 * The layout of the round-trip chart, as numbers for an SVG: one column per PING, a bar for
 * its round trip, a cross for a lost one. Pure, so the geometry is tested without a page.
 */
export const W = 320
export const H = 150
export const LEFT = 46
export const RIGHT = 6
export const TOP = 10
export const BOTTOM = 20
export const PLOT_W = W - LEFT - RIGHT
export const PLOT_H = H - TOP - BOTTOM

/** 1, 2 or 5 times a power of ten, at least `v`: a round top for the axis. */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1
  const p = 10 ** Math.floor(Math.log10(v))
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p
  return 10 * p
}

/**
 * The axis top. One slow round trip (often the first, while caches warm up) can be a hundred
 * times the others and flatten every other bar to nothing: with enough replies the axis
 * stops at four times the median, and the few bars above it are cut with their value shown.
 */
export function axisTop(rtt: RttSummary | null, replies: number): number {
  if (!rtt) return 1
  const robust = replies >= 5 ? Math.min(rtt.max, 4 * rtt.median) : rtt.max
  return niceCeil(robust)
}

export interface ChartColumn {
  n: number
  outcome: PingOutcome
  /** The event to select when the column is clicked. */
  seq?: number
  /** The column's centre. */
  cx: number
  bar?: { x: number; y: number; w: number; h: number }
  /** Taller than the axis: drawn cut at the top, this value in the note. */
  over?: string
  lost: boolean
  /** Its number under the axis (every one up to 20 PINGs, then about ten of them). */
  showLabel: boolean
  title: string
}

export interface Chart {
  /** The axis top, in ms. */
  top: number
  columns: ChartColumn[]
  /** Half the width of a lost PING's cross. */
  cross: number
  colW: number
  /** Which bars were cut at the axis, and their values; empty when none was. */
  overNote: string
}

const LOST: ReadonlySet<PingOutcome> = new Set(['timeout', 'cancelled', 'unanswered'])

function titleOf(p: LossyRun['pings'][number]): string {
  if (p.outcome === 'replied') return `PING ${p.n}: ${ms(p.rttMs ?? 0)} ms`
  if (p.outcome === 'waiting') return `PING ${p.n}: waiting for the reply`
  return `PING ${p.n}: lost (${p.outcome === 'timeout' ? 'timed out' : p.outcome})`
}

/** The chart of one run, or null while it has sent no PING. */
export function chartOf(run: LossyRun): Chart | null {
  if (run.pings.length === 0) return null
  const replies = run.pings.filter((p) => p.rttMs !== undefined).length
  const top = axisTop(run.rtt, replies)
  const n = run.pings.length
  const colW = PLOT_W / n
  const barW = Math.max(1, Math.min(18, colW * 0.7))
  const every = Math.max(1, Math.ceil(n / 10))
  const columns = run.pings.map((p, i): ChartColumn => {
    const cx = LEFT + colW * (i + 0.5)
    const h = p.rttMs !== undefined ? Math.min(PLOT_H, Math.max(1.5, (p.rttMs / top) * PLOT_H)) : 0
    return {
      over: p.outcome === 'replied' && (p.rttMs ?? 0) > top ? ms(p.rttMs ?? 0) : undefined,
      n: p.n,
      outcome: p.outcome,
      seq: p.seq,
      cx,
      bar:
        p.outcome === 'replied' ? { x: cx - barW / 2, y: TOP + PLOT_H - h, w: barW, h } : undefined,
      lost: LOST.has(p.outcome),
      showLabel: n <= 20 || (i + 1) % every === 0 || i === 0,
      title: titleOf(p),
    }
  })
  const cross = Math.min(5, Math.max(2.5, colW * 0.35))
  const over = columns.filter((c) => c.over !== undefined)
  const shown = over.slice(0, 3).map((c) => `PING ${c.n}: ${c.over} ms`)
  const overNote = over.length
    ? `Cut at ${top} ms: ${shown.join(', ')}${over.length > 3 ? `, and ${over.length - 3} more` : ''}`
    : ''
  return { top, columns, cross, colW, overNote }
}
