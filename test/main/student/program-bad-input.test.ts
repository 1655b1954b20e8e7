import { execFileSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ActorStatus } from '@shared/actors'
import type { InterpreterInfo, ProgramStatus } from '@shared/workspace'
import { OUTPUT_FLUSH_CHARS } from '../../../src/main/student/output-batcher'
import { STUDENT_KIND } from '../../../src/main/student/student-events'
import { freeUdpPort } from '../helpers'
import { harness, type Harness } from './core-harness'

// The "Bad input": what a student's program may do, and what the app says about it.

const bindUdp = (host: string, port: number) =>
  `import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.bind(("${host}", ${port}))\nprint("bound", flush=True)\ns.close()\n`

async function runToEnd(h: Harness, name: string, text: string): Promise<ProgramStatus> {
  await h.write('counter', name, text)
  const status = await h.invoke<ProgramStatus>('program:run', { labId: 'counter', name })
  return h.exited(status.programId)
}

describe('a student program that', () => {
  it('binds a port the app’s own server holds: the trace says so and names it', async () => {
    const h = await harness()
    const port = await freeUdpPort()
    const server = await h.invoke<ActorStatus>('actor:start', {
      labId: 'counter',
      kind: 'counter-server',
      host: '127.0.0.1',
      port,
    })
    const exited = await runToEnd(h, 'busy.py', bindUdp('127.0.0.1', port))
    expect(exited.exit).toMatchObject({ code: 1, failure: { exception: 'OSError', line: 3 } })
    const error = h.core
      .session('counter')!
      .trace.find((e) => e.actorKind === STUDENT_KIND && e.op === 'error')
    expect(error?.message).toContain(`bind(127.0.0.1:${port}) failed: that port is already in use`)
    expect(error?.message).toContain(`the app's own ${server.actorId} in the counter lab`)
    expect(error?.anchor).toEqual({ file: 'busy.py', name: 'line:3' })
  })

  it('binds 0.0.0.0: allowed, with a note that other machines can reach it', async () => {
    const h = await harness()
    const port = await freeUdpPort()
    const exited = await runToEnd(h, 'wide.py', bindUdp('0.0.0.0', port))
    expect(exited.exit?.code).toBe(0)
    const bind = h.core
      .session('counter')!
      .trace.find((e) => e.actorKind === STUDENT_KIND && e.op === 'bind')
    expect(bind).toMatchObject({ level: 'warn', local: `0.0.0.0:${port}` })
    expect(bind?.message).toMatch(/other machines on your network can reach this program/)
    const notice = await h.next('app:notice', (n) => /your wide\.py/.test(n.message))
    expect(notice.message).toMatch(/other machines on your network/)
  })

  it('prints 30 MB: the page gets it in few, bounded messages, the newest output, and a note of what was left out', async () => {
    const h = await harness({ student: { outputFlushMs: 50 } })
    const total = 30 * 1024 * 1024
    const exited = await runToEnd(
      h,
      'flood.py',
      `import sys\nline = "x" * 1023 + "\\n"\nfor _ in range(${total / 1024}):\n    sys.stdout.write(line)\nprint("the end")\n`,
    )
    expect(exited.exit?.code).toBe(0)
    const messages = h.events.filter(
      (e) => e.channel === 'program:output' && e.payload.programId === exited.programId,
    )
    const sent = messages.reduce(
      (n, e) => n + (e.channel === 'program:output' ? e.payload.text.length : 0),
      0,
    )
    for (const m of messages) {
      if (m.channel === 'program:output')
        expect(m.payload.text.length).toBeLessThanOrEqual(OUTPUT_FLUSH_CHARS)
    }
    expect(sent).toBeLessThan(total / 4)
    expect(h.output(exited.programId)).toMatch(/characters of output not shown here/)
    expect(h.output(exited.programId)).toMatch(/the end\n$/)
  })
})

describe('a server that never binds', () => {
  it('waits with no port, stops on Stop, and its checkpoint says it never bound one', async () => {
    const h = await harness()
    await h.write(
      'counter',
      'unbound.py',
      'import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\nprint("waiting", flush=True)\ns.recvfrom(1024)\n',
    )
    const status = await h.invoke<ProgramStatus>('program:run', {
      labId: 'counter',
      name: 'unbound.py',
    })
    await h.printed(status.programId, /waiting\n/)
    await h.invoke('program:stop', { labId: 'counter', programId: status.programId })
    const exited = await h.exited(status.programId)
    expect(exited.exit).toMatchObject({ stopped: true })
    const socketCall = h.core
      .session('counter')!
      .trace.find((e) => e.actorKind === STUDENT_KIND && e.op === 'socket')
    expect(socketCall?.anchor).toEqual({ file: 'unbound.py', name: 'line:2' })
    const { checkpoints } = await h.invoke<{
      checkpoints: { id: string; passed: boolean; reason: string }[]
    }>('session:open', { labId: 'counter' })
    expect(checkpoints.find((c) => c.id === 'counter-your-server')).toMatchObject({
      passed: false,
      reason: expect.stringMatching(/has not bound a UDP port yet/),
    })
  })
})

describe('no Python on the machine', () => {
  it('says how to install one, in the workspace and when Run is clicked, and runs nothing', async () => {
    const h = await harness({
      student: { probe: () => Promise.reject(new Error('ENOENT')), platform: 'linux' },
    })
    const info = await h.invoke<{ interpreter: InterpreterInfo }>('workspace:get', {
      labId: 'counter',
    })
    expect(info.interpreter.command).toBeUndefined()
    expect(info.interpreter.problem).toMatch(
      /No Python 3\.7 or newer found.*sudo apt install python3/,
    )
    await h.write('counter', 'any.py', 'print(1)\n')
    const status = await h.invoke<ProgramStatus>('program:run', {
      labId: 'counter',
      name: 'any.py',
    })
    expect(status).toMatchObject({
      state: 'exited',
      exit: { startError: info.interpreter.problem },
    })
  })
})

describe('interpreter:set', () => {
  it('refuses a path that is not a working Python, keeps the one in use, and says why', async () => {
    const h = await harness()
    const before = await h.invoke<{ interpreter: InterpreterInfo }>('workspace:get', {
      labId: 'counter',
    })
    for (const [command, words] of [
      ['/usr/bin/env', /not the name of a Python interpreter/],
      ['bin/python3', /relative path/],
      ['/no/such/python3', /was not found.*interpreter in use is unchanged/],
    ] as const) {
      expect(await h.reply('interpreter:set', { command })).toMatchObject({
        ok: false,
        error: { message: expect.stringMatching(words) },
      })
    }
    const after = await h.invoke<{ interpreter: InterpreterInfo }>('workspace:get', {
      labId: 'counter',
    })
    expect(after.interpreter).toEqual(before.interpreter)
  })

  it('takes the path of a Python, keeps it for the next start, and finds one again when cleared', async () => {
    const h = await harness()
    const path = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'])
      .toString()
      .trim()
    const set = await h.invoke<InterpreterInfo>('interpreter:set', { command: path })
    expect(set).toMatchObject({ command: path, version: expect.stringMatching(/^3\./) })
    expect(JSON.parse(await readFile(join(h.userData, 'interpreter.json'), 'utf8'))).toEqual({
      command: path,
    })
    const cleared = await h.invoke<InterpreterInfo>('interpreter:set', { command: '' })
    expect(cleared.command).toBeTruthy()
    expect(JSON.parse(await readFile(join(h.userData, 'interpreter.json'), 'utf8'))).toEqual({})
  })
})
