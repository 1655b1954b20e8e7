import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'
import { loadLab, loadLabs } from '../../src/main/labs/load-labs'
import { labsDirWithPingPong, MINIMAL_LAB_YAML, writeMinimalLab } from './helpers'

type LabDoc = Record<string, unknown> & {
  steps: Record<string, unknown>[]
  checkpoints: Record<string, unknown>[]
}

/** A labs folder with a valid ping-pong lab, plus a lab in `folder` changed by `mutate`. */
async function labsWithBroken(folder: string, mutate: (doc: LabDoc) => void) {
  const { labsDir } = await labsDirWithPingPong()
  const dir = await writeMinimalLab(labsDir, folder)
  const doc = parse(MINIMAL_LAB_YAML) as LabDoc
  doc.id = folder
  mutate(doc)
  await writeFile(join(dir, 'lab.yaml'), stringify(doc))
  return { labsDir, dir }
}

describe('loadLabs', () => {
  it('loads a valid lab with its step text and code files', async () => {
    const { labsDir, real } = await labsDirWithPingPong()
    const { labs, errors } = await loadLabs(labsDir)
    expect(errors).toEqual([])
    expect(labs.map((l) => l.id)).toEqual(['ping-pong'])
    const lab = labs[0]!
    expect(lab.steps.length).toBeGreaterThan(0)
    for (const step of lab.steps) expect(step.markdown.length).toBeGreaterThan(0)
    const names = lab.files.map((f) => f.name)
    expect(new Set(names).size).toBe(names.length)
    for (const file of lab.files) {
      expect(file.source).toBe(await readFile(join(labsDir, 'ping-pong', file.name), 'utf8'))
    }
    if (!real) {
      expect(names).toEqual(['tcp_server.py', 'tcp_client.py', 'udp_server.py', 'udp_client.py'])
      expect(lab.steps[0]).toMatchObject({
        id: 'tcp',
        actors: ['tcp-server', 'tcp-client'],
        markdown: '# TCP\n\nStart the server, then the client.\n',
      })
    }
  })

  it('a missing title names the file and the field', async () => {
    const { labsDir } = await labsWithBroken('broken', (doc) => delete doc.title)
    const { labs, errors } = await loadLabs(labsDir)
    expect(errors).toEqual([
      { file: 'broken/lab.yaml', field: 'title', message: expect.any(String) },
    ])
    expect(errors[0]!.message).toBe('is required but missing')
    // The valid lab still loads alongside.
    expect(labs.map((l) => l.id)).toEqual(['ping-pong'])
  })

  it('a step field with the wrong type names its dotted path', async () => {
    const { labsDir } = await labsWithBroken('broken', (doc) => (doc.steps[0]!.text = 5))
    const { labs, errors } = await loadLabs(labsDir)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ file: 'broken/lab.yaml', field: 'steps.0.text' })
    expect(errors[0]!.message).toMatch(/expected string, received number/)
    expect(labs.map((l) => l.id)).toEqual(['ping-pong'])
  })

  it('a step that names a non-.md text file is rejected with the rule', async () => {
    const { labsDir } = await labsWithBroken('broken', (doc) => (doc.steps[1]!.text = 'udp.txt'))
    const { errors } = await loadLabs(labsDir)
    expect(errors).toEqual([
      { file: 'broken/lab.yaml', field: 'steps.1.text', message: 'must name a .md file' },
    ])
  })

  it('a YAML syntax error is reported for the whole file', async () => {
    const { labsDir, dir } = await labsWithBroken('broken', () => undefined)
    await writeFile(join(dir, 'lab.yaml'), 'id: broken\ntitle: [unclosed\nsteps:\n  - id: a\n')
    const { labs, errors } = await loadLabs(labsDir)
    expect(errors.length).toBeGreaterThan(0)
    for (const error of errors) {
      expect(error).toMatchObject({ file: 'broken/lab.yaml', field: '' })
      expect(error.message).toMatch(/^YAML syntax: /)
      expect(error.message).not.toContain('\n')
    }
    expect(labs.map((l) => l.id)).toEqual(['ping-pong'])
  })

  it('an unknown rule kind names checkpoints.N.rule.kind', async () => {
    const { labsDir } = await labsWithBroken('broken', (doc) => {
      doc.checkpoints[1]!.rule = { kind: 'tcp-server-saw-fin' }
    })
    const { errors } = await loadLabs(labsDir)
    expect(errors).toEqual([
      {
        file: 'broken/lab.yaml',
        field: 'checkpoints.1.rule.kind',
        message: 'unknown rule kind "tcp-server-saw-fin"',
      },
    ])
  })

  it('a step that references an undeclared checkpoint is an error', async () => {
    const { labsDir } = await labsWithBroken('broken', (doc) => {
      doc.steps[0]!.checkpoints = ['tcp-five-pongs', 'tcp-ten-pongs']
    })
    const { errors } = await loadLabs(labsDir)
    expect(errors).toEqual([
      {
        file: 'broken/lab.yaml',
        field: 'steps.0.checkpoints.1',
        message: 'checkpoint "tcp-ten-pongs" is not declared under checkpoints',
      },
    ])
  })

  it('a missing .md file names the step field and the missing path', async () => {
    const { labsDir, dir } = await labsWithBroken('broken', () => undefined)
    await rm(join(dir, 'udp.md'))
    const { labs, errors } = await loadLabs(labsDir)
    expect(errors).toEqual([
      {
        file: 'broken/lab.yaml',
        field: 'steps.1.text',
        message: 'broken/udp.md is missing or unreadable',
      },
    ])
    expect(labs.map((l) => l.id)).toEqual(['ping-pong'])
  })

  it('a missing .py file names the first step that shows it', async () => {
    const { labsDir, dir } = await labsWithBroken('broken', () => undefined)
    await rm(join(dir, 'udp_client.py'))
    const { errors } = await loadLabs(labsDir)
    expect(errors).toEqual([
      {
        file: 'broken/lab.yaml',
        field: 'steps.1.code',
        message: 'broken/udp_client.py is missing or unreadable',
      },
    ])
  })

  it('an id that does not match its folder is an error', async () => {
    const { labsDir } = await labsWithBroken('broken', (doc) => (doc.id = 'ping-pong-2'))
    const { errors } = await loadLabs(labsDir)
    expect(errors).toEqual([
      {
        file: 'broken/lab.yaml',
        field: 'id',
        message: 'id "ping-pong-2" must match the folder name "broken"',
      },
    ])
  })

  it('a folder without lab.yaml is reported, and several broken labs are all reported', async () => {
    const { labsDir } = await labsWithBroken('broken-a', (doc) => delete doc.summary)
    await mkdir(join(labsDir, 'empty'))
    const other = await writeMinimalLab(labsDir, 'broken-b')
    const doc = parse(MINIMAL_LAB_YAML) as LabDoc
    doc.id = 'broken-b'
    doc.defaultPort = 80
    await writeFile(join(other, 'lab.yaml'), stringify(doc))

    const { labs, errors } = await loadLabs(labsDir)
    expect(labs.map((l) => l.id)).toEqual(['ping-pong'])
    expect(errors.map((e) => [e.file, e.field])).toEqual([
      ['broken-a/lab.yaml', 'summary'],
      ['broken-b/lab.yaml', 'defaultPort'],
      ['empty/lab.yaml', ''],
    ])
    expect(errors[2]!.message).toBe('lab.yaml is missing or unreadable')
  })

  it('loadLab reports one lab on its own', async () => {
    const { labsDir } = await labsWithBroken('broken', (doc) => (doc.steps = []))
    expect(await loadLab(labsDir, 'broken')).toEqual({
      errors: [{ file: 'broken/lab.yaml', field: 'steps', message: expect.any(String) }],
    })
    const ok = await loadLab(labsDir, 'ping-pong')
    expect('lab' in ok && ok.lab.id).toBe('ping-pong')
  })
})

describe('a step’s actors, checked against the actor catalogue', () => {
  it('refuses an unknown kind, naming the file and the field', async () => {
    const { labsDir } = await labsWithBroken('broken', (doc) => {
      doc.steps[0]!.actors = ['tcp-server', 'ftp-client']
    })
    const { labs, errors } = await loadLabs(labsDir)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ file: 'broken/lab.yaml', field: 'steps.0.actors.1' })
    expect(errors[0]!.message).toMatch(/^"ftp-client" is not a program the app can run \(it runs /)
    expect(labs.map((l) => l.id)).toEqual(['ping-pong'])
  })

  it('refuses an option the kind does not have, and a bad value, naming the field', async () => {
    const { labsDir } = await labsWithBroken('broken', (doc) => {
      doc.steps[0]!.actors = [
        { kind: 'tcp-server', options: { timeout: 5 } },
        { kind: 'tcp-client', options: { count: 0 } },
      ]
    })
    const { errors } = await loadLabs(labsDir)
    expect(errors).toEqual([
      {
        file: 'broken/lab.yaml',
        field: 'steps.0.actors.0.options',
        message: 'tcp-server has no option "timeout"; it has: intervalMs',
      },
      {
        file: 'broken/lab.yaml',
        field: 'steps.0.actors.1.options.count',
        message: expect.stringMatching(/>=1/),
      },
    ])
  })

  it('reads the plain and the {kind, options} forms into the kinds and the step’s settings', async () => {
    const { labsDir } = await labsWithBroken('settings', (doc) => {
      doc.steps[0]!.actors = ['tcp-server', { kind: 'tcp-client', options: { count: 10 } }]
    })
    const { labs, errors } = await loadLabs(labsDir)
    expect(errors).toEqual([])
    const step = labs.find((l) => l.id === 'settings')!.steps[0]!
    expect(step.actors).toEqual(['tcp-server', 'tcp-client'])
    expect(step.settings).toEqual({ 'tcp-client': { count: 10 } })
  })
})
