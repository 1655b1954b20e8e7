// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createClientApi } from '@shared/client-api'
import type { Check, CheckResult } from '@shared/checks'
import { setApi } from '@renderer/bridge'
import ChecksPanel from '@renderer/features/checks/ChecksPanel.vue'
import { FakeTransport } from './fake-transport'

let host: FakeTransport
let saved: Check[]

const adds: Check = {
  id: 'check-1',
  name: 'adds',
  proto: 'tcp',
  send: '2+3',
  newline: true,
  expect: { mode: 'exact', value: 'OK 5' },
  withinMs: 2000,
}

function result(over: Partial<CheckResult>): CheckResult {
  return {
    id: 'check-1',
    name: 'adds',
    proto: 'tcp',
    passed: false,
    sent: '2+3\n',
    received: 'OK 6\n',
    reply: 'OK 6',
    expect: adds.expect,
    diffIndex: 3,
    replyMs: 1.5,
    withinMs: 2000,
    ...over,
  }
}

beforeEach(() => {
  setActivePinia(createPinia())
  saved = [adds]
  host = new FakeTransport()
    .handle('progress:get', () => ({
      version: 1,
      labs: { protocol: { checkpoints: {}, checks: saved } },
    }))
    .handle('checks:save', ({ checks }) => (saved = checks))
  setApi(createClientApi(host))
})
afterEach(() => setApi(undefined))

const panel = () => mount(ChecksPanel, { props: { labId: 'protocol', defaultPort: 50020 } })

describe('ChecksPanel', () => {
  it('lists the saved checks and shows a failure as a transcript with a caret', async () => {
    host.handle('checks:run', ({ host: h, port }) => ({
      host: h,
      port,
      ranAt: '2025-01-01T00:00:00.000Z',
      results: [result({})],
    }))
    const wrapper = panel()
    await flushPromises()
    const item = wrapper.get('[data-testid="check-check-1"]')
    expect(item.text()).toContain('adds')
    expect(item.text()).toContain('send "2+3\\n" · expect exactly "OK 5" · within 2 s')
    await wrapper.get('[data-testid="checks-run-all"]').trigger('click')
    await flushPromises()
    expect(host.calls.find((c) => c.channel === 'checks:run')?.args).toMatchObject({
      labId: 'protocol',
      host: '127.0.0.1',
      port: 50020,
      checks: [adds],
    })
    expect(item.attributes('data-state')).toBe('failed')
    expect(wrapper.get('[data-testid="check-got"]').text()).toBe('OK 6\\n')
    expect(wrapper.get('[data-testid="check-expected"]').text()).toBe('OK 5')
    expect(wrapper.get('[data-testid="check-caret"]').text()).toBe('^')
    expect(wrapper.get('[data-testid="check-caret"]').element.textContent).toBe('   ^')
    expect(wrapper.get('[data-testid="check-report"]').text()).toContain('at character 4')
    expect(wrapper.get('[data-testid="checks-tally"]').text()).toContain('0 passed · 1 failed')
  })

  it('says "no reply within" instead of a reply', async () => {
    host.handle('checks:run', ({ host: h, port }) => ({
      host: h,
      port,
      ranAt: '2025-01-01T00:00:00.000Z',
      results: [
        result({ received: null, reply: null, diffIndex: null, problem: 'no reply within 2 s' }),
      ],
    }))
    const wrapper = panel()
    await flushPromises()
    await wrapper.get('[data-testid="check-run"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="check-problem"]').text()).toBe('no reply within 2 s')
    expect(wrapper.find('[data-testid="check-caret"]').exists()).toBe(false)
  })

  it('adds a check through the editor, refusing a bad pattern with the reason first', async () => {
    const wrapper = panel()
    await flushPromises()
    await wrapper.get('[data-testid="checks-add"]').trigger('click')
    await wrapper.get('[data-testid="check-name"]').setValue('errors')
    await wrapper.get('[data-testid="check-send"]').setValue('1/0')
    await wrapper.get('[data-testid="check-mode"]').setValue('regex')
    await wrapper.get('[data-testid="check-value"]').setValue('^ERROR (')
    await wrapper.get('[data-testid="check-editor"]').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[data-testid="check-value-error"]').text()).toBe(
      'Not a valid pattern: Unterminated group',
    )
    expect(host.calls.some((c) => c.channel === 'checks:save')).toBe(false)

    await wrapper.get('[data-testid="check-value"]').setValue('^ERROR division')
    await wrapper.get('[data-testid="check-within"]').setValue('0.5')
    await wrapper.get('[data-testid="check-editor"]').trigger('submit')
    await flushPromises()
    expect(saved).toHaveLength(2)
    expect(saved[1]).toMatchObject({
      id: 'check-2',
      name: 'errors',
      send: '1/0',
      newline: true,
      expect: { mode: 'regex', value: '^ERROR division' },
      withinMs: 500,
    })
    expect(wrapper.find('[data-testid="check-editor"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="checks-saved"]').text()).toBe('Saved')
  })

  it('edits and deletes a check, saving each change', async () => {
    const wrapper = panel()
    await flushPromises()
    await wrapper.get('[data-testid="check-edit"]').trigger('click')
    await wrapper.get('[data-testid="check-value"]').setValue('OK 6')
    await wrapper.get('[data-testid="check-editor"]').trigger('submit')
    await flushPromises()
    expect(saved).toEqual([{ ...adds, expect: { mode: 'exact', value: 'OK 6' } }])
    await wrapper.get('[data-testid="check-delete"]').trigger('click')
    await flushPromises()
    expect(saved).toEqual([])
    expect(wrapper.get('[data-testid="checks-tally"]').text()).toContain('No checks yet.')
  })
})

describe('ChecksPanel rows and editor', () => {
  it('shows a pass as one line with its time and limit', async () => {
    host.handle('checks:run', ({ host: h, port }) => ({
      host: h,
      port,
      ranAt: '2025-01-01T00:00:00.000Z',
      results: [result({ passed: true, received: 'OK 5\n', reply: 'OK 5', diffIndex: null })],
    }))
    const wrapper = panel()
    await flushPromises()
    await wrapper.get('[data-testid="check-run"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="check-check-1"]').attributes('data-state')).toBe('passed')
    expect(wrapper.find('[data-testid="check-report"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="check-passed-note"]').text()).toBe(
      'Passed: got OK 5 after 1.5 ms (limit 2 s).',
    )
    expect(wrapper.get('[data-testid="checks-tally"]').text()).toContain('1 passed · 0 failed')
  })

  it('opens the editor afresh on a second Edit, and Escape closes it without saving', async () => {
    const wrapper = panel()
    await flushPromises()
    await wrapper.get('[data-testid="check-edit"]').trigger('click')
    await wrapper.get('[data-testid="check-value"]').setValue('')
    await wrapper.get('[data-testid="check-name"]').setValue('')
    await wrapper.get('[data-testid="check-editor"]').trigger('submit')
    expect(wrapper.get('[data-testid="check-editor"]').text()).toContain('Name the check')
    await wrapper.get('[data-testid="check-edit"]').trigger('click')
    const name = wrapper.get('[data-testid="check-name"]').element as HTMLInputElement
    expect(name.value).toBe('adds')
    expect(wrapper.get('[data-testid="check-editor"]').text()).not.toContain('Name the check')
    await wrapper.get('[data-testid="check-editor"]').trigger('keydown', { key: 'Escape' })
    expect(wrapper.find('[data-testid="check-editor"]').exists()).toBe(false)
    expect(host.calls.some((c) => c.channel === 'checks:save')).toBe(false)
  })
})
