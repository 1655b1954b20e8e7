// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { nextTick, shallowReactive } from 'vue'
import { fixedLog } from '@renderer/trace-log'
import { GrowingLog } from './growing-log'
import StatsPanel from '@renderer/features/lossy/StatsPanel.vue'
import { TraceBuilder } from './fixtures'
import { clientRun, lossyClient, lossyRunTrace, lossyServer, serverUp } from './lossy-fixtures'

const value = (w: ReturnType<typeof mount>, key: string) =>
  w.get(`[data-testid="stat-${key}"]`).attributes('data-value')

describe('StatsPanel', () => {
  it('invites a run while there is none', () => {
    const w = mount(StatsPanel, { props: { log: fixedLog([]) } })
    expect(w.get('[data-testid="stats-empty"]').text()).toContain('Run the lossy client')
    expect(w.find('[data-testid="stats-chart"]').exists()).toBe(false)
  })

  it('shows the counts, the round trips and one chart column per PING, lost ones crossed', () => {
    const trace = lossyRunTrace(20, { drop: [3, 7, 8, 15], rtt: (n) => n })
    const w = mount(StatsPanel, { props: { log: fixedLog(trace) } })
    expect(
      ['sent', 'replied', 'lost', 'timeouts', 'late', 'duplicates'].map((k) => value(w, k)),
    ).toEqual(['20', '16', '4', '4', '0', '0'])
    expect(w.get('[data-testid="stat-lost"] .share').text()).toBe('20%')
    expect(w.get('[data-testid="stat-lost"]').classes()).toContain('warn')
    const rtt = (k: string) => w.get(`[data-testid="rtt-${k}"]`)
    expect(['min', 'median', 'p95', 'max'].map((k) => rtt(k).get('dd').text())).toEqual([
      '1.0',
      '11.0',
      '20.0',
      '20.0',
    ])
    expect(rtt('p95').get('dt').text()).toBe('p95')
    expect(w.get('[data-testid="stats-run"]').text()).toBe('Run 1 · 20 PINGs · timeout 2 s')

    const cols = w.findAll('[data-testid^="chart-ping-"]')
    expect(cols).toHaveLength(20)
    const lost = cols
      .filter((c) => c.find('.cross').exists())
      .map((c) => c.attributes('data-testid'))
    expect(lost).toEqual(['chart-ping-3', 'chart-ping-7', 'chart-ping-8', 'chart-ping-15'])
    // The tallest bar is the longest round trip; bars grow with the RTT.
    const height = (n: number) =>
      Number(w.get(`[data-testid="chart-ping-${n}"] .bar`).attributes('height'))
    expect(height(20)).toBeGreaterThan(height(10))
    expect(height(10)).toBeGreaterThan(height(1))
  })

  it('cuts one slow round trip at the axis and writes its value, so the others stay visible', () => {
    // PING 1 takes 40 ms, the others 0.2–0.4 ms: a linear axis up to 40 would flatten them.
    const trace = lossyRunTrace(10, { rtt: (n) => (n === 1 ? 40 : 0.2 + (n % 3) / 10) })
    const w = mount(StatsPanel, { props: { log: fixedLog(trace) } })
    const height = (n: number) =>
      Number(w.get(`[data-testid="chart-ping-${n}"] .bar`).attributes('height'))
    expect(w.get('[data-testid="chart-over"]').text()).toBe('Cut at 2 ms: PING 1: 40.0 ms')
    expect(w.find('[data-testid="chart-ping-1"] .cut').exists()).toBe(true)
    expect(w.get('[data-testid="chart-ping-2"]').find('.cut').exists()).toBe(false)
    // The axis stops at a round number near four times the median, not at 40 ms.
    expect(w.get('[data-testid="stats-chart"]').text()).toContain('2 ms')
    expect(height(1)).toBeGreaterThan(height(2))
    expect(height(3)).toBeGreaterThan(10)
  })

  it('follows the latest run, lets the student pick an earlier one, and selects events', async () => {
    const b = new TraceBuilder()
    const s = lossyServer()
    serverUp(b, s)
    clientRun(b, lossyClient(2), s, 5, { drop: [2] })
    const log = shallowReactive(new GrowingLog(b.events))
    const w = mount(StatsPanel, { props: { log } })
    expect(value(w, 'sent')).toBe('5')

    clientRun(b, lossyClient(3, '127.0.0.1:41999'), s, 8, { drop: [1, 2, 3] })
    log.push(...b.events.slice(log.length))
    await nextTick()
    expect(value(w, 'sent')).toBe('8')
    expect(value(w, 'lost')).toBe('3')
    const select = w.get<HTMLSelectElement>('[data-testid="stats-run-select"]')
    expect(select.findAll('option').map((o) => o.text())).toEqual([
      'Run 2 · 8 PINGs · timeout 2 s (latest)',
      'Run 1 · 5 PINGs · timeout 2 s',
    ])
    await select.setValue('lossy-client#2')
    expect(value(w, 'sent')).toBe('5')
    expect(value(w, 'lost')).toBe('1')

    await w.get('[data-testid="chart-ping-2"] rect.hit').trigger('click')
    const timeout = b.events.find((e) => e.actor === 'lossy-client#2' && e.op === 'timeout')!
    expect(w.emitted('select')?.[0]).toEqual([timeout.seq])
  })
})
