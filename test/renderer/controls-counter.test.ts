// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createClientApi } from '@shared/client-api'
import type { ActorKind } from '@shared/lab'
import { setApi } from '@renderer/bridge'
import { useSessionStore } from '@renderer/stores/session'
import ControlsPanel from '@renderer/components/ControlsPanel.vue'
import { FakeTransport } from './fake-transport'

// The controls of the Counter lab: a count-mode select where a step offers the counter
// server, a number of PINGs for clients, and what each start sends to the host.

let host: FakeTransport

beforeEach(async () => {
  setActivePinia(createPinia())
  host = new FakeTransport()
    .handle('session:open', ({ labId }) => ({ labId, trace: [], actors: [], checkpoints: [] }))
    .handle('session:close', () => null)
    .handle('actor:start', ({ labId, kind, host: h, port }) => ({
      labId,
      actorId: `${kind}#1`,
      kind,
      state: 'running',
      address: `${h}:${port}`,
    }))
  setApi(createClientApi(host))
  await useSessionStore().open('counter')
})
afterEach(() => setApi(undefined))

function panel(kinds: ActorKind[]) {
  return mount(ControlsPanel, { props: { labId: 'counter', defaultPort: 50008, kinds } })
}

/** The options of each actor:start the panel sent, by kind. */
function startsSent() {
  return host.calls
    .filter((c) => c.channel === 'actor:start')
    .map((c) => c.args as { kind: string; port: number; options: Record<string, unknown> })
}

describe('ControlsPanel in the Counter lab', () => {
  it('labels the counter actors, and offers the count mode only with the counter server', () => {
    const counter = panel(['counter-server', 'counter-client'])
    expect(counter.get('[data-testid="start-counter-server"]').text()).toBe('Start counter server')
    expect(counter.get('[data-testid="start-counter-client"]').text()).toBe('Run counter client')
    const select = counter.get<HTMLSelectElement>('[data-testid="count-mode-select"]')
    expect(select.element.value).toBe('shared')
    expect(select.findAll('option').map((o) => o.attributes('value'))).toEqual([
      'shared',
      'per-client',
    ])
    expect(
      panel(['udp-server', 'udp-client']).find('[data-testid="count-mode-select"]').exists(),
    ).toBe(false)
    // A step with only a client gets the PINGs field but no count mode.
    const clientOnly = panel(['counter-client'])
    expect(clientOnly.find('[data-testid="count-mode-select"]').exists()).toBe(false)
    expect(clientOnly.find('[data-testid="count-input"]').exists()).toBe(true)
  })

  it('sends the chosen count mode with the server, and the PINGs and pace with a client', async () => {
    const wrapper = panel(['counter-server', 'counter-client'])
    await wrapper.get('[data-testid="count-mode-select"]').setValue('per-client')
    await wrapper.get('[data-testid="start-counter-server"]').trigger('click')
    await wrapper.get('[data-testid="count-input"]').setValue('10')
    await wrapper.get('[data-testid="pace-select"]').setValue('500')
    await wrapper.get('[data-testid="start-counter-client"]').trigger('click')
    await flushPromises()
    expect(startsSent().map((s) => [s.kind, s.port, s.options])).toEqual([
      ['counter-server', 50008, { intervalMs: 0, countMode: 'per-client' }],
      ['counter-client', 50008, { intervalMs: 500, count: 10 }],
    ])
  })

  it('refuses a number of PINGs out of range, and starts nothing', async () => {
    const wrapper = panel(['counter-server', 'counter-client'])
    for (const bad of ['0', 'ten', '1001']) {
      await wrapper.get('[data-testid="count-input"]').setValue(bad)
      expect(wrapper.get('[data-testid="count-input"]').attributes('aria-invalid')).toBe('true')
      await wrapper.get('[data-testid="start-counter-client"]').trigger('click')
      await flushPromises()
      expect(wrapper.get('[data-testid="control-error"]').text()).toBe(
        `PINGs “${bad}”: enter a whole number from 1 to 1000`,
      )
    }
    expect(startsSent()).toEqual([])
    // The server does not need PINGs: it still starts.
    await wrapper.get('[data-testid="start-counter-server"]').trigger('click')
    await flushPromises()
    expect(startsSent().map((s) => s.kind)).toEqual(['counter-server'])
  })
})
