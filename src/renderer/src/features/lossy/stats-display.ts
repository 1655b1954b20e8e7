import type { LossyRun, RttSummary } from './lossy-stats'

/** Milliseconds with as many decimals as their size deserves: 0.42, 12.5, 250. */
export function ms(v: number): string {
  return v < 1 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)
}

/** A share as a whole percentage, or a dash when there is nothing to share. */
export function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : '–'
}

/** "Run 2 · 8 PINGs · timeout 2 s (latest)" */
export function runLabel(r: LossyRun, latest: boolean): string {
  const timeout =
    r.timeoutS === null ? 'no timeout' : r.timeoutS !== undefined ? `timeout ${r.timeoutS} s` : ''
  const parts = [`Run ${r.number}`, `${r.sent} PINGs`, timeout].filter(Boolean)
  return parts.join(' · ') + (latest ? ' (latest)' : '')
}

export interface Tile {
  key: string
  label: string
  value: string
  /** Under the value: the lost share of the settled PINGs. */
  note?: string
  /** Something went wrong: drawn in the warning colour. */
  warn?: boolean
}

/** The run's counts, each a tile; losses and their kin warn when there are any. */
export function tilesOf(r: LossyRun): Tile[] {
  const settled = r.replied + r.lost
  return [
    { key: 'sent', label: 'Sent', value: String(r.sent) },
    { key: 'replied', label: 'Replied', value: String(r.replied) },
    {
      key: 'lost',
      label: 'Lost',
      value: String(r.lost),
      note: percent(r.lost, settled),
      warn: r.lost > 0,
    },
    { key: 'timeouts', label: 'Timeouts', value: String(r.timeouts), warn: r.timeouts > 0 },
    { key: 'late', label: 'Late', value: String(r.late), warn: r.late > 0 },
    { key: 'duplicates', label: 'Duplicates', value: String(r.duplicates), warn: r.duplicates > 0 },
  ]
}

/** The round-trip summary as four cells, a dash for each while no reply came. */
export function rttCellsOf(
  rtt: RttSummary | null | undefined,
): { key: string; label: string; value: string }[] {
  const keys = ['min', 'median', 'p95', 'max'] as const
  return keys.map((key) => ({ key, label: key, value: rtt ? ms(rtt[key]) : '–' }))
}
