import { mkdir, rmdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { CheckpointResult, Progress } from '@shared/checkpoints'
import type { ProgressSaveStatus, Reply } from '@shared/ipc'
import { MAX_ANSWER_CHARS, type Worksheet } from '@shared/worksheet'
import { AppCore } from '../../src/main/core/app-core'
import { tempDir } from './helpers'

const LAB = 'design'
const cores: AppCore[] = []
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.dispose()))
})

/** A one-step lab whose only checkpoint is its worksheet: two questions of its own. */
async function labsDir(): Promise<string> {
  const dir = await tempDir('socket-labs-labs-')
  await mkdir(join(dir, LAB, 'steps'), { recursive: true })
  await writeFile(join(dir, LAB, 'steps', 'one.md'), '# Design\n')
  await writeFile(
    join(dir, LAB, 'lab.yaml'),
    [
      `id: ${LAB}`,
      'title: Design',
      'summary: A worksheet.',
      'order: 9',
      'defaultPort: 50099',
      'steps:',
      '  - { id: one, title: One, text: steps/one.md, panels: [worksheet], checkpoints: [sheet] }',
      'checkpoints:',
      '  - { id: sheet, title: Worksheet, hint: Answer it., rule: { kind: worksheet-complete } }',
      'worksheet:',
      '  minChars: 10',
      '  questions:',
      '    - id: framing',
      '      title: How is a message framed?',
      '      name: framing',
      '      guidance: Lines or a length prefix.',
      '      choice:',
      '        label: Framing',
      '        options: [{ value: lines, label: Lines }, { value: prefix, label: Length prefix }]',
      '    - { id: ending, title: Who ends it?, name: the ending, guidance: Say who closes. }',
    ].join('\n'),
  )
  return dir
}

async function newCore(userDataDir?: string) {
  const core = await AppCore.create({
    labsDir: await labsDir(),
    userDataDir: userDataDir ?? (await tempDir('socket-labs-userdata-')),
  })
  cores.push(core)
  const updates: CheckpointResult[][] = []
  const waiters: (() => void)[] = []
  core.subscribe((channel, payload) => {
    if (channel !== 'checkpoints:update') return
    updates.push((payload as { results: CheckpointResult[] }).results)
    waiters.splice(0).forEach((w) => w())
  })
  const nextUpdate = () => new Promise<void>((resolve) => waiters.push(resolve))
  return { core, updates, nextUpdate }
}

const sheet: Worksheet = {
  choices: { framing: 'prefix' },
  answers: {
    framing: 'Two bytes of length, then the message.',
    ending: 'The client closes; the server then closes its side.',
  },
}

function value<T>(reply: Reply<unknown>): T {
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`)
  return reply.value as T
}

describe('worksheet:save', () => {
  it('saves the worksheet with progress and re-evaluates the worksheet checkpoint', async () => {
    const { core, updates, nextUpdate } = await newCore()
    const opened = value<{ checkpoints: CheckpointResult[] }>(
      await core.invoke('session:open', { labId: LAB }),
    )
    expect(opened.checkpoints[0]).toMatchObject({ id: 'sheet', passed: false })
    expect(opened.checkpoints[0]!.reason).toBe(
      'Still to answer on the worksheet: framing (pick Lines or Length prefix); the ending (at least 10 characters).',
    )

    // Half done: the reason names exactly the questions still open.
    let update = nextUpdate()
    const half = value<Progress>(
      await core.invoke('worksheet:save', {
        labId: LAB,
        worksheet: { ...sheet, answers: { ...sheet.answers, ending: 'eh' } },
      }),
    )
    expect(half.labs[LAB]!.worksheet!.answers).toEqual({ ...sheet.answers, ending: 'eh' })
    await update
    expect(updates.at(-1)![0]!.reason).toBe(
      'Still to answer on the worksheet: the ending (at least 10 characters).',
    )

    update = nextUpdate()
    await core.invoke('worksheet:save', { labId: LAB, worksheet: sheet })
    await update
    expect(updates.at(-1)![0]).toMatchObject({ id: 'sheet', passed: true })
    expect(core.progress.isPassed(LAB, 'sheet')?.reason).toBe(
      'Both design questions are answered (Length prefix).',
    )
  })

  it('passes without an open session, and the worksheet is there after a restart', async () => {
    const userDataDir = await tempDir('socket-labs-userdata-')
    const first = await newCore(userDataDir)
    const update = first.nextUpdate()
    await first.core.invoke('worksheet:save', { labId: LAB, worksheet: sheet })
    await update
    expect(first.core.progress.isPassed(LAB, 'sheet')).toBeDefined()
    await first.core.dispose()

    const again = await newCore(userDataDir)
    const progress = value<Progress>(await again.core.invoke('progress:get', {}))
    expect(progress.labs[LAB]!.worksheet).toMatchObject(sheet)
    expect(Object.keys(progress.labs[LAB]!.checkpoints)).toEqual(['sheet'])
  })

  it('rejects bad payloads with the field named, and saves nothing', async () => {
    const { core } = await newCore()
    const bad = async (args: unknown) => {
      const reply = await core.invoke('worksheet:save', args)
      if (reply.ok) throw new Error('expected a rejection')
      return reply.error
    }
    expect(await bad({ labId: LAB })).toMatchObject({
      code: 'bad-request',
      message: expect.stringMatching(/^worksheet:/),
    })
    expect((await bad({ labId: LAB, worksheet: { answers: { framing: 42 } } })).message).toMatch(
      /^worksheet\.answers\.framing:/,
    )
    const tooLong = await bad({
      labId: LAB,
      worksheet: { answers: { ending: 'x'.repeat(MAX_ANSWER_CHARS + 1) } },
    })
    expect(tooLong.message).toBe(
      `worksheet.answers.ending: This answer is too long: keep it under ${MAX_ANSWER_CHARS} characters (a short paragraph is enough)`,
    )
    // Well formed, but not this lab's questions or options: named, and nothing saved.
    expect(await bad({ labId: LAB, worksheet: { choices: { framing: 'quic' } } })).toEqual({
      code: 'bad-request',
      message: '"quic" is not an option for Framing (pick one of lines, prefix): nothing was saved',
    })
    expect(
      await bad({ labId: LAB, worksheet: { answers: { transport: 'TCP, for order' } } }),
    ).toEqual({
      code: 'bad-request',
      message: 'This worksheet has no question "transport": nothing was saved',
    })
    const unknownLab = await core.invoke('worksheet:save', { labId: 'nope', worksheet: sheet })
    expect(unknownLab).toMatchObject({ ok: false, error: { code: 'not-found' } })
    expect(core.progress.get().labs).toEqual({})
  })
})

describe('AppCore when progress cannot be saved', () => {
  it('starts anyway, answers a save with "Progress not saved", tells the renderer, and clears it once saving works', async () => {
    const userDataDir = await tempDir('socket-labs-userdata-')
    const progressPath = join(userDataDir, 'progress.json')
    await mkdir(progressPath)
    const { core } = await newCore(userDataDir)
    expect(core.takeStartupNotice()).toContain(`${progressPath} could not be read: it is a folder`)

    const statuses: ProgressSaveStatus[] = []
    core.subscribe((channel, payload) => {
      if (channel === 'progress:saveStatus') statuses.push(payload as ProgressSaveStatus)
    })
    const failed = (await core.invoke('worksheet:save', {
      labId: LAB,
      worksheet: sheet,
    })) as Reply<Progress>
    expect(failed.ok).toBe(false)
    if (!failed.ok) expect(failed.error.message).toMatch(/^Progress not saved: /)
    expect(statuses).toEqual([
      { saved: false, message: expect.stringMatching(/^Progress not saved: /) },
    ])

    await rmdir(progressPath)
    const saved = (await core.invoke('worksheet:save', {
      labId: LAB,
      worksheet: sheet,
    })) as Reply<Progress>
    expect(saved.ok).toBe(true)
    expect(statuses.at(-1)).toEqual({ saved: true })
  })
})
