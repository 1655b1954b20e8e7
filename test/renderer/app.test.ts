// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { createMemoryHistory } from 'vue-router'
import { createClientApi } from '@shared/client-api'
import { setApi, connection } from '@renderer/bridge'
import { CONNECTION_LOST_MESSAGE } from '@renderer/bridge/ws-transport'
import { createAppRouter } from '@renderer/router'
import App from '@renderer/App.vue'
import { FakeTransport, HostError } from './fake-transport'
import { fakeLab, tcpPingPongTrace } from './fixtures'

let host: FakeTransport

beforeEach(() => {
  host = new FakeTransport()
    .handle('labs:list', () => ({
      labs: [
        {
          id: 'ping-pong',
          title: 'Ping-pong',
          summary: 'PING and PONG',
          order: 1,
          stepCount: 2,
          checkpointCount: 2,
        },
      ],
      errors: [{ file: 'broken/lab.yaml', field: 'steps.0.title', message: 'Required' }],
    }))
    .handle('labs:get', () => fakeLab())
    .handle('progress:get', () => ({
      version: 1,
      labs: {
        'ping-pong': {
          checkpoints: {
            'tcp-server-listening': {
              passedAt: '2025-01-01T10:00:00Z',
              reason: 'ok',
              evidence: [],
            },
          },
        },
      },
    }))
    .handle('session:open', ({ labId }) => ({
      labId,
      trace: tcpPingPongTrace(1),
      actors: [],
      checkpoints: [],
    }))
    .handle('session:close', () => null)
    .handle('actor:start', () => {
      throw new HostError('failed', 'Port 50007 is already in use: choose another port')
    })
  setApi(createClientApi(host))
})
afterEach(() => setApi(undefined))

async function mountApp(path: string) {
  const router = createAppRouter(createMemoryHistory())
  await router.push(path)
  const wrapper = mount(App, {
    global: { plugins: [createPinia(), router] },
    attachTo: document.body,
  })
  await flushPromises()
  return { wrapper, router }
}

describe('the app', () => {
  it('lists the labs with progress, and the lab files that failed to load', async () => {
    const { wrapper } = await mountApp('/')
    const card = wrapper.get('[data-testid="lab-card-ping-pong"]')
    expect(card.text()).toContain('Ping-pong')
    expect(card.text()).toContain('2 steps')
    expect(card.text()).toContain('1 / 2 checkpoints')
    expect(wrapper.get('[data-testid="load-errors"]').text()).toContain(
      'labs/broken/lab.yaml — steps.0.title: Required',
    )
    wrapper.unmount()
  })

  it('opens a lab session, shows the step, and closes the session on leaving', async () => {
    const { wrapper, router } = await mountApp('/lab/ping-pong')
    expect(host.calls.some((c) => c.channel === 'session:open')).toBe(true)
    expect(wrapper.get('[data-testid="step-text"]').html()).toContain('<strong>server</strong>')
    expect(wrapper.get('[data-testid="step-nav-tcp"]').classes()).toContain('current')
    expect(wrapper.get('[data-testid="port-input"]').element).toHaveProperty('value', '50007')
    // The diagram may pace its redraws on a busy machine: wait for it.
    await vi.waitFor(() =>
      expect(wrapper.findAll('[data-testid="diagram-arrow"]').length).toBeGreaterThan(0),
    )
    expect(wrapper.find('[data-testid="code-current-line"]').exists()).toBe(true)
    expect(
      wrapper.get('[data-testid="checkpoint-tcp-server-listening"]').attributes('data-passed'),
    ).toBe('true')

    const pace = wrapper.get('[data-testid="pace-select"]')
    expect(pace.findAll('option').map((o) => o.text())).toEqual([
      'Instant',
      'Slow (0.5 s)',
      'Step-by-step (1.5 s)',
    ])

    // The UI checks the port before asking main.
    await wrapper.get('[data-testid="port-input"]').setValue('80')
    await wrapper.get('[data-testid="start-tcp-server"]').trigger('click')
    expect(wrapper.get('[data-testid="control-error"]').text()).toContain(
      'Port 80: Ports below 1024 are privileged',
    )
    expect(host.calls.some((c) => c.channel === 'actor:start')).toBe(false)
    await wrapper.get('[data-testid="port-input"]').setValue('abc')
    await wrapper.get('[data-testid="start-tcp-server"]').trigger('click')
    expect(wrapper.get('[data-testid="control-error"]').text()).toContain('whole number')

    // Main's own rejection is shown too, and the app keeps working.
    await wrapper.get('[data-testid="port-input"]').setValue('50007')
    await wrapper.get('[data-testid="start-tcp-server"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="control-error"]').text()).toContain('already in use')

    // The compare step shows its comparison table.
    await router.push('/lab/ping-pong/compare')
    await flushPromises()
    await wrapper.get('[data-testid="diagram-tab-comparison"]').trigger('click')
    expect(wrapper.get('[data-testid="comparison-table"]').text()).toContain('close sends FIN')

    await router.push('/')
    await flushPromises()
    expect(host.calls.some((c) => c.channel === 'session:close')).toBe(true)
    wrapper.unmount()
  })

  it('shows a banner when the connection to the host is lost', async () => {
    const { wrapper } = await mountApp('/')
    connection.lost = true
    connection.message = CONNECTION_LOST_MESSAGE
    await flushPromises()
    // What to do that works: a reload would carry the old run's token.
    expect(wrapper.get('[data-testid="connection-lost"]').text()).toContain(
      'open the new address it prints',
    )
    connection.lost = false
    wrapper.unmount()
  })
})
