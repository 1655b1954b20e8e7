import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ActorOptions } from '@shared/actors'
import type { CheckpointResult } from '@shared/checkpoints'
import type { EventPayloads } from '@shared/ipc'
import { AppCore } from '../../src/main/core/app-core'
import { MAX_LIVE_ACTORS } from '../../src/main/session/lab-session'
import { freePort, HOST, labsDirWithPingPong, tempDir } from './helpers'

const cores: AppCore[] = []
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.dispose()))
})

async function newCore(userDataDir?: string) {
  const { labsDir } = await labsDirWithPingPong()
  const errors: Error[] = []
  const core = await AppCore.create({
    labsDir,
    userDataDir: userDataDir ?? (await tempDir('socket-labs-failures-')),
    onError: (e) => errors.push(e),
  })
  cores.push(core)
  return { core, errors }
}

describe('a checkpoint pass whose save fails', () => {
  it('keeps the process up, reports the failure and still shows the checkpoint passed', async () => {
    // A folder where progress.json should be: every save fails (a full disk behaves alike).
    const userDataDir = await tempDir('socket-labs-nosave-')
    await mkdir(join(userDataDir, 'progress.json'))
    const { core, errors } = await newCore(userDataDir)
    const updates: CheckpointResult[][] = []
    const passed = new Promise<void>((resolve) =>
      core.subscribe((channel, payload) => {
        if (channel !== 'checkpoints:update') return
        const { results } = payload as EventPayloads['checkpoints:update']
        updates.push(results)
        if (results.some((r) => r.id === 'tcp-five-pongs' && r.passed)) resolve()
      }),
    )
    expect((await core.invoke('session:open', { labId: 'ping-pong' })).ok).toBe(true)
    const session = core.session('ping-pong')!
    for (let i = 0; i < 5; i++) {
      session.record({
        actor: 'tcp-client#1',
        actorKind: 'tcp-client',
        role: 'client',
        proto: 'tcp',
        op: 'recv',
        level: 'info',
        conn: 'c1',
        payload: 'PONG',
      })
    }
    session.flush()
    await passed
    expect(errors.map((e) => e.message).join('\n')).toMatch(/Progress not saved/)
  })
})

describe('caps', () => {
  it(`refuses a program over ${MAX_LIVE_ACTORS} running in one lab, with what to do`, async () => {
    const { core } = await newCore()
    await core.invoke('session:open', { labId: 'ping-pong' })
    const session = core.session('ping-pong')!
    const port = await freePort()
    // Clients against nothing, slowed so they are all still running when the next comes.
    const options: Partial<ActorOptions> = { intervalMs: 10_000 }
    for (let i = 0; i < MAX_LIVE_ACTORS; i++) {
      session.startActor({ kind: 'udp-client', host: HOST, port, options })
    }
    const over = await core.invoke('actor:start', {
      labId: 'ping-pong',
      kind: 'udp-client',
      host: HOST,
      port,
      options,
    })
    expect(over.ok).toBe(false)
    expect(!over.ok && over.error.message).toMatch(
      new RegExp(`At most ${MAX_LIVE_ACTORS} programs can run in one lab at once`),
    )
    await session.stopAll()
    // Once they are stopped, starting works again.
    const again = await core.invoke('actor:start', {
      labId: 'ping-pong',
      kind: 'udp-server',
      host: HOST,
      port,
    })
    expect(again.ok).toBe(true)
  })
})

describe('a listener that throws', () => {
  it('is reported, and the other windows are still told', async () => {
    const { core, errors } = await newCore()
    const seen: string[] = []
    core.subscribe(() => {
      throw new Error('this window is gone')
    })
    core.subscribe((channel) => seen.push(channel))
    await core.invoke('session:open', { labId: 'ping-pong' })
    const session = core.session('ping-pong')!
    session.record({
      actor: 'udp-server#1',
      actorKind: 'udp-server',
      role: 'server',
      proto: 'udp',
      op: 'bind',
      level: 'info',
    })
    session.flush()
    expect(seen).toContain('trace:batch')
    expect(errors.map((e) => e.message)).toContain('this window is gone')
  })
})
