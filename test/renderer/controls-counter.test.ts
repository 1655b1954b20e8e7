// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import type { ActorKind } from '@shared/lab'
import { setApi } from '@renderer/bridge'
import { controlsHarness, type ControlsHarness } from './controls-harness'

// The controls of the Counter lab: a count-mode select where a step offers the counter
// server, a number of PINGs for clients, and what each start sends to the host.

let h: ControlsHarness
beforeEach(() => {
  h = controlsHarness()
})
afterEach(() => setApi(undefined))

const panel = (kinds: ActorKind[]) => h.mountPanel('counter', 50008, kinds)

describe('ControlsPanel in the Counter lab', () => {
  it('labels the counter actors, and offers the count mode only with the counter server', async () => {
    const counter = await panel(['counter-server', 'counter-client'])
    expect(counter.get('[data-testid="start-counter-server"]').text()).toBe('Start counter server')
    expect(counter.get('[data-testid="start-counter-client"]').text()).toBe('Run counter client')
    const select = counter.get<HTMLSelectElement>('[data-testid="count-mode-select"]')
    expect(select.element.value).toBe('shared')
    expect(select.findAll('option').map((o) => o.attributes('value'))).toEqual([
      'shared',
      'per-client',
    ])
    expect(
      (await panel(['udp-server', 'udp-client']))
        .find('[data-testid="count-mode-select"]')
        .exists(),
    ).toBe(false)
    // A step with only a client gets the PINGs field but no count mode.
    const clientOnly = await panel(['counter-client'])
    expect(clientOnly.find('[data-testid="count-mode-select"]').exists()).toBe(false)
    expect(clientOnly.find('[data-testid="count-input"]').exists()).toBe(true)
  })

  it('sends the chosen count mode with the server, and the PINGs and pace with a client', async () => {
    const wrapper = await panel(['counter-server', 'counter-client'])
    await wrapper.get('[data-testid="count-mode-select"]').setValue('per-client')
    await wrapper.get('[data-testid="start-counter-server"]').trigger('click')
    await wrapper.get('[data-testid="count-input"]').setValue('10')
    await wrapper.get('[data-testid="pace-select"]').setValue('500')
    await wrapper.get('[data-testid="start-counter-client"]').trigger('click')
    await flushPromises()
    expect(h.startsSent().map((s) => [s.kind, s.port, s.options])).toEqual([
      ['counter-server', 50008, { intervalMs: 0, countMode: 'per-client' }],
      ['counter-client', 50008, { intervalMs: 500, count: 10 }],
    ])
  })

  it('refuses a number of PINGs out of range, and starts nothing', async () => {
    const wrapper = await panel(['counter-server', 'counter-client'])
    for (const bad of ['0', 'ten', '1001']) {
      await wrapper.get('[data-testid="count-input"]').setValue(bad)
      expect(wrapper.get('[data-testid="count-input"]').attributes('aria-invalid')).toBe('true')
      await wrapper.get('[data-testid="start-counter-client"]').trigger('click')
      await flushPromises()
      expect(wrapper.get('[data-testid="control-error"]').text()).toBe(
        `PINGs “${bad}”: enter a whole number from 1 to 1000`,
      )
    }
    expect(h.startsSent()).toEqual([])
    // The server does not need PINGs: it still starts.
    await wrapper.get('[data-testid="start-counter-server"]').trigger('click')
    await flushPromises()
    expect(h.startsSent().map((s) => s.kind)).toEqual(['counter-server'])
  })
})
