// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { nextTick, shallowReactive } from 'vue'
import { fixedLog } from '@renderer/trace-log'
import { GrowingLog } from './growing-log'

const live = (events: Parameters<typeof fixedLog>[0]) => shallowReactive(new GrowingLog(events))
import { DEFAULT_MAX_ROWS } from '@renderer/features/diagram/build-diagram'
import DiagramView from '@renderer/features/diagram/DiagramView.vue'
import { expectedLifelines, expectedToTrace } from '@renderer/features/diagram/expected-to-trace'
import { bigUdpTrace, fakeLab, lossyUdpTrace, tcpPingPongTrace } from './fixtures'

describe('DiagramView', () => {
  it('draws the arrows with their labels, inferred packets flagged', () => {
    const wrapper = mount(DiagramView, { props: { log: fixedLog(tcpPingPongTrace(2)) } })
    const arrows = wrapper.findAll('[data-testid="diagram-arrow"]')
    expect(arrows.map((a) => a.attributes('data-label'))).toEqual([
      'SYN (inferred)',
      'SYN-ACK (inferred)',
      'ACK (inferred)',
      'PING · 4 B',
      'PONG · 4 B',
      'PING · 4 B',
      'PONG · 4 B',
      'FIN (inferred)',
    ])
    const inferred = arrows.filter((a) => a.attributes('data-inferred') === 'true')
    expect(inferred.map((a) => a.attributes('data-label'))).toEqual([
      'SYN (inferred)',
      'SYN-ACK (inferred)',
      'ACK (inferred)',
      'FIN (inferred)',
    ])
    // The label is drawn, not only carried in an attribute.
    expect(arrows[3]!.find('text').text()).toBe('PING · 4 B')
    expect(arrows[3]!.attributes('data-inferred')).toBeUndefined()

    const calls = wrapper
      .findAll('[data-testid="diagram-call"]')
      .map((c) => c.attributes('data-op'))
    expect(calls.slice(0, 3)).toEqual(['socket', 'bind', 'listen'])
    const heads = wrapper
      .findAll('[data-testid="diagram-lifeline"]')
      .map((l) => l.attributes('data-label'))
    expect(heads).toEqual(['TCP client 127.0.0.1:54012', 'TCP server 127.0.0.1:50007'])
  })

  it('emits select with the seq of the clicked arrow', async () => {
    const trace = tcpPingPongTrace(1)
    const wrapper = mount(DiagramView, { props: { log: fixedLog(trace) } })
    const ping = wrapper.find('[data-testid="diagram-arrow"][data-label="PING · 4 B"]')
    await ping.trigger('click')
    const send = trace.find((e) => e.op === 'send' && e.payload === 'PING')!
    expect(wrapper.emitted('select')?.[0]).toEqual([send.seq])
  })

  it('draws a lost reply with a cross and a timeout marker', () => {
    const wrapper = mount(DiagramView, { props: { log: fixedLog(lossyUdpTrace()) } })
    const lost = wrapper.find('[data-testid="diagram-arrow"][data-lost="true"]')
    expect(lost.attributes('data-label')).toBe('PONG 2 · 6 B (lost)')
    expect(lost.find('.cross').exists()).toBe(true)
    expect(wrapper.find('[data-testid="diagram-marker"]').text()).toContain('timeout')
  })

  it('updates when the log grows', async () => {
    const trace = tcpPingPongTrace(1)
    const log = live(trace.slice(0, 4))
    const wrapper = mount(DiagramView, { props: { log } })
    expect(wrapper.findAll('[data-testid="diagram-arrow"]')).toHaveLength(0)
    log.push(...trace.slice(4))
    await nextTick()
    expect(wrapper.findAll('[data-testid="diagram-arrow"]').length).toBeGreaterThan(0)
  })

  it('draws only the last DEFAULT_MAX_ROWS rows of 100,000 events and says so', () => {
    const trace = bigUdpTrace(100_000)
    const wrapper = mount(DiagramView, { props: { log: fixedLog(trace) } })
    const drawn =
      wrapper.findAll('[data-testid="diagram-arrow"]').length +
      wrapper.findAll('[data-testid="diagram-call"]').length
    expect(drawn).toBeLessThanOrEqual(DEFAULT_MAX_ROWS)
    expect(wrapper.find('[data-testid="diagram-hidden"]').text()).toMatch(
      /^[\d,]+ earlier events not drawn — see the event log$/,
    )
  })

  it('draws an expected flow with the lab’s own lifeline labels', () => {
    const flow = fakeLab().steps[0]!.expected!
    const wrapper = mount(DiagramView, {
      props: { log: fixedLog(expectedToTrace(flow)), lifelines: expectedLifelines(flow) },
    })
    const heads = wrapper
      .findAll('[data-testid="diagram-lifeline"]')
      .map((l) => l.attributes('data-label'))
    expect(heads).toEqual(['Client', 'Server'])
    expect(wrapper.findAll('[data-testid="diagram-arrow"][data-inferred="true"]')).toHaveLength(4)
  })

  it('shows a friendly message when there is nothing yet', () => {
    const wrapper = mount(DiagramView, {
      props: { log: fixedLog([]), emptyText: 'Start the server.' },
    })
    expect(wrapper.find('[data-testid="diagram"]').text()).toContain('Start the server.')
  })

  it('scales up in large mode', () => {
    const events = tcpPingPongTrace(1)
    const small = mount(DiagramView, { props: { log: fixedLog(events) } })
    const large = mount(DiagramView, { props: { log: fixedLog(events), large: true } })
    const w = (x: typeof small) => Number(x.find('svg.body').attributes('width'))
    expect(w(large)).toBeGreaterThan(w(small) * 1.3)
  })

  it('selects the arrival when its dot is clicked, the row when anything else is', async () => {
    const trace = tcpPingPongTrace(1)
    const wrapper = mount(DiagramView, { props: { log: fixedLog(trace) } })
    const ping = wrapper.find('[data-testid="diagram-arrow"][data-label="PING · 4 B"]')
    const recv = trace.find((e) => e.op === 'recv' && e.payload === 'PING')!
    await ping.find('circle.arrival').trigger('click')
    expect(wrapper.emitted('select')?.[0]).toEqual([recv.seq])
    // The row's background: the row's own event.
    const listen = wrapper.find('[data-testid="diagram-call"][data-op="listen"]')
    await listen.element
      .parentElement!.querySelector('rect.hit')!
      .dispatchEvent(new MouseEvent('click', { bubbles: true }))
    expect(wrapper.emitted('select')?.[1]).toEqual([Number(listen.attributes('data-seq'))])
  })
})

describe('DiagramView on a long live trace', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  const rowCount = (w: ReturnType<typeof mount>) =>
    w.findAll('[data-testid="diagram-arrow"]').length +
    w.findAll('[data-testid="diagram-call"]').length

  it('draws a short window while events pour in, and the full one once it is quiet', async () => {
    vi.useFakeTimers()
    const trace = bigUdpTrace(20_000)
    const log = live(trace.slice(0, 1_000))
    const events = log.events
    const wrapper = mount(DiagramView, { props: { log } })
    expect(rowCount(wrapper)).toBe(DEFAULT_MAX_ROWS)

    // A flood: thousands of rows at once.
    log.push(...trace.slice(1_000, 9_000))
    await nextTick()
    await vi.advanceTimersByTimeAsync(300)
    const during = rowCount(wrapper)
    expect(during).toBeGreaterThan(0)
    expect(during).toBeLessThan(50)
    const note = () => wrapper.get('[data-testid="diagram-hidden"]').text()
    expect(note()).toMatch(/^[\d,]+ earlier events not drawn — see the event log$/)
    // The newest row is drawn.
    const newest = events.at(-1)!.seq
    const lastSend = events.findLast((e) => e.op === 'sendto')!
    expect(
      wrapper.find(`[data-testid="diagram-arrow"][data-seq="${lastSend.seq}"]`).exists() ||
        wrapper.find(`[data-seq="${newest}"]`).exists(),
    ).toBe(true)

    log.push(...trace.slice(9_000, 12_000))
    await nextTick()
    await vi.advanceTimersByTimeAsync(300)
    expect(rowCount(wrapper)).toBeLessThan(50)

    // Quiet: the full window comes back.
    await vi.advanceTimersByTimeAsync(2_000)
    expect(rowCount(wrapper)).toBe(DEFAULT_MAX_ROWS)
    const hidden = Number(note().split(' ')[0]!.replace(/,/g, ''))
    expect(hidden).toBeGreaterThan(11_000)
    wrapper.unmount()
  })

  it('redraws a slowly sliding window in place: rows that stay keep their elements', async () => {
    vi.useFakeTimers()
    const trace = bigUdpTrace(2_000)
    const log = live(trace.slice(0, 1_000))
    const events = log.events
    const wrapper = mount(DiagramView, { props: { log } })
    const rowsBefore = wrapper.findAll('g.row').map((r) => r.element)
    const kept = wrapper.findAll('[data-testid="diagram-arrow"]').at(-1)!
    const keptSeq = kept.attributes('data-seq')
    const keptRow = kept.element.parentElement

    log.push(...trace.slice(1_000, 1_008))
    await nextTick()
    await vi.advanceTimersByTimeAsync(1_000)
    const rowsAfter = wrapper.findAll('g.row').map((r) => r.element)
    expect(rowsAfter).toHaveLength(DEFAULT_MAX_ROWS)
    const newest = events.findLast((e) => e.op === 'sendto')!
    expect(wrapper.find(`[data-testid="diagram-arrow"][data-seq="${newest.seq}"]`).exists()).toBe(
      true,
    )
    // The same elements, none made, none moved; the one that showed a row still drawn
    // shows it still.
    expect(rowsAfter).toEqual(rowsBefore)
    expect(
      wrapper.get(`[data-testid="diagram-arrow"][data-seq="${keptSeq}"]`).element.parentElement,
    ).toBe(keptRow)
    wrapper.unmount()
  })
})
