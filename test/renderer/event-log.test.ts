// @vitest-environment happy-dom
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useDisplayStore } from '@renderer/stores/display'
import { mount } from '@vue/test-utils'
import { nextTick, shallowReactive } from 'vue'
import { fixedLog } from '@renderer/trace-log'
import { GrowingLog } from './growing-log'
import EventLog from '@renderer/features/log/EventLog.vue'
import { bigUdpTrace, lossyUdpTrace, tcpPingPongTrace } from './fixtures'

// The log reads the page's type scale (Large, presenter mode) from the display store.
beforeEach(() => {
  localStorage.clear()
  setActivePinia(createPinia())
})

// happy-dom does no layout: give elements a size so the virtualizer has a window to fill.
const saved: [string, PropertyDescriptor | undefined][] = []
beforeAll(() => {
  for (const [prop, value] of [
    ['clientHeight', 240],
    ['clientWidth', 900],
  ] as const) {
    saved.push([prop, Object.getOwnPropertyDescriptor(HTMLElement.prototype, prop)])
    Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => value })
  }
})
afterAll(() => {
  for (const [prop, descriptor] of saved) {
    if (descriptor) Object.defineProperty(HTMLElement.prototype, prop, descriptor)
    else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[prop]
  }
})

describe('EventLog', () => {
  it('renders rows with time, actor, op, addresses, bytes and payload', () => {
    const trace = tcpPingPongTrace(1)
    const wrapper = mount(EventLog, { props: { log: fixedLog(trace) } })
    const rows = wrapper.findAll('[data-testid="event-row"]')
    expect(rows.length).toBeGreaterThan(5)
    const send = rows.find((r) => r.text().includes('PING'))!
    expect(send.text()).toContain('tcp-client#2')
    expect(send.text()).toContain('127.0.0.1:54012 → 127.0.0.1:50007')
    expect(send.text()).toMatch(/\d+\.\d/)
  })

  it('filters by text, by actor and by operation', async () => {
    const trace = tcpPingPongTrace(3)
    const wrapper = mount(EventLog, { props: { log: fixedLog(trace) } })
    await wrapper.get('[data-testid="event-log-filter"]').setValue('pong')
    let rows = wrapper.findAll('[data-testid="event-row"]')
    expect(rows).toHaveLength(6)
    expect(rows.every((r) => r.text().includes('PONG'))).toBe(true)

    await wrapper.get('[data-testid="event-log-actor"]').setValue('tcp-client#2')
    rows = wrapper.findAll('[data-testid="event-row"]')
    expect(rows).toHaveLength(3)

    await wrapper.get('[data-testid="event-log-filter"]').setValue('')
    await wrapper.get('[data-testid="event-log-op"]').setValue('send')
    rows = wrapper.findAll('[data-testid="event-row"]')
    expect(rows).toHaveLength(3)
    expect(rows.every((r) => r.text().includes('send'))).toBe(true)
    expect(wrapper.text()).toContain('3 of')
    expect(wrapper.get('[data-testid="event-log"]').attributes('data-total')).toBe(
      String(trace.length),
    )
    expect(wrapper.get('[data-testid="event-log"]').attributes('data-shown')).toBe('3')
  })

  it('colours warnings and says when nothing matches', async () => {
    const wrapper = mount(EventLog, { props: { log: fixedLog(lossyUdpTrace()) } })
    expect(wrapper.findAll('.row.level-warn').length).toBeGreaterThan(0)
    await wrapper.get('[data-testid="event-log-filter"]').setValue('no such thing')
    expect(wrapper.text()).toContain('No event matches the filter.')
  })

  it('makes its rows taller with Large, so the larger type is never cut', async () => {
    const wrapper = mount(EventLog, { props: { log: fixedLog(tcpPingPongTrace()) } })
    const height = () =>
      (wrapper.get('[data-testid="event-row"]').element as HTMLElement).style.height
    expect(height()).toBe('28px')
    useDisplayStore().large = true
    await nextTick()
    expect(height()).toBe('35px')
    const second = wrapper.findAll('[data-testid="event-row"]')[1]!.element as HTMLElement
    expect(second.style.transform).toBe('translateY(35px)')
  })

  it('shows events appended to the log', async () => {
    const trace = tcpPingPongTrace(1)
    const log = shallowReactive(new GrowingLog(trace.slice(0, 2)))
    const wrapper = mount(EventLog, { props: { log } })
    expect(wrapper.findAll('[data-testid="event-row"]')).toHaveLength(2)
    log.push(...trace.slice(2))
    await nextTick()
    expect(wrapper.findAll('[data-testid="event-row"]')).toHaveLength(trace.length)
    expect(wrapper.text()).toContain(`${trace.length} events`)
  })

  it('emits select when a row is clicked', async () => {
    const trace = tcpPingPongTrace(1)
    const wrapper = mount(EventLog, { props: { log: fixedLog(trace) } })
    const row = wrapper.findAll('[data-testid="event-row"]')[1]!
    await row.trigger('click')
    expect(wrapper.emitted('select')?.[0]).toEqual([Number(row.attributes('data-seq'))])
  })

  it('renders a window of rows, not 100,000, and filters them', async () => {
    const trace = bigUdpTrace(100_000)
    const wrapper = mount(EventLog, { props: { log: fixedLog(trace) } })
    expect(wrapper.findAll('[data-testid="event-row"]').length).toBeLessThan(100)
    await wrapper.get('[data-testid="event-log-filter"]').setValue('PING 777')
    const rows = wrapper.findAll('[data-testid="event-row"]')
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.every((r) => r.text().includes('PING 777'))).toBe(true)
  })
})

describe('EventLog from the keyboard', () => {
  it('is a focusable table; up and down pick the next event, Escape lets it go', async () => {
    const trace = tcpPingPongTrace(1)
    const wrapper = mount(EventLog, { props: { log: fixedLog(trace), selectedSeq: null } })
    expect(wrapper.get('[role="table"]').attributes('aria-rowcount')).toBe(String(trace.length + 1))
    const scroller = wrapper.get('[role="rowgroup"]')
    expect(scroller.attributes('tabindex')).toBe('0')
    const picked = () => wrapper.emitted('select')?.map(([seq]) => seq) ?? []

    await scroller.trigger('keydown', { key: 'ArrowDown' })
    expect(picked()).toEqual([trace[0]!.seq])
    await wrapper.setProps({ selectedSeq: trace[0]!.seq })
    await scroller.trigger('keydown', { key: 'ArrowDown' })
    await wrapper.setProps({ selectedSeq: trace[1]!.seq })
    await scroller.trigger('keydown', { key: 'ArrowUp' })
    expect(picked()).toEqual([trace[0]!.seq, trace[1]!.seq, trace[0]!.seq])
    // Escape sends the picked event again, which unpicks it (as a second click does).
    await scroller.trigger('keydown', { key: 'Escape' })
    expect(picked().at(-1)).toBe(trace[1]!.seq)
    // Other keys (Page Down, Home…) scroll as usual.
    await scroller.trigger('keydown', { key: 'PageDown' })
    expect(picked()).toHaveLength(4)
  })
})
