// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import type { TraceEvent } from '@shared/trace'
import { useSessionStore } from '@renderer/stores/session'
import CheckpointPanel from '@renderer/features/steps/CheckpointPanel.vue'
import { formatClock } from '@renderer/format'
import { fakeLab } from './fixtures'

const specs = fakeLab().checkpoints

describe('CheckpointPanel', () => {
  it('shows a passed checkpoint with its time and evidence, and a pending one with reason and hint', async () => {
    const passedAt = '2025-03-04T14:03:22.000Z'
    const wrapper = mount(CheckpointPanel, {
      props: {
        checkpoints: specs,
        results: [
          {
            id: 'tcp-server-listening',
            passed: true,
            reason: 'tcp-server#1 called listen() on 127.0.0.1:50007',
            evidence: [3],
            passedAt,
          },
          {
            id: 'tcp-five-pongs',
            passed: false,
            reason: 'The client received 2 of 5 PONGs.',
            evidence: [],
          },
        ],
      },
    })
    const passed = wrapper.get('[data-testid="checkpoint-tcp-server-listening"]')
    expect(passed.attributes('data-passed')).toBe('true')
    expect(passed.text()).toContain('The TCP server is listening')
    expect(passed.text()).toContain(`Passed at ${formatClock(passedAt)}`)
    expect(passed.text()).toContain('called listen() on 127.0.0.1:50007')
    expect(passed.find('.tick').exists()).toBe(true)

    const pending = wrapper.get('[data-testid="checkpoint-tcp-five-pongs"]')
    expect(pending.attributes('data-passed')).toBe('false')
    expect(pending.text()).toContain('The client received 2 of 5 PONGs.')
    expect(pending.text()).toContain('Run the TCP client while the server is running.')
    expect(pending.find('.tick').exists()).toBe(false)

    await passed.get('button.seq').trigger('click')
    expect(wrapper.emitted('select')?.[0]).toEqual([3])
    expect(wrapper.text()).toContain('1 / 2')
  })

  it('shows what the progress file kept when the session has no result yet', () => {
    const wrapper = mount(CheckpointPanel, {
      props: {
        checkpoints: specs,
        results: [],
        saved: {
          'tcp-five-pongs': {
            passedAt: '2025-03-04T09:15:00.000Z',
            reason: 'Five PONGs received over one connection',
            evidence: ['#12 tcp-client#2 recv PONG'],
          },
        },
      },
    })
    const saved = wrapper.get('[data-testid="checkpoint-tcp-five-pongs"]')
    expect(saved.attributes('data-passed')).toBe('true')
    // An older file numbered the event in a session that is gone: the number is not shown.
    expect(saved.get('ul.saved').text()).toBe('tcp-client#2 recv PONG')
    const other = wrapper.get('[data-testid="checkpoint-tcp-server-listening"]')
    expect(other.attributes('data-passed')).toBe('false')
    expect(other.text()).toContain('Not checked yet.')
  })

  it('labels an evidence chip as the event log shows its row, never by a sequence number (issue 16)', () => {
    setActivePinia(createPinia())
    const at = (seq: number, t: number, actor: string, op: TraceEvent['op']) =>
      ({
        seq,
        t,
        actor,
        actorKind: actor.split('#')[0],
        role: 'server',
        proto: 'udp',
        op,
        level: 'info',
      }) as TraceEvent
    useSessionStore().trace = [
      at(9, 1200, 'lossy-server#1', 'note'),
      at(11, 1234.5, 'lossy-server#1', 'drop'),
      at(14, 2250, 'lossy-client#1', 'timeout'),
    ]
    const wrapper = mount(CheckpointPanel, {
      props: {
        checkpoints: specs,
        results: [{ id: 'tcp-five-pongs', passed: true, reason: 'x', evidence: [11, 14] }],
      },
    })
    const chips = wrapper.findAll('button.seq').map((b) => b.text())
    expect(chips).toStrictEqual(['1234.5 lossy-server#1 drop', '2250.0 lossy-client#1 timeout'])
    expect(wrapper.text()).not.toContain('#11')
  })
})
