// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import type { ActorKind } from '@shared/lab'
import type { StepSettings } from '@shared/step-settings'
import { setApi } from '@renderer/bridge'
import { useSessionStore } from '@renderer/stores/session'
import ControlsPanel from '@renderer/features/controls/ControlsPanel.vue'
import { byTestId as field, controlsHarness, type ControlsHarness } from './controls-harness'

// Issue 16 item 5: a step opens with its declared settings, not the last step's; the
// student's own changes are named, with a way back; Reset step starts the step over.

let h: ControlsHarness
beforeEach(() => {
  h = controlsHarness()
})
afterEach(() => setApi(undefined))

const KINDS: ActorKind[] = ['lossy-server', 'lossy-client']
const NO_TIMEOUT: StepSettings = {
  'lossy-server': { dropRate: 0.5 },
  'lossy-client': { timeoutMs: 0, count: 10 },
}

async function panel(settings: StepSettings | undefined, stepId = 'no-timeout') {
  await useSessionStore().open('lossy-udp')
  return mount(ControlsPanel, {
    props: { labId: 'lossy-udp', defaultPort: 50011, kinds: KINDS, settings, stepId },
  })
}

const value = (w: ReturnType<typeof mount>, id: string) =>
  (field(w, id).element as HTMLInputElement).value

describe('ControlsPanel with a step’s settings', () => {
  it('opens the step with its declared settings and starts with them', async () => {
    const w = await panel(NO_TIMEOUT)
    expect(value(w, 'timeout-select')).toBe('0')
    expect(value(w, 'count-input')).toBe('10')
    expect(value(w, 'drop-rate-input')).toBe('0.5')
    expect(w.find('[data-testid="settings-changed"]').exists()).toBe(false)
    await field(w, 'start-lossy-client').trigger('click')
    await flushPromises()
    expect(h.startsSent()[0]!.options).toEqual({ intervalMs: 0, count: 10, timeoutMs: 0 })
  })

  it('names what the student changed, and puts the step’s settings back', async () => {
    const w = await panel(NO_TIMEOUT)
    await field(w, 'timeout-select').setValue('500')
    await field(w, 'pace-select').setValue('500')
    expect(field(w, 'settings-changed-fields').text()).toBe('Pace, Timeout')
    await field(w, 'reset-settings').trigger('click')
    expect(value(w, 'timeout-select')).toBe('0')
    expect(value(w, 'pace-select')).toBe('0')
    expect(w.find('[data-testid="settings-changed"]').exists()).toBe(false)
  })

  it('does not carry a setting into the next step', async () => {
    const w = await panel(NO_TIMEOUT)
    expect(value(w, 'timeout-select')).toBe('0')
    await w.setProps({ stepId: 'same-seed', settings: { 'lossy-client': { count: 20 } } })
    expect(value(w, 'timeout-select')).toBe('2000')
    expect(value(w, 'count-input')).toBe('20')
    expect(value(w, 'drop-rate-input')).toBe('0.3')
  })

  it('Reset step stops what the step runs, clears the trace and restores its settings', async () => {
    h.snapshot.actors = [
      {
        labId: 'lossy-udp',
        actorId: 'lossy-server#1',
        kind: 'lossy-server',
        state: 'running',
        address: '127.0.0.1:50011',
      },
    ]
    h.host.handle('session:clear', ({ labId }) => ({
      labId,
      trace: [],
      actors: [],
      checkpoints: [],
    }))
    const w = await panel(NO_TIMEOUT)
    await field(w, 'count-input').setValue('3')
    await field(w, 'reset-step').trigger('click')
    await flushPromises()
    const channels = h.host.calls.map((c) => c.channel)
    expect(channels).toContain('actor:stop')
    expect(channels.indexOf('session:clear')).toBeGreaterThan(channels.indexOf('actor:stop'))
    expect(value(w, 'count-input')).toBe('10')
  })
})
