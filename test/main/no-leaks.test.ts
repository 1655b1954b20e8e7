import { describe, expect, it } from 'vitest'
import type { ActorStatus } from '@shared/actors'
import type { EventChannel, EventPayloads } from '@shared/ipc'
import { AppCore } from '../../src/main/core/app-core'
import { LabSession } from '../../src/main/session/lab-session'
import {
  freePort,
  freeUdpPort,
  handleBaseline,
  HOST,
  labsDirWithPingPong,
  sessionHooks,
  tempDir,
  waitForEvent,
  waitForNoSocketHandles,
} from './helpers'

/** Start a session with a TCP client paused mid-conversation and a UDP client mid-timeout. */
async function sessionMidway() {
  const { sink, hooks } = sessionHooks()
  const session = new LabSession('ping-pong', hooks)
  const tcpPort = await freePort()
  const tcpServer = session.startActor({ kind: 'tcp-server', host: HOST, port: tcpPort })
  await tcpServer.ready
  const tcpClient = session.startActor({
    kind: 'tcp-client',
    host: HOST,
    port: tcpPort,
    options: { intervalMs: 10_000 },
  })
  const udpServer = session.startActor({
    kind: 'udp-server',
    host: HOST,
    port: await freeUdpPort(),
  })
  await udpServer.ready
  // Nobody answers this one: it sits in recvfrom() with a long timeout.
  const udpClient = session.startActor({
    kind: 'udp-client',
    host: HOST,
    port: await freeUdpPort(),
    options: { timeoutMs: 60_000 },
  })
  await waitForEvent(session, sink, (e) => e.actor === tcpClient.id && e.op === 'recv')
  await waitForEvent(session, sink, (e) => e.actor === udpClient.id && e.op === 'sendto')
  const handles = [tcpServer, tcpClient, udpServer, udpClient]
  return { session, sink, handles }
}

describe('nothing leaks', () => {
  it('after a full TCP run and a full UDP run', async () => {
    const baseline = handleBaseline()
    const { hooks } = sessionHooks()
    const session = new LabSession('ping-pong', hooks)

    const tcpPort = await freePort()
    const tcpServer = session.startActor({ kind: 'tcp-server', host: HOST, port: tcpPort })
    await tcpServer.ready
    const tcpClient = session.startActor({ kind: 'tcp-client', host: HOST, port: tcpPort })
    expect((await tcpClient.done).state).toBe('finished')
    expect((await tcpServer.done).state).toBe('finished')

    const udpPort = await freeUdpPort()
    const udpServer = session.startActor({ kind: 'udp-server', host: HOST, port: udpPort })
    await udpServer.ready
    const udpClient = session.startActor({ kind: 'udp-client', host: HOST, port: udpPort })
    expect((await udpClient.done).state).toBe('finished')
    await session.stopActor(udpServer.id)

    expect(await waitForNoSocketHandles(baseline)).toEqual([])
    await session.dispose()
    expect(await waitForNoSocketHandles(baseline)).toEqual([])
  })

  it('after stopping runs midway (paused TCP client, UDP client in a long timeout)', async () => {
    const baseline = handleBaseline()
    const { session, handles } = await sessionMidway()
    expect(session.statuses().map((s) => s.state)).toEqual([
      'running',
      'running',
      'running',
      'running',
    ])
    // The handle check can itself fail: while actors run, their sockets and timers are open.
    expect(await waitForNoSocketHandles(baseline, 5)).not.toEqual([])

    const started = performance.now()
    await session.stopAll()
    // Stopping does not wait out the 10 s pause or the 60 s timeout.
    expect(performance.now() - started).toBeLessThan(2000)
    const outcomes = await Promise.all(handles.map((h) => h.done))
    expect(outcomes.map((s) => [s.actorId, s.state])).toEqual([
      ['tcp-server#1', 'stopped'],
      ['tcp-client#1', 'stopped'],
      ['udp-server#1', 'stopped'],
      ['udp-client#1', 'stopped'],
    ])
    expect(await waitForNoSocketHandles(baseline)).toEqual([])
    await session.dispose()
  })

  it('after session.dispose() with actors running', async () => {
    const baseline = handleBaseline()
    const { session, handles } = await sessionMidway()
    await session.dispose()
    for (const handle of handles) expect((await handle.done).state).toBe('stopped')
    expect(await waitForNoSocketHandles(baseline)).toEqual([])
    expect(() => session.startActor({ kind: 'tcp-server', host: HOST, port: 40000 })).toThrow(
      /session is closed/,
    )
    // Disposing twice is harmless.
    await session.dispose()
  })

  it('after actors are stopped the moment they start', async () => {
    const baseline = handleBaseline()
    const { hooks } = sessionHooks()
    const session = new LabSession('ping-pong', hooks)
    session.startActor({ kind: 'tcp-server', host: HOST, port: await freePort() })
    session.startActor({ kind: 'udp-server', host: HOST, port: await freeUdpPort() })
    session.startActor({ kind: 'udp-client', host: HOST, port: await freeUdpPort() })
    await session.dispose()
    expect(session.statuses().map((s) => s.state)).toEqual(['stopped', 'stopped', 'stopped'])
    expect(await waitForNoSocketHandles(baseline)).toEqual([])
  })

  describe('through AppCore', () => {
    async function newCore() {
      const { labsDir } = await labsDirWithPingPong()
      const core = await AppCore.create({ labsDir, userDataDir: await tempDir(), flushMs: 5 })
      const events: { channel: EventChannel; payload: EventPayloads[EventChannel] }[] = []
      core.subscribe((channel, payload) => events.push({ channel, payload }))
      const statuses = () =>
        events.filter((e) => e.channel === 'actor:status').map((e) => e.payload as ActorStatus)
      return { core, statuses }
    }

    async function startMidway(core: AppCore) {
      const tcpPort = await freePort()
      const start = async (kind: string, port: number, options = {}) => {
        const reply = await core.invoke('actor:start', {
          labId: 'ping-pong',
          kind,
          host: HOST,
          port,
          options,
        })
        expect(reply.ok).toBe(true)
      }
      await start('tcp-server', tcpPort)
      await start('tcp-client', tcpPort, { intervalMs: 10_000 })
      await start('udp-client', await freeUdpPort(), { timeoutMs: 60_000 })
      const session = core.session('ping-pong')!
      await new Promise<void>((resolve) => {
        const check = () =>
          session.trace.some((e) => e.actor === 'tcp-client#1' && e.op === 'recv')
            ? resolve()
            : setImmediate(check)
        check()
      })
    }

    it('session:close stops the running actors and closes their sockets', async () => {
      const baseline = handleBaseline()
      const { core, statuses } = await newCore()
      await startMidway(core)

      expect(await core.invoke('session:close', { labId: 'ping-pong' })).toEqual({
        ok: true,
        value: null,
      })
      expect(core.session('ping-pong')).toBeUndefined()
      const last = new Map(statuses().map((s) => [s.actorId, s.state]))
      expect(Object.fromEntries(last)).toEqual({
        'tcp-server#1': 'stopped',
        'tcp-client#1': 'stopped',
        'udp-client#1': 'stopped',
      })
      expect(await waitForNoSocketHandles(baseline)).toEqual([])
      await core.dispose()
    })

    it('core.dispose() with actors running leaves no socket or timer behind', async () => {
      const baseline = handleBaseline()
      const { core, statuses } = await newCore()
      await startMidway(core)
      await core.dispose()
      expect(
        new Set(
          statuses()
            .slice(-3)
            .map((s) => s.state),
        ),
      ).toEqual(new Set(['stopped']))
      expect(await waitForNoSocketHandles(baseline)).toEqual([])
    })
  })
})
