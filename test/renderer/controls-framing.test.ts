// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import type { ActorKind } from '@shared/lab'
import { setApi } from '@renderer/bridge'
import { byTestId as field, controlsHarness, type ControlsHarness } from './controls-harness'

// Lab 5's framing step: the framing relay's target, split and merge fields, and the two clients.

let h: ControlsHarness
beforeEach(() => {
  h = controlsHarness()
})
afterEach(() => setApi(undefined))

const FRAMING: ActorKind[] = ['calc-server', 'framing-relay', 'naive-client', 'line-client']

const panel = (kinds: ActorKind[] = FRAMING) => h.mountPanel('protocol', 50020, kinds)

describe('ControlsPanel in the framing step', () => {
  it('shows the framing fields only where the step offers the framing relay', async () => {
    const w = await panel()
    const labels = w.get('[data-testid="framing-options"] .grid').findAll('label')
    expect(labels.map((l) => l.text().trim())).toEqual([
      'Relay port',
      'Forward to port',
      'Split into pieces of (bytes)',
      'Merge window (ms)',
    ])
    expect(w.get('.count span').text()).toBe('Requests')
    expect(field(w, 'start-framing-relay').text()).toBe('Start framing relay')
    expect(field(w, 'start-naive-client').text()).toBe('Run naive client')
    expect(field(w, 'start-line-client').text()).toBe('Run line client')
    const without = await panel(['calc-server', 'line-client'])
    expect(without.find('[data-testid="framing-options"]').exists()).toBe(false)
  })

  it('starts the relay on its own port, forwarding to Port, and refuses a loop to itself', async () => {
    const w = await panel()
    // "Forward to port" follows Port until edited.
    await field(w, 'port-input').setValue('50030')
    expect(field(w, 'framing-target-port').element).toHaveProperty('value', '50030')
    await field(w, 'framing-relay-port').setValue('50030')
    await field(w, 'start-framing-relay').trigger('click')
    await flushPromises()
    expect(field(w, 'control-error').text()).toContain(
      'Relay port 50030 is also the port it forwards to',
    )
    expect(h.startsSent()).toEqual([])

    await field(w, 'framing-relay-port').setValue('50031')
    await field(w, 'framing-split-input').setValue('4')
    await field(w, 'framing-merge-input').setValue('120')
    for (const kind of ['calc-server', 'framing-relay', 'naive-client']) {
      await field(w, `start-${kind}`).trigger('click')
      await flushPromises()
    }
    // Straight to the server: the clients skip the relay.
    await field(w, 'framing-route-direct').setValue(true)
    await field(w, 'start-line-client').trigger('click')
    await flushPromises()
    expect(h.startsSent().map((s) => [s.kind, s.port, s.options])).toEqual([
      ['calc-server', 50030, { intervalMs: 0 }],
      ['framing-relay', 50031, { intervalMs: 0, targetPort: 50030, splitBytes: 4, mergeMs: 120 }],
      ['naive-client', 50031, { intervalMs: 0, count: 5 }],
      ['line-client', 50030, { intervalMs: 0, count: 5 }],
    ])
  })

  it('names the field at fault and keeps what was typed', async () => {
    const w = await panel()
    await field(w, 'framing-split-input').setValue('three')
    expect(field(w, 'framing-field-error').text()).toBe(
      'Split into pieces of (bytes) “three”: enter a whole number of bytes from 0 (off) to 65536',
    )
    await field(w, 'start-framing-relay').trigger('click')
    await flushPromises()
    expect(h.startsSent()).toEqual([])
    expect(field(w, 'framing-split-input').element).toHaveProperty('value', 'three')
    await field(w, 'framing-split-input').setValue('0')
    await field(w, 'framing-merge-input').setValue('9000')
    expect(field(w, 'framing-field-error').text()).toBe(
      'Merge window (ms) “9000”: enter a whole number of milliseconds from 0 (off) to 5000',
    )
    await field(w, 'framing-merge-input').setValue('')
    expect(field(w, 'framing-field-error').text()).toBe(
      'Merge window (ms) is empty: enter a whole number of milliseconds from 0 (off) to 5000',
    )
  })
})
