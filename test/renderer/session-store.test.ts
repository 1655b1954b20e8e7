// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { packTrace } from '@shared/trace-wire'
import { MAX_TRACE_EVENTS } from '@shared/ipc'
import { createPinia, setActivePinia } from 'pinia'
import { isReactive } from 'vue'
import { createClientApi } from '@shared/client-api'
import type { ActorStatus } from '@shared/actors'
import { setApi } from '@renderer/bridge'
import { useSessionStore } from '@renderer/stores/session'
import { useNoticesStore } from '@renderer/stores/notices'
import { useLabsStore } from '@renderer/stores/labs'
import { FakeTransport, HostError } from './fake-transport'
import { fakeLab, tcpPingPongTrace } from './fixtures'

const trace = tcpPingPongTrace(2)
let host: FakeTransport

beforeEach(() => {
  setActivePinia(createPinia())
  host = new FakeTransport()
    .handle('session:open', ({ labId }) => ({
      labId,
      trace: trace.slice(0, 5),
      actors: [],
      checkpoints: [],
    }))
    .handle('session:close', () => null)
    .handle('session:clear', ({ labId }) => ({ labId, trace: [], actors: [], checkpoints: [] }))
    .handle('session:stopAll', () => null)
    .handle('actor:stop', () => null)
    .handle('actor:start', ({ labId, kind, host: h, port }) => {
      if (port === 50007) {
        throw new HostError(
          'failed',
          `Port ${port} is already in use: stop the other program or choose another port`,
        )
      }
      return { labId, actorId: `${kind}#9`, kind, state: 'running', address: `${h}:${port}` }
    })
    .handle('labs:get', () => fakeLab())
    .handle('labs:list', () => ({
      labs: [],
      errors: [{ file: 'broken/lab.yaml', field: 'steps.0.title', message: 'Required' }],
    }))
  setApi(createClientApi(host))
})
afterEach(() => setApi(undefined))

describe('session store', () => {
  it('opens with the snapshot, appends batches once, and never makes events deep-reactive', async () => {
    const session = useSessionStore()
    await session.open('ping-pong')
    expect(session.trace).toHaveLength(5)
    // A batch that overlaps the snapshot: duplicates are skipped.
    host.emit('trace:batch', { labId: 'ping-pong', trace: packTrace(trace.slice(3, 10)) })
    expect(session.trace.map((e) => e.seq)).toEqual(trace.slice(0, 10).map((e) => e.seq))
    // Another lab's batch is ignored.
    host.emit('trace:batch', { labId: 'counter', trace: packTrace(trace.slice(10)) })
    expect(session.trace).toHaveLength(10)
    expect(isReactive(session.trace[0])).toBe(false)
    expect(session.traceVersion).toBeGreaterThan(0)
  })

  it('keeps one append-only log: batches extend its epoch once a frame, Clear starts a new one', async () => {
    const session = useSessionStore()
    await session.open('ping-pong')
    const opened = session.log.epoch
    expect(session.log.length).toBe(5)
    const frame = () => new Promise((resolve) => setTimeout(resolve, 50))

    host.emit('trace:batch', { labId: 'ping-pong', trace: packTrace(trace.slice(5, 8)) })
    host.emit('trace:batch', { labId: 'ping-pong', trace: packTrace(trace.slice(8, 10)) })
    // Stored at once, announced with the next frame, in the same epoch and the same array.
    expect(session.log.events).toHaveLength(10)
    expect(session.log.length).toBe(5)
    await frame()
    expect(session.log.length).toBe(10)
    expect(session.log.epoch).toBe(opened)
    expect(session.log.events).toBe(session.trace)

    await session.clear()
    expect(session.log.epoch).toBeGreaterThan(opened)
    expect(session.log.length).toBe(0)
    expect(session.log.events).toHaveLength(0)
  })

  it('shows a rejected start next to the controls and keeps working', async () => {
    const session = useSessionStore()
    await session.open('ping-pong')
    await session.startActor('tcp-server', '127.0.0.1', 50007)
    expect(session.controlError).toMatch(/Port 50007 is already in use/)
    const status = await session.startActor('tcp-server', '127.0.0.1', 50008)
    expect(status?.state).toBe('running')
    expect(session.controlError).toBe('')
    expect(session.latestOfKind('tcp-server')?.address).toBe('127.0.0.1:50008')
  })

  it('passes the pace on as intervalMs, and main’s own validation message through', async () => {
    const session = useSessionStore()
    await session.open('ping-pong')
    await session.startActor('tcp-client', '127.0.0.1', 50010, { intervalMs: 500 })
    const call = host.calls.find((c) => c.channel === 'actor:start')!
    expect(call.args).toMatchObject({ options: { intervalMs: 500 } })
    await session.startActor('tcp-server', '127.0.0.1', 80)
    expect(session.controlError).toMatch(/Ports below 1024 are privileged/)
  })

  it('tracks actor statuses and reports a failure under the controls', async () => {
    const session = useSessionStore()
    await session.open('ping-pong')
    const base: ActorStatus = {
      labId: 'ping-pong',
      actorId: 'tcp-client#3',
      kind: 'tcp-client',
      state: 'running',
      address: '127.0.0.1:50007',
    }
    host.emit('actor:status', base)
    expect(session.latestOfKind('tcp-client')?.state).toBe('running')
    host.emit('actor:status', {
      ...base,
      state: 'failed',
      message: 'Connection refused: is the server running?',
    })
    expect(session.actors).toHaveLength(1)
    expect(session.controlError).toBe(
      'TCP client failed: Connection refused: is the server running?',
    )
  })

  it('takes checkpoint updates, clears, and closes (unsubscribing)', async () => {
    const session = useSessionStore()
    await session.open('ping-pong')
    host.emit('checkpoints:update', {
      labId: 'ping-pong',
      results: [{ id: 'tcp-server-listening', passed: true, reason: 'ok', evidence: [3] }],
    })
    expect(session.checkpointById.get('tcp-server-listening')?.passed).toBe(true)
    await session.clear()
    expect(session.trace).toHaveLength(0)
    expect(host.listenerCount('trace:batch')).toBe(1)
    await session.close()
    expect(host.listenerCount('trace:batch')).toBe(0)
    expect(host.listenerCount('actor:status')).toBe(0)
    expect(host.calls.at(-1)).toMatchObject({
      channel: 'session:close',
      args: { labId: 'ping-pong' },
    })
    expect(session.labId).toBeNull()
  })
})

describe('labs and notices stores', () => {
  it('keeps load errors next to the list', async () => {
    const labs = useLabsStore()
    await labs.loadList()
    expect(labs.errors[0]).toMatchObject({ field: 'steps.0.title', message: 'Required' })
    const lab = await labs.loadLab('ping-pong')
    expect(lab?.steps).toHaveLength(2)
  })

  it('shows notices from main until dismissed', () => {
    const notices = useNoticesStore()
    notices.listen()
    host.emit('app:notice', { level: 'warn', message: 'Your progress file was unreadable' })
    expect(notices.items).toHaveLength(1)
    notices.dismiss(notices.items[0]!.id)
    expect(notices.items).toHaveLength(0)
    notices.stop()
  })
})

describe('the page keeps the same trace budget as main', () => {
  it('past MAX_TRACE_EVENTS drops the oldest quarter into a new array and counts them', async () => {
    const session = useSessionStore()
    await session.open('ping-pong')
    const first = session.trace
    const epoch = session.log.epoch
    const base = trace[0]!
    const batch = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({ ...base, seq: from + i, payload: `P${from + i}` }))
    // Past the snapshot's 5: enough to cross the budget once.
    const total = MAX_TRACE_EVENTS + 10
    for (let from = 6; from < 6 + total; from += 50_000) {
      host.emit('trace:batch', {
        labId: 'ping-pong',
        trace: packTrace(batch(from, Math.min(50_000, 6 + total - from))),
      })
    }
    const keep = (MAX_TRACE_EVENTS * 3) / 4
    expect(session.trace.length).toBeLessThanOrEqual(MAX_TRACE_EVENTS)
    expect(session.trace.length).toBeGreaterThanOrEqual(keep)
    expect(session.trace).not.toBe(first)
    // Trimmed: a new epoch of the log, so every view rebuilds from what is left.
    expect(session.log.events).toBe(session.trace)
    expect(session.log.epoch).toBeGreaterThan(epoch)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(session.log.length).toBe(session.trace.length)
    expect(session.omitted + session.trace.length).toBe(total + 5)
    expect(session.trace.at(-1)!.seq).toBe(5 + total)
  }, 20_000)

  it('takes what main left out from the snapshot', async () => {
    host.handle('session:open', ({ labId }) => ({
      labId,
      trace: trace.slice(0, 5),
      omitted: 1234,
      actors: [],
      checkpoints: [],
    }))
    const session = useSessionStore()
    await session.open('ping-pong')
    expect(session.omitted).toBe(1234)
  })
})
