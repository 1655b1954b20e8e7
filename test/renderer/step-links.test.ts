// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { createMemoryHistory } from 'vue-router'
import { createClientApi } from '@shared/client-api'
import type { LabSummary } from '@shared/lab'
import { setApi } from '@renderer/bridge'
import { createAppRouter } from '@renderer/router'
import StepLinks from '@renderer/features/steps/StepLinks.vue'
import { FakeTransport } from './fake-transport'
import { fakeLab } from './fixtures'

// The last step of a lab leads on to the next lab, as every other step leads to the next step.

const summary = (id: string, title: string, order: number): LabSummary => ({
  id,
  title,
  summary: '',
  order,
  stepCount: 1,
  checkpointCount: 1,
})

let labs: LabSummary[]
beforeEach(() => {
  labs = [summary('counter', 'Counter', 2), summary('ping-pong', 'Ping-pong', 1)]
  setApi(createClientApi(new FakeTransport().handle('labs:list', () => ({ labs, errors: [] }))))
})
afterEach(() => setApi(undefined))

async function links(stepIndex: number) {
  const router = createAppRouter(createMemoryHistory())
  const w = mount(StepLinks, {
    props: { lab: fakeLab(), stepIndex },
    global: { plugins: [createPinia(), router] },
  })
  await flushPromises()
  return w
}

describe('StepLinks', () => {
  it('offers the next step, and no next lab, before the last step', async () => {
    const w = await links(0)
    const lab = fakeLab()
    expect(w.text()).toContain(`Next: ${lab.steps[1]!.title} →`)
    expect(w.find('[data-testid="next-lab-link"]').exists()).toBe(false)
  })

  it('links the last step to the next lab in course order', async () => {
    const lab = fakeLab()
    const w = await links(lab.steps.length - 1)
    const next = w.get('[data-testid="next-lab-link"]')
    expect(next.text()).toBe('Next lab: Counter →')
    expect(next.attributes('href')).toContain('/lab/counter')
    expect(w.text()).toContain(`← ${lab.steps.at(-2)!.title}`)
  })

  it('sends the student back to all labs after the last lab', async () => {
    labs = [summary('ping-pong', 'Ping-pong', 1)]
    const w = await links(fakeLab().steps.length - 1)
    expect(w.find('[data-testid="next-lab-link"]').exists()).toBe(false)
    expect(w.get('[data-testid="all-labs-link"]').text()).toContain('back to all labs')
  })
})
