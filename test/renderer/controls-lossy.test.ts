// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import type { ActorKind } from '@shared/lab'
import { setApi } from '@renderer/bridge'
import { byTestId as field, controlsHarness, type ControlsHarness } from './controls-harness'
import { TraceBuilder } from './fixtures'
import { clientRun, lossyClient, lossyServer, serverUp } from './lossy-fixtures'

// The Lossy UDP lab's controls: the server's drop probability, seed and drop list, the
// client's timeout, the relay's impairments, and a client blocked with no timeout.

let h: ControlsHarness
beforeEach(() => {
  h = controlsHarness()
})
afterEach(() => {
  vi.useRealTimers()
  setApi(undefined)
})

const ALL: ActorKind[] = ['lossy-server', 'udp-relay', 'lossy-client']

const panel = (kinds: ActorKind[] = ALL) => h.mountPanel('lossy-udp', 50011, kinds)

describe('ControlsPanel in the Lossy UDP lab', () => {
  it('shows each field only where the step offers an actor that reads it', async () => {
    const serverOnly = await panel(['lossy-server'])
    for (const id of ['drop-rate-input', 'seed-input', 'drop-list-input']) {
      expect(serverOnly.find(`[data-testid="${id}"]`).exists()).toBe(true)
    }
    expect(serverOnly.find('[data-testid="timeout-select"]').exists()).toBe(false)
    expect(serverOnly.find('[data-testid="relay-options"]').exists()).toBe(false)
    const clientOnly = await panel(['lossy-client'])
    expect(clientOnly.find('[data-testid="timeout-select"]').exists()).toBe(true)
    expect(clientOnly.find('[data-testid="drop-rate-input"]').exists()).toBe(false)
    const udp = await panel(['udp-server', 'udp-client'])
    expect(udp.find('.lossy-options').exists()).toBe(false)
    const all = await panel()
    const labels = all.findAll('label').map((l) => l.text().trim().split('\n')[0])
    for (const label of [
      'Drop probability',
      'Seed',
      'Drop exactly these PINGs',
      'Timeout',
      'Forward to port',
      'Drop',
      'Delay (ms)',
      'Jitter (ms)',
      'Duplicate',
      'Reorder',
    ]) {
      expect(labels).toContain(label)
    }
    expect(
      all
        .get('[data-testid="timeout-select"]')
        .findAll('option')
        .map((o) => o.text()),
    ).toContain('None (wait forever)')
  })

  it('sends the probability and seed with the server, the timeout with the client', async () => {
    const w = await panel()
    await field(w, 'drop-rate-input').setValue('0.3')
    await field(w, 'seed-input').setValue('4242')
    await field(w, 'start-lossy-server').trigger('click')
    await field(w, 'count-input').setValue('20')
    await field(w, 'timeout-select').setValue('500')
    await field(w, 'start-lossy-client').trigger('click')
    await flushPromises()
    expect(h.startsSent().map((s) => [s.kind, s.options])).toEqual([
      ['lossy-server', { intervalMs: 0, seed: 4242, dropRate: 0.3 }],
      ['lossy-client', { intervalMs: 0, count: 20, timeoutMs: 500 }],
    ])
  })

  it('moves the text with the slider, and a new seed replaces the old one', async () => {
    const w = await panel(['lossy-server'])
    await field(w, 'drop-rate-slider').setValue('0.45')
    expect(field(w, 'drop-rate-input').element).toHaveProperty('value', '0.45')
    const before = (field(w, 'seed-input').element as HTMLInputElement).value
    expect(before).toMatch(/^\d+$/)
    let next = before
    for (let i = 0; i < 5 && next === before; i++) {
      await field(w, 'new-seed').trigger('click')
      next = (field(w, 'seed-input').element as HTMLInputElement).value
    }
    expect(next).toMatch(/^\d+$/)
    expect(next).not.toBe(before)
  })

  it('lets a drop list replace the probability, and names a bad entry', async () => {
    const w = await panel(['lossy-server'])
    await field(w, 'seed-input').setValue('7')
    await field(w, 'drop-list-input').setValue('7, 3 3')
    expect(field(w, 'drop-rate-input').attributes('disabled')).toBeDefined()
    expect(field(w, 'drop-rate-replaced').text()).toContain('Replaced by the list')
    await field(w, 'start-lossy-server').trigger('click')
    await flushPromises()
    expect(h.startsSent()[0]!.options).toEqual({ intervalMs: 0, seed: 7, dropList: [3, 7] })

    await field(w, 'drop-list-input').setValue('3, x7')
    expect(field(w, 'drop-list-input').attributes('aria-invalid')).toBe('true')
    expect(field(w, 'drop-list-error').text()).toContain('“x7” is not a PING number')
    // The server runs: Restart reads the fields, and a bad one leaves the server alone.
    await field(w, 'restart-lossy-server').trigger('click')
    await flushPromises()
    expect(field(w, 'control-error').text()).toBe(
      'Drop exactly these PINGs: “x7” is not a PING number — use whole numbers from 1, separated by commas, e.g. 3, 7',
    )
    expect(h.startsSent()).toHaveLength(1)
    // Nothing the student typed is lost.
    expect(field(w, 'drop-list-input').element).toHaveProperty('value', '3, x7')
  })

  it('refuses a probability or a seed out of range, with the field named', async () => {
    const w = await panel(['lossy-server'])
    await field(w, 'drop-rate-input').setValue('0.95')
    await field(w, 'start-lossy-server').trigger('click')
    await flushPromises()
    expect(field(w, 'control-error').text()).toBe(
      'Drop probability “0.95”: enter a number from 0 to 0.9, e.g. 0.3',
    )
    await field(w, 'drop-rate-input').setValue('0.2')
    await field(w, 'seed-input').setValue('-1')
    await field(w, 'start-lossy-server').trigger('click')
    await flushPromises()
    expect(field(w, 'control-error').text()).toBe(
      'Seed “-1”: enter a whole number from 0 to 4294967295',
    )
    expect(h.startsSent()).toEqual([])
    expect(field(w, 'drop-rate-input').element).toHaveProperty('value', '0.2')
  })

  it('sends the relay its target and impairments, and refuses a loop back to itself', async () => {
    const w = await panel()
    await field(w, 'seed-input').setValue('99')
    await field(w, 'relay-delay-input').setValue('800')
    await field(w, 'relay-jitter-input').setValue('50')
    await field(w, 'relay-duplicate-input').setValue('0.1')
    // The relay listens on the Port above, which is still the server's: refused.
    await field(w, 'start-udp-relay').trigger('click')
    await flushPromises()
    expect(field(w, 'control-error').text()).toContain(
      'Forward to port 50011 is the port the relay would listen on',
    )
    await field(w, 'port-input').setValue('50012')
    await field(w, 'start-udp-relay').trigger('click')
    await flushPromises()
    expect(h.startsSent().map((s) => [s.kind, s.port, s.options])).toEqual([
      [
        'udp-relay',
        50012,
        {
          intervalMs: 0,
          seed: 99,
          targetPort: 50011,
          impair: { drop: 0, delayMs: 800, jitterMs: 50, duplicate: 0.1, reorder: 0 },
        },
      ],
    ])
    await field(w, 'relay-reorder-input').setValue('half')
    expect(field(w, 'relay-field-error').text()).toBe(
      'Reorder “half”: enter a number from 0 to 0.9, e.g. 0.3',
    )
    await field(w, 'relay-delay-input').setValue('1.5')
    expect(field(w, 'relay-field-error').text()).toBe(
      'Delay (ms) “1.5”: enter a whole number of milliseconds from 0 to 10000',
    )
  })

  it('shows the seed the server announced', async () => {
    const b = new TraceBuilder()
    serverUp(b, lossyServer(), 31337)
    h.snapshot.trace = b.events
    const w = await panel(['lossy-server', 'lossy-client'])
    const used = field(w, 'seed-used')
    expect(used.text()).toContain('The server used seed 31337')
    await used.get('button').trigger('click')
    expect(field(w, 'seed-input').element).toHaveProperty('value', '31337')
    expect(used.find('button').exists()).toBe(false)
  })

  it('says when a client with no timeout is blocked in recvfrom(), and stops it', async () => {
    const b = new TraceBuilder()
    const s = lossyServer()
    const c = lossyClient()
    serverUp(b, s)
    clientRun(b, c, s, 2, { drop: [2], timeoutS: null, blockedAtEnd: true })
    h.snapshot.trace = b.events
    h.snapshot.actors = [
      {
        labId: 'lossy-udp',
        actorId: c.id,
        kind: 'lossy-client',
        state: 'running',
        address: '127.0.0.1:50011',
      },
    ]
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const w = await panel()
    // Not at once: an answer that comes quickly must not flash the warning.
    expect(w.find('[data-testid="blocked-receive"]').exists()).toBe(false)
    vi.advanceTimersByTime(300)
    await flushPromises()
    const blocked = field(w, 'blocked-receive')
    expect(blocked.text()).toContain('Blocked in recvfrom()')
    expect(blocked.text()).toContain('waiting for PONG 2')
    await field(w, 'cancel-blocked').trigger('click')
    await flushPromises()
    expect(h.host.calls.filter((x) => x.channel === 'actor:stop').map((x) => x.args)).toEqual([
      { labId: 'lossy-udp', actorId: c.id },
    ])
  })
})
