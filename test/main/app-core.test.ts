import { once } from 'node:events'
import { readFile, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ActorStatus } from '@shared/actors'
import type { Progress } from '@shared/checkpoints'
import type { EventChannel, EventPayloads, Reply, SessionSnapshot } from '@shared/ipc'
import type { Lab, LabSummary } from '@shared/lab'
import type { TraceEvent } from '@shared/trace'
import { unpackTrace } from '@shared/trace-wire'
import { AppCore } from '../../src/main/core/app-core'
import { freePort, HOST, labsDirWithPingPong, tempDir } from './helpers'

const LAB = 'ping-pong'
const cores: AppCore[] = []
const servers: Server[] = []

afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.dispose()))
  await Promise.all(
    servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
  )
})

type Recorded = { [E in EventChannel]: { channel: E; payload: EventPayloads[E] } }[EventChannel]

async function newCore(dirs?: { labsDir: string; userDataDir: string }) {
  const { labsDir } = dirs ?? (await labsDirWithPingPong())
  const userDataDir = dirs?.userDataDir ?? (await tempDir('socket-labs-userdata-'))
  const core = await AppCore.create({ labsDir, userDataDir })
  cores.push(core)
  const events: Recorded[] = []
  const waiters: { match: (e: Recorded) => boolean; resolve: (e: Recorded) => void }[] = []
  core.subscribe((channel, payload) => {
    const event = { channel, payload } as Recorded
    events.push(event)
    for (const w of [...waiters]) {
      if (!w.match(event)) continue
      waiters.splice(waiters.indexOf(w), 1)
      w.resolve(event)
    }
  })
  /** Resolve with the first event (already seen or still to come) that matches. */
  const waitFor = (match: (e: Recorded) => boolean) =>
    new Promise<Recorded>((resolve) => {
      const seen = events.find(match)
      if (seen) resolve(seen)
      else waiters.push({ match, resolve })
    })
  const of = <E extends EventChannel>(channel: E) =>
    events.filter((e) => e.channel === channel).map((e) => e.payload as EventPayloads[E])
  return { core, events, waitFor, of, labsDir, userDataDir }
}

function value<T>(reply: Reply<unknown>): T {
  if (!reply.ok) throw new Error(`expected ok, got ${reply.error.code}: ${reply.error.message}`)
  return reply.value as T
}

function badRequest(reply: Reply<unknown>): string {
  expect(reply.ok).toBe(false)
  if (reply.ok) return ''
  expect(reply.error.code).toBe('bad-request')
  return reply.error.message
}

const startArgs = (over: Record<string, unknown> = {}) => ({
  labId: LAB,
  kind: 'tcp-server',
  host: HOST,
  port: 40000,
  ...over,
})

describe('AppCore labs', () => {
  it('labs:list summarises the loaded labs', async () => {
    const { core } = await newCore()
    const list = value<{ labs: LabSummary[]; errors: unknown[] }>(
      await core.invoke('labs:list', {}),
    )
    expect(list.errors).toEqual([])
    expect(list.labs).toHaveLength(1)
    const lab = value<Lab>(await core.invoke('labs:get', { labId: LAB }))
    expect(list.labs[0]).toEqual({
      id: LAB,
      title: lab.title,
      summary: lab.summary,
      order: lab.order,
      stepCount: lab.steps.length,
      checkpointCount: lab.checkpoints.length,
    })
    // No payload at all is fine for a channel that takes none.
    expect((await core.invoke('labs:list', undefined)).ok).toBe(true)
  })

  it('labs:get of an unknown lab is not-found', async () => {
    const { core } = await newCore()
    expect(await core.invoke('labs:get', { labId: 'no-such-lab' })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'There is no lab "no-such-lab"' },
    })
    expect(await core.invoke('session:open', { labId: 'no-such-lab' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    })
  })
})

describe('AppCore validates every payload', () => {
  it('rejects an unknown channel', async () => {
    const { core } = await newCore()
    expect(await core.invoke('labs:delete', {})).toEqual({
      ok: false,
      error: { code: 'bad-request', message: 'Unknown channel labs:delete' },
    })
    expect(badRequest(await core.invoke('__proto__', {}))).toBe('Unknown channel __proto__')
    expect(badRequest(await core.invoke(42, {}))).toBe('Unknown channel 42')
  })

  it('names a missing or mistyped labId', async () => {
    const { core } = await newCore()
    expect(badRequest(await core.invoke('labs:get', {}))).toMatch(/^labId: .*expected string/)
    expect(badRequest(await core.invoke('session:open', undefined))).toMatch(/^labId: /)
    expect(badRequest(await core.invoke('labs:get', { labId: 42 }))).toMatch(
      /^labId: .*expected string, received number/,
    )
    expect(badRequest(await core.invoke('labs:get', { labId: '' }))).toMatch(/^labId: /)
    expect(badRequest(await core.invoke('labs:get', 'ping-pong'))).toMatch(/expected object/)
    expect(badRequest(await core.invoke('actor:stop', { labId: LAB }))).toMatch(/^actorId: /)
  })

  it('rejects privileged, out-of-range and non-numeric ports with specific messages', async () => {
    const { core } = await newCore()
    const port = async (p: unknown) =>
      badRequest(await core.invoke('actor:start', startArgs({ port: p })))
    expect(await port(80)).toBe(
      'port: Ports below 1024 are privileged (only root may bind them): choose 1024–65535',
    )
    expect(await port(0)).toMatch(/^port: Port must be between 1024 and 65535/)
    expect(await port(70000)).toBe('port: Port must be at most 65535')
    expect(await port('abc')).toBe('port: Port must be a whole number')
    expect(await port('5000')).toBe('port: Port must be a whole number')
    expect(await port(5000.5)).toBe('port: Port must be a whole number')
    expect(await port(undefined)).toBe('port: Port must be a whole number')
  })

  it('rejects hosts that are not loopback', async () => {
    const { core } = await newCore()
    const host = async (h: unknown) =>
      badRequest(await core.invoke('actor:start', startArgs({ host: h })))
    expect(await host('10.0.0.1')).toBe(
      'host: Host must be a loopback address (127.x.x.x, localhost or ::1): the labs stay on this machine',
    )
    expect(await host('0.0.0.0')).toMatch(/^host: Host must be a loopback address/)
    expect(await host('example.com')).toMatch(/^host: Host must be a loopback address/)
    expect(await host('  ')).toMatch(/^host: Host is empty: enter an address such as 127\.0\.0\.1/)
  })

  it('rejects unknown actor kinds and junk option types', async () => {
    const { core } = await newCore()
    const start = async (over: Record<string, unknown>) =>
      badRequest(await core.invoke('actor:start', startArgs(over)))
    expect(await start({ kind: 'ftp-server' })).toMatch(
      /^kind: "ftp-server" is not a program the app can run \(it runs tcp-server, tcp-client, /,
    )
    expect(await start({ kind: 'tcp-client', options: { count: 'many' } })).toMatch(
      /^options\.count: .*expected number/,
    )
    expect(await start({ kind: 'tcp-client', options: { count: 0 } })).toMatch(/^options\.count: /)
    expect(await start({ kind: 'tcp-client', options: { timeoutMs: 5 } })).toMatch(
      /^options\.timeoutMs: /,
    )
    expect(await start({ kind: 'tcp-client', options: { intervalMs: -1 } })).toMatch(
      /^options\.intervalMs: /,
    )
    // Each kind takes its own options (the actor catalogue's): a server has no count.
    expect(await start({ options: { count: 5 } })).toBe(
      'options: tcp-server has no option "count"; it has: intervalMs',
    )
    expect(await start({ options: 'fast' })).toMatch(/^options: /)
    expect(await start({ labId: ['ping-pong'] })).toMatch(/^labId: /)
    // Several problems are all named, each with its field.
    const many = await start({ kind: 'x', port: 80, host: '8.8.8.8' })
    expect(many.split('; ').map((m) => m.split(':')[0])).toEqual(['kind', 'host', 'port'])
  })

  it('validation failures start nothing', async () => {
    const { core, events } = await newCore()
    await core.invoke('actor:start', startArgs({ port: 80 }))
    expect(core.session(LAB)).toBeUndefined()
    expect(events).toEqual([])
  })
})

describe('AppCore runs actors', () => {
  it('a busy port is a failed reply with the "already in use" message, and the core goes on', async () => {
    const busy = createServer()
    servers.push(busy)
    busy.listen({ host: HOST, port: 0, exclusive: true })
    await once(busy, 'listening')
    const port = (busy.address() as { port: number }).port

    const { core, waitFor } = await newCore()
    const reply = await core.invoke('actor:start', startArgs({ port }))
    expect(reply.ok).toBe(false)
    if (!reply.ok) {
      expect(reply.error.code).toBe('failed')
      expect(reply.error.message).toContain(`Port ${port} is already in use on ${HOST}`)
    }
    const failed = await waitFor(
      (e) => e.channel === 'actor:status' && (e.payload as ActorStatus).state === 'failed',
    )
    expect(failed.payload).toMatchObject({ actorId: 'tcp-server#1', labId: LAB })

    // The core still answers, and a server on a free port starts.
    expect((await core.invoke('labs:list', {})).ok).toBe(true)
    const free = await freePort()
    const status = value<ActorStatus>(await core.invoke('actor:start', startArgs({ port: free })))
    expect(status).toEqual({
      labId: LAB,
      actorId: 'tcp-server#2',
      kind: 'tcp-server',
      state: 'running',
      address: `${HOST}:${free}`,
    })
    expect(value(await core.invoke('actor:stop', { labId: LAB, actorId: 'tcp-server#2' }))).toBe(
      null,
    )
    expect(await core.invoke('actor:stop', { labId: LAB, actorId: 'tcp-server#9' })).toEqual({
      ok: false,
      error: { code: 'not-found', message: `No actor tcp-server#9 in ${LAB}` },
    })
  })

  it('a full TCP run emits batched traces, statuses and passed checkpoints, kept across restarts', async () => {
    const first = await newCore()
    const { core, waitFor, of } = first
    const port = await freePort()

    const server = value<ActorStatus>(await core.invoke('actor:start', startArgs({ port })))
    expect(server.state).toBe('running')
    const client = value<ActorStatus>(
      await core.invoke('actor:start', startArgs({ kind: 'tcp-client', port })),
    )
    expect(client).toMatchObject({ actorId: 'tcp-client#1', address: `${HOST}:${port}` })

    const bothPassed = (e: Recorded) => {
      if (e.channel !== 'checkpoints:update') return false
      const results = (e.payload as EventPayloads['checkpoints:update']).results
      return ['tcp-five-pongs', 'tcp-server-eof'].every(
        (id) => results.find((r) => r.id === id)?.passed,
      )
    }
    const update = (await waitFor(bothPassed)).payload as EventPayloads['checkpoints:update']
    await waitFor(
      (e) =>
        e.channel === 'actor:status' &&
        (e.payload as ActorStatus).actorId === 'tcp-server#1' &&
        (e.payload as ActorStatus).state === 'finished',
    )

    // Trace batches: every event exactly once, in order, in far fewer messages than events.
    const session = core.session(LAB)!
    const batches = of('trace:batch')
    const delivered = batches.flatMap((b) => unpackTrace(b.trace))
    expect(batches.every((b) => b.labId === LAB)).toBe(true)
    expect(delivered.map((e) => e.seq)).toEqual(session.trace.map((e) => e.seq))
    // Server: socket, bind, listen, note, accept, 5×(recv, send), eof, close, close = 18.
    // Client: socket, connect, 5×(send, recv), close = 13.
    expect(delivered).toHaveLength(31)
    expect(batches.length).toBeLessThanOrEqual(delivered.length / 3)

    // Statuses for both actors, ending in finished.
    const states = (id: string) =>
      of('actor:status')
        .filter((s) => s.actorId === id)
        .map((s) => s.state)
    expect(states('tcp-server#1')).toEqual(['starting', 'running', 'finished'])
    expect(states('tcp-client#1')).toEqual(['starting', 'running', 'finished'])

    // The checkpoint results carry evidence from this trace.
    expect(update.labId).toBe(LAB)
    const pongs = update.results.find((r) => r.id === 'tcp-five-pongs')!
    expect(pongs.evidence).toHaveLength(5)
    const bySeq = new Map(session.trace.map((e) => [e.seq, e]))
    for (const seq of pongs.evidence) expect(bySeq.get(seq)?.payload).toBe('PONG')
    expect(pongs.passedAt).toMatch(/^\d{4}-\d\d-\d\dT/)
    const otherIds = update.results.filter((r) => !r.id.startsWith('tcp-'))
    for (const r of otherIds) expect(r.passed).toBe(false)

    // Progress is on disk, with evidence lines.
    const file = JSON.parse(
      await readFile(join(first.userDataDir, 'progress.json'), 'utf8'),
    ) as Progress
    const saved = file.labs[LAB]!.checkpoints
    expect(Object.keys(saved).sort()).toEqual(['tcp-five-pongs', 'tcp-server-eof'])
    expect(saved['tcp-five-pongs']!.passedAt).toBe(pongs.passedAt)
    expect(saved['tcp-five-pongs']!.evidence).toHaveLength(5)
    // Both ends saw the five PONGs; the evidence is the client receiving them.
    expect(saved['tcp-five-pongs']!.evidence[0]).toMatch(
      /^tcp-client#1 recv "PONG" \(127\.0\.0\.1:\d+ ↔ 127\.0\.0\.1:\d+\)$/,
    )
    expect(saved['tcp-server-eof']!.evidence.map((line) => line.split(' ')[1])).toEqual([
      'eof',
      'close',
    ])
    expect(value<Progress>(await core.invoke('progress:get', {}))).toEqual(file)

    // A new core on the same folders (an app restart) reports them passed, with passedAt.
    await core.dispose()
    const second = await newCore({ labsDir: first.labsDir, userDataDir: first.userDataDir })
    const snapshot = value<SessionSnapshot>(
      await second.core.invoke('session:open', { labId: LAB }),
    )
    expect(snapshot.labId).toBe(LAB)
    expect(snapshot.trace).toEqual([])
    expect(snapshot.actors).toEqual([])
    const kept = new Map(snapshot.checkpoints.map((r) => [r.id, r]))
    expect(kept.get('tcp-five-pongs')).toMatchObject({
      passed: true,
      passedAt: saved['tcp-five-pongs']!.passedAt,
      reason: saved['tcp-five-pongs']!.reason,
      evidence: [],
    })
    expect(kept.get('tcp-server-eof')).toMatchObject({
      passed: true,
      passedAt: saved['tcp-server-eof']!.passedAt,
    })
    expect(kept.get('udp-timeouts')?.passed ?? false).toBe(false)
  })

  it('session:open includes the trace so far; session:clear empties it', async () => {
    const { core, waitFor } = await newCore()
    const port = await freePort()
    await core.invoke('actor:start', startArgs({ port }))
    await core.invoke('actor:start', startArgs({ kind: 'tcp-client', port, options: { count: 1 } }))
    for (const id of ['tcp-server#1', 'tcp-client#1']) {
      await waitFor(
        (e) =>
          e.channel === 'actor:status' &&
          (e.payload as ActorStatus).actorId === id &&
          (e.payload as ActorStatus).state === 'finished',
      )
    }
    const snapshot = value<SessionSnapshot>(await core.invoke('session:open', { labId: LAB }))
    expect(snapshot.trace.length).toBeGreaterThan(10)
    expect(snapshot.trace.map((e: TraceEvent) => e.seq)).toEqual(
      snapshot.trace.map((_, i) => i + 1),
    )
    expect(snapshot.actors.map((a) => a.actorId)).toEqual(['tcp-server#1', 'tcp-client#1'])

    const cleared = value<SessionSnapshot>(await core.invoke('session:clear', { labId: LAB }))
    expect(cleared.trace).toEqual([])
    const lastSeq = snapshot.trace.at(-1)!.seq
    const port2 = await freePort()
    await core.invoke('actor:start', startArgs({ kind: 'udp-server', port: port2 }))
    const next = value<SessionSnapshot>(await core.invoke('session:open', { labId: LAB }))
    expect(next.trace[0]!.seq).toBeGreaterThan(lastSeq)
    expect(next.actors.map((a) => [a.actorId, a.state])).toEqual([['udp-server#1', 'running']])
    expect(value(await core.invoke('session:stopAll', { labId: LAB }))).toBe(null)
    expect(core.session(LAB)!.statuses()[0]!.state).toBe('stopped')
  })

  it('progress:reset forgets a lab and re-announces its checkpoints', async () => {
    const { core, waitFor, userDataDir } = await newCore()
    await core.progress.markPassed(LAB, 'tcp-five-pongs', {
      passedAt: '2025-01-01T00:00:00.000Z',
      reason: 'earlier',
      evidence: [],
    })
    const before = value<SessionSnapshot>(await core.invoke('session:open', { labId: LAB }))
    expect(before.checkpoints.find((r) => r.id === 'tcp-five-pongs')).toMatchObject({
      passed: true,
      passedAt: '2025-01-01T00:00:00.000Z',
    })
    const progress = value<Progress>(await core.invoke('progress:reset', { labId: LAB }))
    expect(progress).toEqual({ version: 1, labs: {} })
    const update = await waitFor((e) => e.channel === 'checkpoints:update')
    const results = (update.payload as EventPayloads['checkpoints:update']).results
    expect(results.find((r) => r.id === 'tcp-five-pongs')?.passed).toBe(false)
    expect(JSON.parse(await readFile(join(userDataDir, 'progress.json'), 'utf8'))).toEqual(progress)
  })

  it('progress:reset clears the session trace, so nothing passes again from old runs', async () => {
    const { core, waitFor, of } = await newCore()
    const port = await freePort()
    await core.invoke('actor:start', startArgs({ port }))
    await core.invoke('actor:start', startArgs({ kind: 'tcp-client', port }))
    const passed = (e: Recorded) =>
      e.channel === 'checkpoints:update' &&
      e.payload.results.some((r) => r.id === 'tcp-five-pongs' && r.passed)
    await waitFor(passed)
    await waitFor(
      (e) =>
        e.channel === 'actor:status' &&
        e.payload.kind === 'tcp-server' &&
        e.payload.state === 'finished',
    )
    const updatesBefore = of('checkpoints:update').length
    value(await core.invoke('progress:reset', { labId: LAB }))
    const update = await waitFor(
      (e) => e.channel === 'checkpoints:update' && of('checkpoints:update').length > updatesBefore,
    )
    const results = (update.payload as EventPayloads['checkpoints:update']).results
    expect(results.filter((r) => r.passed)).toEqual([])
    expect(core.progress.isPassed(LAB, 'tcp-five-pongs')).toBeFalsy()
    const snapshot = value<SessionSnapshot>(await core.invoke('session:open', { labId: LAB }))
    expect(snapshot.trace).toEqual([])
    expect(snapshot.checkpoints.filter((r) => r.passed)).toEqual([])
  })

  it('a corrupt progress file gives a startup notice and an empty progress', async () => {
    const userDataDir = await tempDir('socket-labs-userdata-')
    await writeFile(join(userDataDir, 'progress.json'), 'not json')
    const { labsDir } = await labsDirWithPingPong()
    const { core } = await newCore({ labsDir, userDataDir })
    expect(core.takeStartupNotice()).toMatch(
      /^Your progress file could not be read \(it is not valid JSON\)\. It was kept as .*progress\.corrupt-.*\.json/,
    )
    expect(value(await core.invoke('progress:get', {}))).toEqual({ version: 1, labs: {} })
  })
})
