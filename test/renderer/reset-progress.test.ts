// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createClientApi } from '@shared/client-api'
import type { TraceEvent } from '@shared/trace'
import { setApi } from '@renderer/bridge'
import { useSessionStore } from '@renderer/stores/session'
import ResetProgress from '@renderer/components/ResetProgress.vue'
import { FakeTransport } from './fake-transport'
import { TraceBuilder, actor } from './fixtures'

// Reset progress really resets: main forgets the trace with the progress, and the page
// shows the trace main has now, not the one it held before.

let host: FakeTransport
let mainTrace: TraceEvent[]
beforeEach(() => {
  setActivePinia(createPinia())
  const b = new TraceBuilder()
  b.tcpServerUp(actor('tcp-server#1', 'server', 'tcp'))
  mainTrace = b.events
  host = new FakeTransport()
    .handle('session:open', ({ labId }) => ({
      labId,
      trace: mainTrace,
      actors: [],
      checkpoints: [],
    }))
    .handle('session:close', () => null)
    .handle('progress:reset', () => {
      mainTrace = []
      return { version: 1, labs: {} }
    })
  setApi(createClientApi(host))
})
afterEach(() => setApi(undefined))

describe('Reset progress', () => {
  it('says what it does, then on the second click resets and empties the trace shown', async () => {
    const session = useSessionStore()
    await session.open('ping-pong')
    expect(session.trace.length).toBe(4)
    const w = mount(ResetProgress, { props: { labId: 'ping-pong' } })
    const button = w.get('[data-testid="reset-progress"]')
    expect(button.attributes('title')).toContain('clears its trace')

    await button.trigger('click')
    expect(w.get('[data-testid="reset-progress-note"]').text()).toBe(
      'Clears the trace and the passed checkpoints',
    )
    expect(host.calls.map((c) => c.channel)).not.toContain('progress:reset')

    await button.trigger('click')
    await flushPromises()
    expect(host.calls.map((c) => c.channel)).toEqual([
      'session:open',
      'progress:reset',
      'session:open',
    ])
    expect(session.trace).toEqual([])
    expect(w.find('[data-testid="reset-progress-note"]').exists()).toBe(false)
  })
})
