import { mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createClientApi } from '@shared/client-api'
import type { ActorStatus } from '@shared/actors'
import type { ActorKind } from '@shared/lab'
import type { TraceEvent } from '@shared/trace'
import { setApi } from '@renderer/bridge'
import { useSessionStore } from '@renderer/stores/session'
import ControlsPanel from '@renderer/features/controls/ControlsPanel.vue'
import { FakeTransport } from './fake-transport'

/**
 * What the ControlsPanel tests share: a fresh store and a fake main process that opens a
 * session with the trace and actors `snapshot` holds at that moment, answers every start
 * with a running actor and every stop. Call it in beforeEach; `setApi(undefined)` after.
 */
export function controlsHarness() {
  setActivePinia(createPinia())
  const snapshot: { trace: TraceEvent[]; actors: ActorStatus[] } = { trace: [], actors: [] }
  const host = new FakeTransport()
    .handle('session:open', ({ labId }) => ({
      labId,
      trace: snapshot.trace,
      actors: snapshot.actors,
      checkpoints: [],
    }))
    .handle('session:close', () => null)
    .handle('actor:stop', () => null)
    .handle('actor:start', ({ labId, kind, host: h, port }) => ({
      labId,
      actorId: `${kind}#1`,
      kind,
      state: 'running',
      address: `${h}:${port}`,
    }))
  setApi(createClientApi(host))

  /** Opens `labId`'s session, then mounts the controls of a step offering `kinds`. */
  async function mountPanel(labId: string, defaultPort: number, kinds: ActorKind[]) {
    await useSessionStore().open(labId)
    return mount(ControlsPanel, { props: { labId, defaultPort, kinds } })
  }

  /** Each actor:start the panel sent, in order. */
  function startsSent() {
    return host.calls
      .filter((c) => c.channel === 'actor:start')
      .map((c) => c.args as { kind: string; port: number; options: Record<string, unknown> })
  }

  return { host, snapshot, mountPanel, startsSent }
}

export type ControlsHarness = ReturnType<typeof controlsHarness>

/** The element with this data-testid; fails the test when there is none. */
export const byTestId = (w: VueWrapper, id: string) => w.get(`[data-testid="${id}"]`)
