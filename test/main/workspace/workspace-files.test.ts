import { mkdir, readFile, readdir, stat, symlink, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { WorkspaceFiles } from '../../../src/main/workspace/workspace-files'
import { starterNames, writeStarters } from '../../../src/main/workspace/starters'
import { checkSyntax } from '../../../src/main/student/syntax-check'
import { tempDir } from '../helpers'

const PYTHON = { command: 'python3', args: [], version: '3' }

const labsDir = join(import.meta.dirname, '../../../labs')

async function workspace() {
  const userData = await tempDir('socket-labs-ws-')
  const files = new WorkspaceFiles(userData)
  return { userData, files, dir: join(userData, 'workspaces', 'counter') }
}

describe('WorkspaceFiles', () => {
  it('keeps a folder per lab in the user data folder and lists only its Python files', async () => {
    const { files, dir } = await workspace()
    expect(await files.list('counter')).toEqual([])
    await writeFile(join(dir, 'notes.txt'), 'not python')
    await writeFile(join(dir, '.hidden.py'), 'x = 1')
    await mkdir(join(dir, 'sub.py'))
    const saved = await files.write('counter', 'mine.py', 'print("hi")\n')
    const listed = await files.list('counter')
    expect(listed).toEqual([{ name: 'mine.py', size: 12, mtimeMs: saved.mtimeMs }])
    expect(await readFile(join(dir, 'mine.py'), 'utf8')).toBe('print("hi")\n')
  })

  it('reads back what it wrote, with the mtime a later write is checked against', async () => {
    const { files } = await workspace()
    const saved = await files.write('counter', 'a.py', 'x = 1\n')
    expect(await files.read('counter', 'a.py')).toEqual({
      name: 'a.py',
      text: 'x = 1\n',
      mtimeMs: saved.mtimeMs,
    })
    const again = await files.write('counter', 'a.py', 'x = 2\n', saved.mtimeMs)
    expect((await files.read('counter', 'a.py')).text).toBe('x = 2\n')
    expect(again.mtimeMs).toBeGreaterThanOrEqual(saved.mtimeMs)
  })

  it('refuses a save over a file changed on disk since it was loaded, and loses neither version', async () => {
    const { files, dir } = await workspace()
    const loaded = await files.write('counter', 'a.py', 'mine = 1\n')
    // Another editor saves a moment later.
    await writeFile(join(dir, 'a.py'), 'theirs = 1\n')
    const later = new Date(loaded.mtimeMs + 5000)
    await utimes(join(dir, 'a.py'), later, later)
    await expect(files.write('counter', 'a.py', 'mine = 2\n', loaded.mtimeMs)).rejects.toThrow(
      /changed on disk in another editor/,
    )
    expect(await readFile(join(dir, 'a.py'), 'utf8')).toBe('theirs = 1\n')
    // Without a base (the student chose to keep theirs), it is replaced.
    await files.write('counter', 'a.py', 'mine = 2\n')
    expect(await readFile(join(dir, 'a.py'), 'utf8')).toBe('mine = 2\n')
  })

  it('writes atomically: no temporary file is left beside the saved one', async () => {
    const { files, dir } = await workspace()
    await files.write('counter', 'a.py', 'x = 1\n')
    await files.write('counter', 'a.py', 'x = 2\n')
    expect(await readdir(dir)).toEqual(['a.py'])
  })

  it('takes names only: paths, other extensions and hidden names are refused', async () => {
    const { files } = await workspace()
    for (const name of ['../x.py', 'a/b.py', 'a\\b.py', '.x.py', 'x.txt', '..py', '/etc/passwd']) {
      await expect(files.write('counter', name, 'x'), name).rejects.toThrow(/File name/)
      await expect(files.read('counter', name), name).rejects.toThrow()
    }
    await expect(files.list('../../etc')).rejects.toThrow(/There is no lab/)
  })

  it('refuses a link that leads out of the workspace, for reading, writing and running', async () => {
    const { files, dir, userData } = await workspace()
    await files.list('counter')
    const secret = join(userData, 'secret.py')
    await writeFile(secret, 'SECRET = 1\n')
    await symlink(secret, join(dir, 'out.py'))
    await symlink(join(userData, 'nowhere.py'), join(dir, 'dangling.py'))
    await expect(files.read('counter', 'out.py')).rejects.toThrow(/outside the workspace/)
    await expect(files.write('counter', 'out.py', 'x = 1\n')).rejects.toThrow(
      /outside the workspace/,
    )
    await expect(files.existing('counter', 'out.py')).rejects.toThrow(/outside the workspace/)
    await expect(files.write('counter', 'dangling.py', 'x\n')).rejects.toThrow(/outside/)
    expect(await readFile(secret, 'utf8')).toBe('SECRET = 1\n')
    expect((await files.list('counter')).map((f) => f.name)).toEqual([])
    // A link to another file of the workspace itself is fine.
    await files.write('counter', 'real.py', 'x = 1\n')
    await symlink(join(dir, 'real.py'), join(dir, 'alias.py'))
    expect((await files.read('counter', 'alias.py')).text).toBe('x = 1\n')
  })

  it('says a missing file is missing', async () => {
    const { files } = await workspace()
    await expect(files.read('counter', 'nope.py')).rejects.toThrow(
      'There is no file nope.py in the counter workspace.',
    )
  })
})

describe('starters', () => {
  it('lists each lab’s exercises and reference programs', async () => {
    expect(await starterNames(labsDir, 'counter', 'exercise')).toEqual([
      'counter_client.py',
      'counter_server.py',
    ])
    expect(await starterNames(labsDir, 'counter', 'reference')).toEqual([
      'counter_client.py',
      'counter_server.py',
    ])
    expect(await starterNames(labsDir, 'multi-client', 'exercise')).toEqual([
      'sequential_server.py',
      'threaded_server.py',
    ])
    expect(await starterNames(labsDir, 'lossy-udp', 'exercise')).toEqual([
      'lossy_client.py',
      'lossy_server.py',
    ])
    expect(await starterNames(labsDir, 'protocol', 'exercise')).toEqual([
      'my_protocol_client.py',
      'my_protocol_server.py',
    ])
  })

  it('marks what to change with TODO and solves nothing', async () => {
    for (const lab of ['counter', 'multi-client', 'lossy-udp', 'protocol']) {
      for (const name of await starterNames(labsDir, lab, 'exercise')) {
        const text = await readFile(join(labsDir, lab, 'exercises', name), 'utf8')
        expect(text, `${lab}/${name}`).toMatch(/# TODO|^TODO/m)
      }
    }
    const counter = await readFile(join(labsDir, 'counter/exercises/counter_server.py'), 'utf8')
    expect(counter).not.toMatch(/PONG #\{/)
  })

  it('are Python that compiles: an unfinished exercise runs, it just does not do the job yet', async () => {
    for (const lab of ['counter', 'multi-client', 'lossy-udp', 'protocol']) {
      for (const name of await starterNames(labsDir, lab, 'exercise')) {
        const report = await checkSyntax(PYTHON, join(labsDir, lab, 'exercises', name))
        expect(report, `${lab}/${name}`).toEqual({ ok: true })
      }
    }
  })

  it('copies a source’s files, keeping files that exist unless told to overwrite', async () => {
    const { files, dir } = await workspace()
    await files.write('counter', 'counter_server.py', '# mine\n')
    const first = await writeStarters(files, labsDir, 'counter', 'exercise', false)
    expect(first).toEqual({ written: ['counter_client.py'], kept: ['counter_server.py'] })
    expect(await readFile(join(dir, 'counter_server.py'), 'utf8')).toBe('# mine\n')
    const again = await writeStarters(files, labsDir, 'counter', 'reference', true)
    expect(again.written).toEqual(['counter_client.py', 'counter_server.py'])
    expect(await readFile(join(dir, 'counter_server.py'), 'utf8')).toBe(
      await readFile(join(labsDir, 'counter/counter_server.py'), 'utf8'),
    )
    expect((await stat(join(dir, 'counter_client.py'))).isFile()).toBe(true)
  })

  it('says so when a lab has no exercise', async () => {
    const { files } = await workspace()
    await expect(writeStarters(files, labsDir, 'ping-pong', 'exercise', false)).rejects.toThrow(
      /has no exercise/,
    )
  })
})
