// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { h, nextTick, shallowReactive, type VNode } from 'vue'
import { mount } from '@vue/test-utils'
import type { LabStep } from '@shared/lab'
import type { TraceEvent } from '@shared/trace'
import StepWorkArea from '@renderer/features/steps/StepWorkArea.vue'
import type { TraceLog } from '@renderer/trace-log'
import { GrowingLog } from './growing-log'
import { fakeLab, tcpPingPongTrace } from './fixtures'

// The panels are tested on their own; here they are stand-ins that show whether they stayed
// mounted (a typed draft survives) and what the diagram was given.
const stub = (name: string, render: (props: Record<string, unknown>) => VNode) => ({
  name,
  props: ['log'],
  setup: (props: Record<string, unknown>) => () => render(props),
})
const ConsolePanel = stub('ConsolePanel', () => h('input', { 'data-testid': 'console-draft' }))
const ChecksPanel = stub('ChecksPanel', () => h('p', 'checks'))
const WorksheetPanel = stub('WorksheetPanel', () => h('p', 'worksheet'))
const DiagramPanel = stub('DiagramPanel', (props) =>
  h('p', { 'data-testid': 'diagram' }, `${(props.log as TraceLog).length} events`),
)

function step(id: string, panels: LabStep['panels']): LabStep {
  return { ...fakeLab().steps[0]!, id, panels }
}

/** A trace log as the session store keeps one (reactive length and epoch). */
type Log = ReturnType<typeof live>
const live = (events: TraceEvent[] = []) => shallowReactive(new GrowingLog(events))

function mountArea(log: Log, panels: LabStep['panels'] = ['worksheet', 'console']) {
  return mount(StepWorkArea, {
    props: {
      labId: 'protocol',
      defaultPort: 50007,
      step: step('design', panels),
      log,
      selectedSeq: null,
    },
    global: { stubs: { ConsolePanel, ChecksPanel, WorksheetPanel, DiagramPanel } },
    attachTo: document.body,
  })
}
type Area = ReturnType<typeof mountArea>

const byId = (w: Area, id: string) => w.find(`[data-testid="${id}"]`)
const news = (w: Area) => {
  const badge = byId(w, 'work-tab-diagram-news')
  return badge.exists() ? badge.text() : null
}
/** The host appends to the log, as the session store does. */
async function record(_w: Area, log: Log, more: TraceEvent[]) {
  log.push(...more)
  await nextTick()
}

describe('StepWorkArea', () => {
  it('lays the step’s panels out in a fixed order and names them on the switch', () => {
    const w = mountArea(live(), ['worksheet', 'checks', 'console'])
    const columns = w
      .findAll('[data-testid^="work-column-"]')
      .map((c) => c.attributes('data-testid'))
    expect(columns).toEqual(['work-column-console', 'work-column-checks', 'work-column-worksheet'])
    expect(byId(w, 'work-tab-work').text()).toBe('Console + Your checks + Worksheet')
    expect(byId(w, 'work-tab-work').attributes('aria-selected')).toBe('true')
    expect(byId(w, 'diagram').exists()).toBe(false)
  })

  it('counts socket calls made while the diagram is hidden, and forgets them once it is seen', async () => {
    const trace = tcpPingPongTrace(3)
    const events = live(trace.slice(0, 4))
    const w = mountArea(events)
    // What was there before the area opened is not news.
    expect(news(w)).toBeNull()
    await record(w, events, trace.slice(4, 6))
    expect(news(w)).toBe('2 new')

    await byId(w, 'work-tab-diagram').trigger('click')
    expect(w.attributes('data-view')).toBe('diagram')
    expect(byId(w, 'diagram').text()).toBe('6 events')
    expect(news(w)).toBeNull()
    // Calls that arrive while the diagram is shown are seen as they come.
    await record(w, events, trace.slice(6, 8))
    expect(news(w)).toBeNull()

    await byId(w, 'work-tab-work').trigger('click')
    expect(news(w)).toBeNull()
    await record(w, events, trace.slice(8))
    expect(news(w)).toBe(`${trace.length - 8} new`)
  })

  it('writes a large count with thousands separators', async () => {
    const events = live()
    const w = mountArea(events)
    const trace = tcpPingPongTrace(1)
    await record(
      w,
      events,
      Array.from({ length: 1195 }, (_, i) => ({ ...trace[i % trace.length]!, seq: i + 1 })),
    )
    expect(news(w)).toBe('1,195 new')
  })

  it('clearing the trace leaves nothing new, and counts afresh from there', async () => {
    const trace = tcpPingPongTrace(2)
    const events = live()
    const w = mountArea(events)
    await record(w, events, trace)
    expect(news(w)).toBe(`${trace.length} new`)
    await byId(w, 'work-tab-diagram').trigger('click')
    await byId(w, 'work-tab-work').trigger('click')
    expect(news(w)).toBeNull()
    // The store clears by starting a new epoch, as a snapshot does.
    events.reset()
    await nextTick()
    expect(news(w)).toBeNull()
    await record(w, events, trace.slice(0, 3))
    expect(news(w)).toBe('3 new')
  })

  it('keeps the panels mounted behind the diagram, so a half-typed message survives', async () => {
    const w = mountArea(live())
    await byId(w, 'console-draft').setValue('GUESS 4')
    await byId(w, 'work-tab-diagram').trigger('click')
    expect(byId(w, 'work-column-console').isVisible()).toBe(false)
    await byId(w, 'work-tab-work').trigger('click')
    expect(byId(w, 'work-column-console').isVisible()).toBe(true)
    expect((byId(w, 'console-draft').element as HTMLInputElement).value).toBe('GUESS 4')
  })

  it('opens each new step on its work, not on the diagram', async () => {
    const w = mountArea(live())
    await byId(w, 'work-tab-diagram').trigger('click')
    await w.setProps({ step: step('design', ['worksheet', 'console']) })
    expect(w.attributes('data-view')).toBe('diagram')
    await w.setProps({ step: step('test', ['checks']) })
    expect(w.attributes('data-view')).toBe('work')
    expect(byId(w, 'work-tab-work').text()).toBe('Your checks')
  })
})
