// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createClientApi } from '@shared/client-api'
import type { TraceEvent } from '@shared/trace'
import { setApi } from '@renderer/bridge'
import { useSessionStore } from '@renderer/stores/session'
import ConsolePanel from '@renderer/features/console/ConsolePanel.vue'
import { escapeSegments } from '@renderer/features/console/transcript'
import { FakeTransport } from './fake-transport'

let host: FakeTransport
const sent: string[] = []

function ev(seq: number, op: TraceEvent['op'], extra: Partial<TraceEvent> = {}): TraceEvent {
  return {
    seq,
    t: seq * 10,
    actor: 'tcp-console#1',
    actorKind: 'tcp-console',
    role: 'client',
    proto: 'tcp',
    op,
    level: 'info',
    ...extra,
  }
}

beforeEach(async () => {
  setActivePinia(createPinia())
  sent.length = 0
  host = new FakeTransport()
    .handle('session:open', ({ labId }) => ({ labId, trace: [], actors: [], checkpoints: [] }))
    .handle('session:close', () => null)
    .handle('actor:start', ({ labId, kind, host: h, port }) => {
      const status = {
        labId,
        actorId: `${kind}#1`,
        kind,
        state: 'running' as const,
        address: `${h}:${port}`,
      }
      host.emit('actor:status', status)
      return status
    })
    .handle('console:send', ({ text }) => {
      sent.push(text)
      return { bytes: text.length }
    })
  setApi(createClientApi(host))
  await useSessionStore().open('protocol')
})
afterEach(() => setApi(undefined))

describe('ConsolePanel', () => {
  it('opens a console, sends typed escapes as bytes with a \\n, and shows the transcript', async () => {
    const wrapper = mount(ConsolePanel, { props: { labId: 'protocol', defaultPort: 50020 } })
    await wrapper.get('[data-testid="console-port"]').setValue('50021')
    await wrapper.get('[data-testid="console-open"]').trigger('submit')
    await flushPromises()
    expect(host.calls.find((c) => c.channel === 'actor:start')?.args).toMatchObject({
      kind: 'tcp-console',
      host: '127.0.0.1',
      port: 50021,
    })
    const card = wrapper.get('[data-testid="console-tcp-console#1"]')
    expect(card.text()).toContain('TCP 127.0.0.1:50021')
    expect(card.get('[data-testid="console-state"]').text()).toBe('connected')

    await card.get('[data-testid="console-input"]').setValue('2\\t+ 3')
    await card.get('form.send-form').trigger('submit')
    await flushPromises()
    expect(sent).toEqual(['2\t+ 3\n'])
    await card.get('[data-testid="console-newline"]').setValue(false)
    await card.get('[data-testid="console-input"]').setValue('x')
    await card.get('form.send-form').trigger('submit')
    await flushPromises()
    expect(sent[1]).toBe('x')

    useSessionStore().appendEvents([
      ev(1, 'connect', { message: 'connected to 127.0.0.1:50021' }),
      ev(2, 'send', { payload: '2\\t+ 3\\n', bytes: 6 }),
      ev(3, 'recv', { payload: 'OK 5\\n', bytes: 5, rttMs: 1.25 }),
    ])
    await new Promise((r) => setTimeout(r, 40))
    await flushPromises()
    const received = card.get('[data-testid="console-line-received"]')
    expect(received.text()).toContain('OK 5\\n')
    expect(received.text()).toContain('5 B')
    expect(received.text()).toContain('after 1.3 ms')
    expect(received.find('.esc').text()).toBe('\\n')
    expect(
      card
        .get('[data-testid="console-line-sent"]')
        .findAll('.esc')
        .map((e) => e.text()),
    ).toEqual(['\\t', '\\n'])
  })

  it('shows why a console could not open', async () => {
    host.handle('actor:start', () => {
      throw new Error('Connection refused by 127.0.0.1:50020')
    })
    const wrapper = mount(ConsolePanel, { props: { labId: 'protocol', defaultPort: 50020 } })
    await wrapper.get('[data-testid="console-open"]').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[data-testid="console-open-error"]').text()).toContain('Connection refused')
    await wrapper.get('[data-testid="console-port"]').setValue('80')
    await wrapper.get('[data-testid="console-open"]').trigger('submit')
    expect(wrapper.get('[data-testid="console-open-error"]').text()).toBe(
      'Port 80: Ports below 1024 are privileged (only root may bind them): choose 1024–65535',
    )
  })

  it('cuts previews into text and written-out invisibles', () => {
    expect(escapeSegments('a\\tb\\r\\n\\x00')).toEqual([
      { text: 'a', escape: false },
      { text: '\\t', escape: true },
      { text: 'b', escape: false },
      { text: '\\r', escape: true },
      { text: '\\n', escape: true },
      { text: '\\x00', escape: true },
    ])
  })
})
