// @vitest-environment happy-dom
import type { Lab } from '@shared/lab'
import { useLabsStore } from '@renderer/stores/labs'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createClientApi } from '@shared/client-api'
import type { TraceEvent } from '@shared/trace'
import type { ProgramStatus, WorkspaceFile, WorkspaceInfo } from '@shared/workspace'
import { setApi } from '@renderer/bridge'
import CodeAndProgram from '@renderer/features/student/CodeAndProgram.vue'
import { FakeTransport } from '../fake-transport'

const SERVER = [
  'import socket',
  '',
  'server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)',
  'server.bind(("127.0.0.1", 50008))',
  'while True:',
  '    data, address = server.recvfrom(1024)',
  '    server.sendto(b"PONG", address)',
  '',
].join('\n')

let host: FakeTransport
let disk: Map<string, { text: string; mtimeMs: number }>
let info: WorkspaceInfo
let starts: { from: string; overwrite: boolean }[]

const listing = (): WorkspaceFile[] =>
  [...disk].map(([name, f]) => ({ name, size: f.text.length, mtimeMs: f.mtimeMs }))

function status(extra: Partial<ProgramStatus> = {}): ProgramStatus {
  return {
    labId: 'counter',
    programId: 'p1',
    file: 'counter_server.py',
    args: [],
    actor: 'your counter_server.py',
    state: 'running',
    pid: 4242,
    ...extra,
  }
}

function studentEvent(seq: number, line: number): TraceEvent {
  return {
    seq,
    t: seq,
    actor: 'your counter_server.py',
    actorKind: 'student-program',
    role: 'server',
    proto: 'udp',
    op: 'recvfrom',
    level: 'info',
    anchor: { file: 'counter_server.py', name: `line:${line}` },
  } as TraceEvent
}

beforeEach(() => {
  setActivePinia(createPinia())
  disk = new Map()
  starts = []
  info = {
    labId: 'counter',
    dir: '/home/ada/.config/socket-labs/workspaces/counter',
    files: [],
    canOpenFolder: false,
    starters: {
      exercise: ['counter_server.py'],
      reference: ['counter_server.py', 'counter_client.py'],
    },
    interpreter: { command: '/usr/bin/python3', version: '3.11.2' },
  }
  host = new FakeTransport()
    .handle('workspace:get', () => ({ ...info, files: listing() }))
    .handle('program:list', () => [])
    .handle('workspace:start', ({ from, overwrite }) => {
      starts.push({ from, overwrite })
      if (overwrite || !disk.has('counter_server.py')) {
        disk.set('counter_server.py', { text: SERVER, mtimeMs: 1000 + starts.length })
      }
      return { ...info, files: listing() }
    })
    .handle('workspace:read', ({ name }) => ({ name, ...disk.get(name)! }))
    .handle('workspace:write', ({ name, text }) => {
      const mtimeMs = (disk.get(name)?.mtimeMs ?? 0) + 1
      disk.set(name, { text, mtimeMs })
      return { name, mtimeMs }
    })
    .handle('program:run', ({ name, args }) => status({ file: name, args }))
    .handle('program:stop', () => null)
    .handle('program:stdin', () => null)
    .handle('interpreter:set', ({ command }) => ({ command, version: '3.12.0' }))
  setApi(createClientApi(host))
})

async function mountArea(props: Record<string, unknown> = {}) {
  const wrapper = mount(CodeAndProgram, {
    props: { labId: 'counter', files: [{ name: 'counter_server.py', source: SERVER }], ...props },
    attachTo: document.body,
  })
  await flushPromises()
  await wrapper.get('[data-testid="code-tab-program"]').trigger('click')
  await flushPromises()
  return wrapper
}

const frame = () => new Promise((r) => requestAnimationFrame(() => r(null)))

describe('the student workspace panel', () => {
  it('shows the folder, starts from the exercise, and follows files changed on disk', async () => {
    const w = await mountArea()
    expect((w.get('[data-testid="workspace-dir"]').element as HTMLInputElement).value).toBe(
      info.dir,
    )
    expect(w.get('[data-testid="workspace-files"]').text()).toContain('none yet')
    expect(w.find('[data-testid="student-editor"]').exists()).toBe(false)

    await w.get('[data-testid="workspace-start-exercise"]').trigger('click')
    await flushPromises()
    expect(starts).toEqual([{ from: 'exercise', overwrite: false }])
    expect(w.find('[data-testid="workspace-file-counter_server.py"]').exists()).toBe(true)
    expect(w.find('[data-testid="student-editor"]').exists()).toBe(true)

    disk.set('notes.py', { text: '', mtimeMs: 5 })
    host.emit('workspace:changed', { labId: 'counter', files: listing() })
    host.emit('workspace:changed', { labId: 'other-lab', files: [] })
    await flushPromises()
    expect(w.find('[data-testid="workspace-file-notes.py"]').exists()).toBe(true)
    w.unmount()
  })

  it('offers Open folder only where the app can open one, and says why it failed', async () => {
    const opened: string[] = []
    host.handle('workspace:openFolder', ({ labId }) => {
      opened.push(labId)
      if (opened.length > 1) throw new Error('Could not open the folder: no file manager')
      return null
    })
    const browser = await mountArea()
    expect(browser.find('[data-testid="workspace-open-folder"]').exists()).toBe(false)
    browser.unmount()

    info.canOpenFolder = true
    setActivePinia(createPinia())
    const desktop = await mountArea()
    await desktop.get('[data-testid="workspace-open-folder"]').trigger('click')
    await flushPromises()
    expect(opened).toEqual(['counter'])
    await desktop.get('[data-testid="workspace-open-folder"]').trigger('click')
    await flushPromises()
    expect(desktop.text()).toContain('no file manager')
    desktop.unmount()
  })

  it('asks before a start replaces the student files, and keeps them on "Keep mine"', async () => {
    disk.set('counter_server.py', { text: 'my work\n', mtimeMs: 7 })
    const w = await mountArea()
    await w.get('[data-testid="workspace-summary"]').trigger('click')
    await w.get('[data-testid="workspace-start-reference"]').trigger('click')
    await flushPromises()
    expect(starts).toEqual([])
    expect(w.text()).toContain('This replaces your counter_server.py')
    await w.get('[data-testid="workspace-start-cancel"]').trigger('click')
    await flushPromises()
    expect(starts).toEqual([])
    await w.get('[data-testid="workspace-start-reference"]').trigger('click')
    await w.get('[data-testid="workspace-start-confirm"]').trigger('click')
    await flushPromises()
    expect(starts).toEqual([{ from: 'reference', overwrite: true }])
    w.unmount()
  })

  it('says how to get Python when none was found, and takes a path', async () => {
    info.interpreter = {
      problem: 'Python 3 was not found. Install it from python.org, or set its path.',
    }
    const w = await mountArea()
    expect(w.get('[data-testid="interpreter-problem"]').text()).toContain(
      'Install it from python.org',
    )
    expect(w.get('[data-testid="workspace-summary"]').text()).toContain('no Python found')
    await w.get('[data-testid="interpreter-path"]').setValue('/opt/py/bin/python3')
    await w
      .get('[data-testid="interpreter-path"]')
      .element.closest('form')!
      .dispatchEvent(new Event('submit'))
    await flushPromises()
    expect(w.get('[data-testid="workspace-interpreter"]').text()).toContain(
      '/opt/py/bin/python3 (3.12.0)',
    )
    w.unmount()
  })
})

describe('the editor and the runner', () => {
  it('lights the line of the student program’s call and marks the failing line', async () => {
    disk.set('counter_server.py', { text: SERVER, mtimeMs: 7 })
    const w = await mountArea()
    await flushPromises()
    expect(w.get('.cm-content').text()).toContain('server.recvfrom(1024)')

    await w.setProps({ event: studentEvent(3, 6) })
    await flushPromises()
    const current = w.get('[data-testid="editor-current-line"]')
    expect(current.attributes('data-line')).toBe('6')
    expect(current.text()).toContain('server.recvfrom(1024)')

    // A syntax error answers the run at once, with its line; nothing ran.
    host.handle('program:run', ({ name }) =>
      status({
        file: name,
        state: 'exited',
        pid: undefined,
        exit: {
          code: null,
          signal: null,
          stopped: false,
          failure: { file: name, line: 4, exception: 'SyntaxError', message: 'invalid syntax' },
        },
      }),
    )
    await w.get('[data-testid="program-run"]').trigger('submit')
    await flushPromises()
    expect(w.get('[data-testid="editor-failure-line"]').attributes('data-line')).toBe('4')
    expect(w.get('[data-testid="program-exit"]').text()).toBe(
      'Not run · SyntaxError at line 4 of counter_server.py: invalid syntax',
    )
    w.unmount()
  })

  it('runs with arguments, streams output once per frame, feeds stdin and stops', async () => {
    disk.set('counter_server.py', { text: SERVER, mtimeMs: 7 })
    useLabsStore().current = { id: 'counter', defaultPort: 50008 } as Lab
    const w = await mountArea()
    // The example is the lab's own port, not one lab's for all.
    expect(w.get('[data-testid="program-args"]').attributes('placeholder')).toBe(
      'e.g. 50008 (optional)',
    )
    useLabsStore().current = { id: 'lossy-udp', defaultPort: 50011 } as Lab
    await flushPromises()
    expect(w.get('[data-testid="program-args"]').attributes('placeholder')).toBe(
      'e.g. 50011 (optional)',
    )
    await w.get('[data-testid="program-args"]').setValue('50009 --mode "per-client"')
    await w
      .get('[data-testid="program-args"]')
      .element.closest('form')!
      .dispatchEvent(new Event('submit'))
    await flushPromises()
    const run = host.calls.find((c) => c.channel === 'program:run')
    expect(run?.args).toEqual({
      labId: 'counter',
      name: 'counter_server.py',
      args: ['50009', '--mode', 'per-client'],
    })

    for (let i = 1; i <= 3; i++) {
      host.emit('program:output', {
        labId: 'counter',
        programId: 'p1',
        stream: 'stdout',
        text: `line ${i}\n`,
      })
    }
    const out = w.get('[data-testid="program-output"]').element
    expect(out.textContent).toBe('')
    await frame()
    expect(out.textContent).toBe('line 1\nline 2\nline 3\n')

    await w.get('[data-testid="program-stdin"]').setValue('hello')
    await w
      .get('[data-testid="program-stdin"]')
      .element.closest('form')!
      .dispatchEvent(new Event('submit'))
    await flushPromises()
    expect(host.calls.find((c) => c.channel === 'program:stdin')?.args).toEqual({
      labId: 'counter',
      programId: 'p1',
      text: 'hello\n',
    })

    await w.get('[data-testid="program-stop"]').trigger('click')
    await flushPromises()
    expect(host.calls.some((c) => c.channel === 'program:stop')).toBe(true)
    host.emit(
      'program:status',
      status({ state: 'exited', exit: { code: null, signal: 'SIGINT', stopped: true } }),
    )
    await flushPromises()
    expect(w.get('[data-testid="program-exit"]').text()).toBe('Stopped (you pressed Stop)')
    expect(w.find('[data-testid="program-stdin"]').exists()).toBe(false)
    w.unmount()
  })

  it('saves typing after a pause and says so', async () => {
    disk.set('counter_server.py', { text: SERVER, mtimeMs: 7 })
    const w = await mountArea()
    const { EditorView } = await import('@codemirror/view')
    const view = EditorView.findFromDOM(w.get('.cm-editor').element as HTMLElement)!
    view.dispatch({ changes: { from: 0, insert: '# mine\n' }, userEvent: 'input' })
    await flushPromises()
    expect(w.get('[data-testid="editor-save-state"]').text()).toBe('Saving…')
    // Written after the autosave pause (700 ms), not at once.
    expect(disk.get('counter_server.py')!.text).toBe(SERVER)
    await vi.waitFor(
      () => expect(disk.get('counter_server.py')!.text.startsWith('# mine\n')).toBe(true),
      { timeout: 10_000, interval: 50 },
    )
    expect(w.get('[data-testid="editor-save-state"]').text()).toBe('Saved')
    w.unmount()
  })
})
