// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import type { ActorStatus } from '@shared/actors'
import { setApi } from '@renderer/bridge'
import { useSessionStore } from '@renderer/stores/session'
import { byTestId, controlsHarness, type ControlsHarness } from './controls-harness'

// Each control shows the real state of what it controls: a running server offers Stop and
// Restart, never a second Start; clients can be run again and again.

let h: ControlsHarness
let started: number
beforeEach(() => {
  h = controlsHarness()
  started = 0
  // Each start is a new actor; each stop is reported back as main does, by a status event.
  h.host
    .handle('actor:start', ({ labId, kind, host, port }) => ({
      labId,
      actorId: `${kind}#${++started}`,
      kind,
      state: 'running',
      address: `${host}:${port}`,
    }))
    .handle('actor:stop', ({ labId, actorId }) => {
      const a = useSessionStore().actors.find((s) => s.actorId === actorId)!
      h.host.emit('actor:status', { ...a, labId, state: 'stopped' })
      return null
    })
})
afterEach(() => setApi(undefined))

const running = (kind: ActorStatus['kind'], n = 1, port = 50007): ActorStatus => ({
  labId: 'ping-pong',
  actorId: `${kind}#${n}`,
  kind,
  state: 'running',
  address: `127.0.0.1:${port}`,
})

describe('ControlsPanel shows what runs', () => {
  it('a step that runs nothing has no host, port or pace to fill in, only Stop all and Clear trace', async () => {
    const w = await h.mountPanel('protocol', 50020, [])
    expect(w.find('[data-testid="port-input"]').exists()).toBe(false)
    expect(w.find('[data-testid="pace-select"]').exists()).toBe(false)
    expect(w.get('.no-actors').text()).toBe('Nothing to run in this step.')
    expect(byTestId(w, 'stop-all').text()).toBe('Stop all')
    expect(w.find('[data-testid="reset-step"]').exists()).toBe(false)
    // Each actor is tagged with its id, so a restart can be told from the run before it.
    const other = await h.mountPanel('ping-pong', 50007, ['udp-server'])
    await byTestId(other, 'start-udp-server').trigger('click')
    await flushPromises()
    expect(byTestId(other, 'actor-status-udp-server').attributes('data-actor-id')).toBe(
      'udp-server#1',
    )
    expect(other.find('[data-testid="port-input"]').exists()).toBe(true)
  })

  it('turns Start into Stop and Restart while the server it started runs', async () => {
    const w = await h.mountPanel('ping-pong', 50007, ['udp-server', 'udp-client'])
    await byTestId(w, 'start-udp-server').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid="start-udp-server"]').exists()).toBe(false)
    expect(byTestId(w, 'running-udp-server').text()).toBe('UDP server running')
    expect(byTestId(w, 'actor-status-udp-server').text()).toContain('on 127.0.0.1:50007')
    expect(byTestId(w, 'stop-udp-server').text()).toBe('Stop')
    expect(byTestId(w, 'restart-udp-server').text()).toBe('Restart')

    await byTestId(w, 'stop-udp-server').trigger('click')
    await flushPromises()
    expect(byTestId(w, 'actor-status-udp-server').attributes('data-state')).toBe('stopped')
    expect(byTestId(w, 'start-udp-server').text()).toBe('Start UDP server')
    expect(w.find('[data-testid="restart-udp-server"]').exists()).toBe(false)
    expect(h.startsSent()).toHaveLength(1)
  })

  it('shows a server started in an earlier step as running, with no Start to click', async () => {
    h.snapshot.actors = [running('udp-server')]
    const w = await h.mountPanel('ping-pong', 50007, ['udp-server', 'udp-client'])
    expect(w.find('[data-testid="start-udp-server"]').exists()).toBe(false)
    expect(byTestId(w, 'running-udp-server').text()).toBe('UDP server running')
    expect(w.find('[data-testid="stop-udp-server"]').exists()).toBe(true)
    // The client uses it: it is still there to run.
    expect(byTestId(w, 'start-udp-client').text()).toBe('Run UDP client')
  })

  it('restarts a running server: stops it, then starts it with the fields as they are now', async () => {
    h.snapshot.actors = [running('tcp-server', 1)]
    const w = await h.mountPanel('ping-pong', 50007, ['tcp-server', 'tcp-client'])
    await byTestId(w, 'port-input').setValue('50100')
    await byTestId(w, 'restart-tcp-server').trigger('click')
    await flushPromises()
    const channels = h.host.calls.map((c) => c.channel)
    expect(channels.indexOf('actor:stop')).toBeLessThan(channels.indexOf('actor:start'))
    expect(h.startsSent().map((s) => [s.kind, s.port])).toEqual([['tcp-server', 50100]])
    expect(byTestId(w, 'actor-status-tcp-server').text()).toContain('on 127.0.0.1:50100')
    expect(w.find('[data-testid="restart-tcp-server"]').exists()).toBe(true)
  })

  it('runs a client again and again, each run a start of its own', async () => {
    const w = await h.mountPanel('ping-pong', 50007, ['udp-server', 'udp-client'])
    await byTestId(w, 'start-udp-client').trigger('click')
    await flushPromises()
    h.host.emit('actor:status', { ...running('udp-client', 1), state: 'finished' })
    await flushPromises()
    await byTestId(w, 'start-udp-client').trigger('click')
    await flushPromises()
    expect(h.startsSent().map((s) => s.kind)).toEqual(['udp-client', 'udp-client'])
    expect(w.find('[data-testid="restart-udp-client"]').exists()).toBe(false)
  })

  it('keeps a console open once: Stop and Restart while it runs', async () => {
    h.snapshot.actors = [{ ...running('tcp-console'), labId: 'protocol' }]
    const w = await h.mountPanel('protocol', 50020, ['tcp-console'])
    expect(w.find('[data-testid="start-tcp-console"]').exists()).toBe(false)
    expect(byTestId(w, 'running-tcp-console').text()).toBe('TCP console running')
  })

  it('disables Start while its start call is on its way, so a double click starts one', async () => {
    let release!: () => void
    h.host.handle('actor:start', async ({ labId, kind, host, port }) => {
      await new Promise<void>((r) => (release = r))
      return { labId, actorId: `${kind}#9`, kind, state: 'running', address: `${host}:${port}` }
    })
    const w = await h.mountPanel('ping-pong', 50007, ['udp-server'])
    await byTestId(w, 'start-udp-server').trigger('click')
    expect(byTestId(w, 'start-udp-server').attributes('disabled')).toBeDefined()
    await byTestId(w, 'start-udp-server').trigger('click')
    release()
    await flushPromises()
    expect(h.startsSent()).toHaveLength(1)
  })

  it('clears a stale error when Stop all is clicked', async () => {
    const w = await h.mountPanel('ping-pong', 50007, ['udp-server'])
    h.host.handle('session:stopAll', () => null)
    useSessionStore().setControlError('UDP server failed: port already in use')
    await flushPromises()
    expect(w.find('[data-testid="control-error"]').exists()).toBe(true)
    await byTestId(w, 'stop-all').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid="control-error"]').exists()).toBe(false)
  })
})

describe('Restart with a field the student mistyped', () => {
  it('says what is wrong and leaves the running server alone', async () => {
    h.snapshot.actors = [running('tcp-server', 1)]
    const w = await h.mountPanel('ping-pong', 50007, ['tcp-server', 'tcp-client'])
    await byTestId(w, 'port-input').setValue('5o')
    await byTestId(w, 'restart-tcp-server').trigger('click')
    await flushPromises()
    expect(byTestId(w, 'control-error').text()).toContain('Port')
    expect(h.host.calls.map((c) => c.channel)).not.toContain('actor:stop')
    expect(w.find('[data-testid="running-tcp-server"]').exists()).toBe(true)
  })
})
