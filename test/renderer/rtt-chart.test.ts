import { describe, expect, it } from 'vitest'
import type { LossyRun, PingResult } from '@renderer/features/lossy/lossy-stats'
import { summarize } from '@renderer/features/lossy/lossy-stats'
import { PLOT_H, TOP, axisTop, chartOf, niceCeil } from '@renderer/features/lossy/rtt-chart'
import { ms, percent, rttCellsOf, runLabel, tilesOf } from '@renderer/features/lossy/stats-display'

/** A run of PINGs with these round trips; `null` is a PING that timed out. */
function runOf(rtts: (number | null)[], over: Partial<LossyRun> = {}): LossyRun {
  const pings: PingResult[] = rtts.map((rttMs, i) =>
    rttMs === null
      ? { n: i + 1, outcome: 'timeout', seq: 100 + i }
      : { n: i + 1, outcome: 'replied', rttMs, seq: 100 + i },
  )
  const replied = rtts.filter((r) => r !== null)
  return {
    actor: 'lossy-client#2',
    number: 1,
    timeoutS: 2,
    closed: true,
    cancelled: false,
    sent: rtts.length,
    replied: replied.length,
    lost: rtts.length - replied.length,
    timeouts: rtts.length - replied.length,
    late: 0,
    duplicates: 0,
    rtt: summarize(replied),
    pings,
    ...over,
  }
}

describe('rtt chart', () => {
  it('rounds the axis up to 1, 2 or 5 times a power of ten', () => {
    expect([0.3, 1, 3, 7, 40, 120].map(niceCeil)).toEqual([0.5, 1, 5, 10, 50, 200])
    expect([0, -2, NaN].map(niceCeil)).toEqual([1, 1, 1])
  })

  it('stops the axis at four times the median once five replies came, not at one slow outlier', () => {
    const rtt = { min: 1, median: 1, p95: 90, max: 90 }
    expect(axisTop(rtt, 5)).toBe(5)
    expect(axisTop(rtt, 4)).toBe(100)
    expect(axisTop({ min: 1, median: 2, p95: 3, max: 3 }, 9)).toBe(5)
    expect(axisTop(null, 0)).toBe(1)
  })

  it('draws a bar per reply in proportion to the axis and a cross per lost PING', () => {
    const chart = chartOf(runOf([5, 10, null, 2.5]))!
    expect(chart.top).toBe(10)
    const bars = chart.columns.map((c) => c.bar?.h)
    expect(bars).toEqual([PLOT_H / 2, PLOT_H, undefined, PLOT_H / 4])
    expect(chart.columns[1]?.bar?.y).toBe(TOP)
    expect(chart.columns.map((c) => c.lost)).toEqual([false, false, true, false])
    expect(chart.columns.map((c) => c.seq)).toEqual([100, 101, 102, 103])
    expect(chart.columns[2]?.title).toBe('PING 3: lost (timed out)')
    expect(chart.columns[0]?.title).toBe('PING 1: 5.0 ms')
    expect(chart.overNote).toBe('')
    // Columns share the plot's width evenly, left to right.
    const xs = chart.columns.map((c) => c.cx)
    expect(xs[1]! - xs[0]!).toBeCloseTo(chart.colW)
  })

  it('cuts bars above the axis, names the first three and counts the rest', () => {
    const rtts = [1, 1, 1, 1, 1, 1, 1, 1, 50, 60, 70, 80, 90].map((v, i) =>
      i < 8 ? 1 + i / 10 : v,
    )
    const chart = chartOf(runOf(rtts))!
    expect(chart.top).toBe(10)
    expect(chart.columns.filter((c) => c.over).map((c) => c.n)).toEqual([9, 10, 11, 12, 13])
    expect(chart.columns[8]?.bar?.h).toBe(PLOT_H)
    expect(chart.overNote).toBe(
      'Cut at 10 ms: PING 9: 50.0 ms, PING 10: 60.0 ms, PING 11: 70.0 ms, and 2 more',
    )
  })

  it('labels every PING up to twenty, then the first and about ten others', () => {
    expect(chartOf(runOf(Array(20).fill(1)))!.columns.every((c) => c.showLabel)).toBe(true)
    const labelled = chartOf(runOf(Array(25).fill(1)))!
      .columns.filter((c) => c.showLabel)
      .map((c) => c.n)
    expect(labelled).toEqual([1, 3, 6, 9, 12, 15, 18, 21, 24])
  })

  it('has no chart before the first PING', () => {
    expect(chartOf(runOf([]))).toBeNull()
  })
})

describe('stats display', () => {
  it('gives milliseconds as many decimals as their size deserves', () => {
    expect([0.4213, 12.54, 250.4].map(ms)).toEqual(['0.42', '12.5', '250'])
    expect([percent(1, 4), percent(0, 0)]).toEqual(['25%', '–'])
  })

  it('names a run by its number, PINGs and timeout', () => {
    expect(runLabel(runOf([1, 2]), true)).toBe('Run 1 · 2 PINGs · timeout 2 s (latest)')
    expect(runLabel(runOf([1], { timeoutS: null }), false)).toBe('Run 1 · 1 PINGs · no timeout')
    expect(runLabel(runOf([1], { timeoutS: undefined }), false)).toBe('Run 1 · 1 PINGs')
  })

  it('warns on the tiles of losses, late and duplicate replies only when there are some', () => {
    const tiles = tilesOf(runOf([1, null, 3, null], { late: 1 }))
    expect(tiles.map((t) => [t.key, t.value, Boolean(t.warn)])).toEqual([
      ['sent', '4', false],
      ['replied', '2', false],
      ['lost', '2', true],
      ['timeouts', '2', true],
      ['late', '1', true],
      ['duplicates', '0', false],
    ])
    expect(tiles.find((t) => t.key === 'lost')?.note).toBe('50%')
  })

  it('shows the round-trip summary, dashes while no reply came', () => {
    expect(rttCellsOf(runOf([1, 2, 3]).rtt).map((c) => c.value)).toEqual([
      '1.0',
      '2.0',
      '3.0',
      '3.0',
    ])
    expect(rttCellsOf(null).map((c) => `${c.label}=${c.value}`)).toEqual([
      'min=–',
      'median=–',
      'p95=–',
      'max=–',
    ])
  })
})
