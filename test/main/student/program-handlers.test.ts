import { describe, expect, it } from 'vitest'
import type { ProgramStatus, WorkspaceInfo } from '@shared/workspace'
import { STUDENT_KIND } from '../../../src/main/student/student-events'
import { freeUdpPort } from '../helpers'
import { harness } from './core-harness'

// The student's programs through AppCore's invoke channels, as the page calls them: real
// python3 processes on loopback. Tests wait for events and exits, never for a fixed time.

describe('workspace channels', () => {
  it('starts a workspace from the exercise and names its folder, files, starters and interpreter', async () => {
    const h = await harness()
    const empty = await h.invoke<WorkspaceInfo>('workspace:get', { labId: 'counter' })
    expect(empty.files).toEqual([])
    expect(empty.dir).toContain('workspaces')
    expect(empty.starters.exercise).toEqual(['counter_client.py', 'counter_server.py'])
    expect(empty.interpreter.command).toBeTruthy()
    const started = await h.invoke<WorkspaceInfo>('workspace:start', {
      labId: 'counter',
      from: 'exercise',
    })
    expect(started.files.map((f) => f.name)).toEqual(['counter_client.py', 'counter_server.py'])
    const file = await h.invoke<{ text: string }>('workspace:read', {
      labId: 'counter',
      name: 'counter_server.py',
    })
    expect(file.text).toMatch(/# TODO 2/)
  })

  it('refuses an unknown lab and a path for a name, in words', async () => {
    const h = await harness()
    expect(await h.reply('workspace:get', { labId: '../../etc' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    })
    expect(
      await h.reply('program:run', { labId: 'counter', name: '../../../bin/sh.py' }),
    ).toMatchObject({ ok: false, error: { code: 'bad-request' } })
    expect(await h.reply('program:run', { labId: 'counter', name: 'nope.py' })).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: 'There is no file nope.py in the counter workspace.' },
    })
  })

  it("opens only the lab's own folder, and says in words when it cannot", async () => {
    // The browser host has no file manager to open: the page is told, and hides the button.
    const browser = await harness()
    const noFolder = await browser.invoke<WorkspaceInfo>('workspace:get', { labId: 'counter' })
    expect(noFolder.canOpenFolder).toBe(false)
    expect(await browser.reply('workspace:openFolder', { labId: 'counter' })).toEqual({
      ok: false,
      error: {
        code: 'failed',
        message:
          'Only the desktop app can open a folder; copy the path shown and open it yourself.',
      },
    })
    // The desktop app: the folder of the lab asked for, whatever else the page sends.
    const opened: string[] = []
    let answer = ''
    const desktop = await harness({
      student: {
        openFolder: async (dir) => {
          opened.push(dir)
          return answer
        },
      },
    })
    const info = await desktop.invoke<WorkspaceInfo>('workspace:get', { labId: 'counter' })
    expect(info.canOpenFolder).toBe(true)
    expect(await desktop.reply('workspace:openFolder', { labId: 'counter', dir: '/etc' })).toEqual({
      ok: true,
      value: null,
    })
    expect(opened).toEqual([info.dir])
    expect(await desktop.reply('workspace:openFolder', { labId: '../x' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    })
    answer = 'No application knows how to open this folder'
    expect(await desktop.reply('workspace:openFolder', { labId: 'counter' })).toEqual({
      ok: false,
      error: {
        code: 'failed',
        message: `Could not open ${info.dir}: No application knows how to open this folder`,
      },
    })
    expect(opened).toHaveLength(2)
  })

  it('tells the page when another editor changes the folder', async () => {
    const h = await harness()
    const info = await h.invoke<WorkspaceInfo>('workspace:get', { labId: 'counter' })
    const { writeFile } = await import('node:fs/promises')
    await writeFile(`${info.dir}/outside.py`, 'x = 1\n')
    const changed = await h.next('workspace:changed', (p) =>
      p.files.some((f) => f.name === 'outside.py'),
    )
    expect(changed.labId).toBe('counter')
  })
})

describe('program channels', () => {
  it('runs a file of the workspace traced, streams its output and says when it exited', async () => {
    const h = await harness()
    const port = await freeUdpPort()
    await h.write(
      'counter',
      'hello.py',
      `import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.bind(("127.0.0.1", ${port}))\nprint("bound")\ns.close()\n`,
    )
    const status = await h.invoke<ProgramStatus>('program:run', {
      labId: 'counter',
      name: 'hello.py',
    })
    expect(status).toMatchObject({
      labId: 'counter',
      file: 'hello.py',
      actor: 'your hello.py',
      state: 'running',
    })
    expect(status.pid).toBeGreaterThan(0)
    const exited = await h.exited(status.programId)
    expect(exited.exit).toEqual({ code: 0, signal: null, stopped: false })
    expect(h.output(status.programId, 'stdout')).toBe('bound\n')
    const trace = h.core.session('counter')!.trace
    const bind = trace.find((e) => e.actorKind === STUDENT_KIND && e.op === 'bind')
    expect(bind).toMatchObject({
      actor: 'your hello.py',
      local: `127.0.0.1:${port}`,
      anchor: { file: 'hello.py', name: 'line:3' },
    })
    expect(await h.invoke('program:list', { labId: 'counter' })).toEqual([exited])
  })

  it('answers a syntax error at its line without running anything', async () => {
    const h = await harness()
    await h.write('counter', 'broken.py', 'print("fine")\nif True\n    print("never")\n')
    const status = await h.invoke<ProgramStatus>('program:run', {
      labId: 'counter',
      name: 'broken.py',
    })
    expect(status.state).toBe('exited')
    expect(status.pid).toBeUndefined()
    expect(status.exit?.failure).toMatchObject({
      file: 'broken.py',
      line: 2,
      exception: 'SyntaxError',
    })
    expect(h.output(status.programId)).toBe('')
  })

  it('says a file that is not Python at all is not, at its first line', async () => {
    const h = await harness()
    await h.write('counter', 'notes.py', 'Dear diary, today I wrote a server.\n')
    const status = await h.invoke<ProgramStatus>('program:run', {
      labId: 'counter',
      name: 'notes.py',
    })
    expect(status.exit?.failure).toMatchObject({ line: 1, exception: 'SyntaxError' })
    // A binary file put in the folder by another program: refused the same way, unrun.
    const info = await h.invoke<WorkspaceInfo>('workspace:get', { labId: 'counter' })
    const { writeFile } = await import('node:fs/promises')
    await writeFile(`${info.dir}/binary.py`, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0xff]))
    const binary = await h.invoke<ProgramStatus>('program:run', {
      labId: 'counter',
      name: 'binary.py',
    })
    expect(binary).toMatchObject({ state: 'exited', exit: { failure: { file: 'binary.py' } } })
    expect(binary.pid).toBeUndefined()
  })

  it('shows the traceback’s line in the student’s file', async () => {
    const h = await harness()
    await h.write('counter', 'fails.py', 'x = 1\n\ndef f():\n    return 1 / 0\n\nf()\n')
    const status = await h.invoke<ProgramStatus>('program:run', {
      labId: 'counter',
      name: 'fails.py',
    })
    const exited = await h.exited(status.programId)
    expect(exited.exit).toMatchObject({
      code: 1,
      failure: { file: 'fails.py', line: 4, exception: 'ZeroDivisionError' },
    })
    expect(h.output(status.programId, 'stderr')).toMatch(/Traceback/)
  })

  it('feeds typed lines to input() and echoes them in the output', async () => {
    const h = await harness()
    await h.write('counter', 'ask.py', 'name = input("name? ")\nprint("hi", name.upper())\n')
    const status = await h.invoke<ProgramStatus>('program:run', {
      labId: 'counter',
      name: 'ask.py',
    })
    await h.printed(status.programId, /name\? /)
    await h.invoke('program:stdin', { labId: 'counter', programId: status.programId, text: 'ada' })
    await h.exited(status.programId)
    expect(h.output(status.programId)).toBe('name? ada\nhi ADA\n')
    expect(
      await h.reply('program:stdin', {
        labId: 'counter',
        programId: status.programId,
        text: 'late',
      }),
    ).toMatchObject({ ok: false, error: { message: /not running any more/ } })
  })

  it('stops a program that runs forever with no socket call (Ctrl+C first)', async () => {
    const h = await harness()
    await h.write(
      'counter',
      'forever.py',
      'print("looping")\ntry:\n    while True:\n        pass\nexcept KeyboardInterrupt:\n    print("interrupted")\n',
    )
    const status = await h.invoke<ProgramStatus>('program:run', {
      labId: 'counter',
      name: 'forever.py',
    })
    await h.printed(status.programId, /looping\n/)
    await h.invoke('program:stop', { labId: 'counter', programId: status.programId })
    const exited = await h.exited(status.programId)
    expect(exited.exit).toMatchObject({ code: 0, stopped: true })
    expect(h.output(status.programId, 'stdout')).toBe('looping\ninterrupted\n')
  })
})
