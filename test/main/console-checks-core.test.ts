import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ActorStatus } from '@shared/actors'
import type { Check, CheckRun } from '@shared/checks'
import type { Progress } from '@shared/checkpoints'
import type { Reply, SessionSnapshot } from '@shared/ipc'
import { AppCore } from '../../src/main/core/app-core'
import { PROGRESS_FILE } from '../../src/main/progress/progress-store'
import { freePort, HOST, tempDir, writeMinimalLab } from './helpers'

// The console and checks channels through AppCore, as both hosts drive them: payloads
// validated at the edge, consoles started from a step with the console panel, checks run,
// traced as `checker` and saved with progress.

const LAB = 'talk'
const LAB_YAML = `id: talk
title: Talk to servers
summary: A lab with the console and checks panels.
order: 9
defaultPort: 50020
steps:
  - id: talk
    title: Talk
    text: talk.md
    actors: [tcp-server, udp-server]
    panels: [console, checks]
`

const cores: AppCore[] = []
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.dispose()))
})

async function labsDir(): Promise<string> {
  const dir = join(await tempDir('socket-labs-labs-'), 'labs')
  await mkdir(join(dir, LAB), { recursive: true })
  await writeFile(join(dir, LAB, 'lab.yaml'), LAB_YAML)
  await writeFile(join(dir, LAB, 'talk.md'), '# Talk\n\nOpen a console.\n')
  await writeMinimalLab(dir)
  return dir
}

async function newCore(dirs?: { labsDir: string; userDataDir: string }) {
  const d = dirs ?? { labsDir: await labsDir(), userDataDir: await tempDir('socket-labs-ud-') }
  const core = await AppCore.create({ ...d, flushMs: 1 })
  cores.push(core)
  return { core, ...d }
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

const aCheck = (over: Partial<Check> = {}) => ({
  id: 'c1',
  name: 'pong',
  proto: 'udp',
  send: 'PING',
  newline: false,
  expect: { mode: 'exact', value: 'PONG' },
  withinMs: 1000,
  ...over,
})

describe('console:send', () => {
  it('rejects bad payloads, naming the field', async () => {
    const { core } = await newCore()
    const send = (args: unknown) => core.invoke('console:send', args)
    expect(badRequest(await send({ labId: LAB, text: 'x' }))).toMatch(/^actorId: /)
    expect(badRequest(await send({ labId: LAB, actorId: 'tcp-console#1', text: '' }))).toBe(
      'text: Nothing to send: text is empty',
    )
    expect(badRequest(await send({ labId: LAB, actorId: 'tcp-console#1', text: 42 }))).toMatch(
      /^text: /,
    )
    expect(badRequest(await send({ labId: LAB, actorId: 'a', text: 'x'.repeat(10_001) }))).toBe(
      'text: text is too long (max 10,000 characters)',
    )
  })

  it('opens consoles only where a step has the console panel, and sends through them', async () => {
    const { core } = await newCore()
    const port = await freePort()
    // The minimal ping-pong lab has no console panel.
    expect(
      await core.invoke('actor:start', {
        labId: 'ping-pong',
        kind: 'tcp-console',
        host: HOST,
        port,
      }),
    ).toMatchObject({ ok: false, error: { code: 'not-found' } })

    value(await core.invoke('actor:start', { labId: LAB, kind: 'tcp-server', host: HOST, port }))
    const started = value<ActorStatus>(
      await core.invoke('actor:start', { labId: LAB, kind: 'tcp-console', host: HOST, port }),
    )
    expect(started).toMatchObject({ kind: 'tcp-console', state: 'running' })
    expect(
      value(
        await core.invoke('console:send', { labId: LAB, actorId: started.actorId, text: 'PING\n' }),
      ),
    ).toEqual({ bytes: 5 })
    // Not a console: a specific failure, not a crash.
    expect(
      await core.invoke('console:send', { labId: LAB, actorId: 'tcp-server#1', text: 'x' }),
    ).toEqual({
      ok: false,
      error: { code: 'failed', message: 'tcp-server#1 does not take typed messages' },
    })
    // A console that cannot connect fails its start with the reason.
    const closed = await freePort()
    expect(
      await core.invoke('actor:start', {
        labId: LAB,
        kind: 'tcp-console',
        host: HOST,
        port: closed,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'failed', message: expect.stringContaining('Connection refused') },
    })
  })
})

describe('checks:run and checks:save', () => {
  it('rejects bad checks with the field at fault', async () => {
    const { core } = await newCore()
    const run = (over: Record<string, unknown>) =>
      core.invoke('checks:run', {
        labId: LAB,
        host: HOST,
        port: 50020,
        checks: [aCheck()],
        ...over,
      })
    expect(
      badRequest(await run({ checks: [aCheck({ expect: { mode: 'regex', value: '[a-' } })] })),
    ).toBe('checks.0.expect.value: Not a valid pattern: Unterminated character class')
    expect(badRequest(await run({ checks: [] }))).toBe('checks: No checks to run')
    expect(badRequest(await run({ host: '10.0.0.1' }))).toMatch(/^host: Host must be a loopback/)
    expect(badRequest(await run({ port: 80 }))).toMatch(/^port: Ports below 1024/)
    expect(badRequest(await run({ checks: [aCheck({ withinMs: 0 })] }))).toBe(
      'checks.0.withinMs: Time limit must be at least 10 ms',
    )
    expect(
      badRequest(await core.invoke('checks:save', { labId: LAB, checks: [aCheck({ name: '' })] })),
    ).toBe('checks.0.name: Name the check')
  })

  it('runs checks against a server, traced as the checker', async () => {
    const { core } = await newCore()
    const port = await freePort()
    value(await core.invoke('actor:start', { labId: LAB, kind: 'udp-server', host: HOST, port }))
    const run = value<CheckRun>(
      await core.invoke('checks:run', {
        labId: LAB,
        host: 'localhost',
        port,
        checks: [
          aCheck(),
          aCheck({ id: 'c2', name: 'wrong', expect: { mode: 'exact', value: 'PANG' } }),
        ],
      }),
    )
    expect(run).toMatchObject({ host: '127.0.0.1', port })
    expect(run.results.map((r) => [r.name, r.passed, r.diffIndex])).toEqual([
      ['pong', true, null],
      ['wrong', false, 1],
    ])
    const snapshot = value<SessionSnapshot>(await core.invoke('session:open', { labId: LAB }))
    const checker = snapshot.trace.filter((e) => e.actorKind === 'checker')
    expect(new Set(checker.map((e) => e.actor))).toEqual(new Set(['checker#1']))
    expect(checker.every((e) => e.role === 'client' && e.proto === 'udp')).toBe(true)
    expect(checker.filter((e) => e.op === 'sendto')).toHaveLength(2)
    expect(checker.map((e) => e.message)).toContain('check "wrong": failed')
  })

  it('saves checks with progress, keeps them across restarts and progress resets', async () => {
    const first = await newCore()
    const saved = value<Check[]>(
      await first.core.invoke('checks:save', {
        labId: LAB,
        checks: [aCheck({ newline: undefined })],
      }),
    )
    expect(saved[0]!.newline).toBe(true)
    await first.core.dispose()
    const again = await newCore({ labsDir: first.labsDir, userDataDir: first.userDataDir })
    expect(value<Progress>(await again.core.invoke('progress:get', {})).labs[LAB]?.checks).toEqual(
      saved,
    )
    const reset = value<Progress>(await again.core.invoke('progress:reset', { labId: LAB }))
    expect(reset.labs[LAB]?.checks).toEqual(saved)
  })

  it('loads an old progress file without checks, and sets aside only a saved check that no longer validates', async () => {
    const userDataDir = await tempDir('socket-labs-ud-')
    const old = {
      version: 1,
      labs: {
        'ping-pong': {
          checkpoints: {
            'tcp-five-pongs': { passedAt: '2025-01-01T00:00:00.000Z', reason: 'ok', evidence: [] },
          },
        },
        [LAB]: { checkpoints: {}, checks: [aCheck(), { ...aCheck({ id: 'bad' }), withinMs: -1 }] },
      },
    }
    const original = JSON.stringify(old)
    await writeFile(join(userDataDir, PROGRESS_FILE), original)
    const { core } = await newCore({ labsDir: await labsDir(), userDataDir })
    const aside = (await readdir(userDataDir)).filter((f) => f.startsWith('progress.corrupt-'))
    expect(aside).toHaveLength(1)
    expect(core.takeStartupNotice()).toBe(
      `Some of your progress could not be read and was left out: lab "${LAB}": check "${aCheck().name}". ` +
        `Everything else loaded. The original file was kept as ${join(userDataDir, aside[0]!)}.`,
    )
    const progress = value<Progress>(await core.invoke('progress:get', {}))
    expect(Object.keys(progress.labs['ping-pong']!.checkpoints)).toEqual(['tcp-five-pongs'])
    expect(progress.labs[LAB]!.checks!.map((c) => c.id)).toEqual(['c1'])
    // The original is kept whole beside the file written back without the bad check.
    expect(await readFile(join(userDataDir, aside[0]!), 'utf8')).toBe(original)
    expect(JSON.parse(await readFile(join(userDataDir, PROGRESS_FILE), 'utf8'))).toEqual(progress)
  })
})
