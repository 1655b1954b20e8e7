import { existsSync, readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { checkSyntax } from '../../../src/main/student/syntax-check'
import { StudentRunner, type StartRequest } from '../../../src/main/student/runner'
import type { Interpreter } from '../../../src/main/student/platform'
import { tempDir } from '../helpers'

// Real python3 programs under the runner: output, stdin, Stop, the limit, and nothing left
// running afterwards. Tests wait for output or exits, never for a fixed time.

const PYTHON: Interpreter = { command: 'python3', args: [], version: '3' }
const runners: StudentRunner[] = []
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.disposeAll(0)))
})

function newRunner(options: Partial<ConstructorParameters<typeof StudentRunner>[0]> = {}) {
  const runner = new StudentRunner({ interpreter: PYTHON, graceMs: 5000, ...options })
  runners.push(runner)
  return runner
}

async function program(source: string, name = 'program.py'): Promise<string> {
  const file = join(await tempDir('socket-labs-student-'), name)
  await writeFile(file, source)
  return file
}

/**
 * Starts a program; `saw` resolves once its stdout matches `pattern`. (With -u, print() writes
 * its text and its newline separately: wait for the newline before signalling the program.)
 */
function printed(runner: StudentRunner, request: StartRequest, pattern: RegExp) {
  let out = ''
  let seen: () => void = () => undefined
  const saw = new Promise<void>((resolve) => (seen = resolve))
  const p = runner.start({
    ...request,
    onOutput(chunk) {
      request.onOutput?.(chunk)
      if (chunk.stream !== 'stdout') return
      out += chunk.text
      if (pattern.test(out)) seen()
    },
  })
  const early = p.exited.then(() => {
    if (!pattern.test(out))
      throw new Error(`exited before printing ${pattern}: ${out}${p.output.text('stderr')}`)
  })
  return { p, saw: Promise.race([saw, early]) }
}

/** Is a process alive (a zombie waiting for its parent counts as ended)? */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  const stat = `/proc/${pid}/stat`
  return !(existsSync(stat) && / Z /.test(readFileSync(stat, 'utf8')))
}

/**
 * The pids still alive after they had up to `ms` to finish dying: a killed process lets go of
 * its pipes (which ends the program's 'close') a moment before it is gone from the table.
 */
async function survivors(pids: number[], ms = 2000): Promise<number[]> {
  const until = Date.now() + ms
  while (pids.some(alive) && Date.now() < until) await delay(10)
  return pids.filter(alive)
}

describe('StudentRunner', () => {
  it('runs a program with its arguments in its folder, streams its output made harmless, and gives its exit code', async () => {
    const file = await program(
      'import os, sys\nprint("args", sys.argv[1:], sys.argv[0] == __file__)\nprint("\\x1b[31mred\\x1b[0m")\nprint(os.getcwd())\nsys.exit(4)\n',
    )
    const p = newRunner().start({ file, args: ['a b', '7'] })
    const exit = await p.exited
    expect(exit).toEqual({ code: 4, signal: null, stopped: false })
    expect(p.output.text('stdout')).toBe(`args ['a b', '7'] True\nred\n${join(file, '..')}\n`)
  })

  it('delivers each traced call while the program still runs, not only when it ends', async () => {
    // One socket, then the program waits for a line: its calls must reach main meanwhile
    // (a definition and its first record once waited for the buffer to fill).
    const file = await program(
      'import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.bind(("127.0.0.1", 0))\ninput()\n',
    )
    const ops: string[] = []
    let sawBind: () => void = () => undefined
    const bound = new Promise<void>((resolve) => (sawBind = resolve))
    const p = newRunner().start({
      file,
      traceSink: {
        record(event) {
          ops.push(event.op)
          if (event.op === 'bind') sawBind()
        },
      },
    })
    await bound
    expect(p.running).toBe(true)
    expect(ops).toEqual(['socket', 'bind'])
    p.sendLine('')
    expect((await p.exited).code).toBe(0)
  })

  it('feeds a typed line to input()', async () => {
    const file = await program('text = input("say: ")\nprint(text.upper())\n')
    const runner = newRunner()
    const { p, saw } = printed(runner, { file }, /say: $/)
    await saw
    expect(p.sendLine('hello socket')).toBe(true)
    expect((await p.exited).code).toBe(0)
    expect(p.output.text('stdout')).toBe('say: HELLO SOCKET\n')
    expect(p.sendLine('too late')).toBe(false)
  })

  it("Stop sends Ctrl+C first, so the program's KeyboardInterrupt handler runs", async () => {
    const file = await program(
      'import time\ntry:\n    print("ready")\n    time.sleep(60)\nexcept KeyboardInterrupt:\n    print("stopped with Ctrl+C")\n',
    )
    const { p, saw } = printed(newRunner(), { file }, /ready\n/)
    await saw
    const exit = await p.stop()
    expect(exit).toMatchObject({ code: 0, stopped: true })
    expect(p.output.text('stdout')).toBe('ready\nstopped with Ctrl+C\n')
  })

  it('ends a program that ignores Ctrl+C once the grace period is over', async () => {
    const file = await program(
      'import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nprint("ready")\nwhile True:\n    time.sleep(1)\n',
    )
    const { p, saw } = printed(newRunner({ graceMs: 100 }), { file }, /ready\n/)
    await saw
    expect(await p.stop()).toMatchObject({ code: null, signal: 'SIGKILL', stopped: true })
  })

  it("parses the traceback: the exception and the student's line", async () => {
    const file = await program(
      'import socket\n\ndef go():\n    s = socket.socket()\n    s.connect(("127.0.0.1", 9))\n\ngo()\n',
      'client.py',
    )
    const exit = await newRunner().start({ file }).exited
    expect(exit).toEqual({
      code: 1,
      signal: null,
      stopped: false,
      failure: {
        file,
        line: 5,
        exception: 'ConnectionRefusedError',
        message: '[Errno 111] Connection refused',
      },
    })
  })

  it('refuses to run more programs than the limit, saying why', async () => {
    const file = await program('import time\nprint("ready")\ntime.sleep(60)\n')
    const runner = newRunner({ maxRunning: 2 })
    runner.start({ file })
    runner.start({ file })
    expect(() => runner.start({ file })).toThrow(
      '2 programs are running already, the most Socket Labs runs at once. Stop one of them, then start this one.',
    )
  })

  it('disposeAll ends every program and the children they started: nothing is left running', async () => {
    const file = await program(
      [
        'import subprocess, sys, time',
        'child = subprocess.Popen([sys.executable, "-c", "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); time.sleep(120)"])',
        'print("child", child.pid, flush=True)',
        'time.sleep(120)',
      ].join('\n'),
    )
    const runner = newRunner({ graceMs: 200 })
    const started = [
      printed(runner, { file }, /child \d+\n/),
      printed(runner, { file, trace: false }, /child \d+\n/),
    ]
    await Promise.all(started.map((s) => s.saw))
    const pids = started.flatMap(({ p }) => [
      p.pid!,
      Number(/child (\d+)/.exec(p.output.text('stdout'))![1]),
    ])
    expect(pids.every(alive)).toBe(true)
    await runner.disposeAll()
    expect(runner.running()).toEqual([])
    expect(await survivors(pids)).toEqual([])
  })

  it('ends the children a program left behind when it exits by itself', async () => {
    const file = await program(
      'import subprocess, sys\nchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])\nprint("child", child.pid)\n',
    )
    const p = newRunner().start({ file })
    await p.exited
    const child = Number(/child (\d+)/.exec(p.output.text('stdout'))![1])
    expect(await survivors([child])).toEqual([])
  })

  it('says when the interpreter cannot start', async () => {
    const runner = newRunner({
      interpreter: { command: 'no-such-python-here', args: [], version: '3' },
    })
    const exit = await runner.start({ file: await program('print(1)\n') }).exited
    expect(exit.startError).toMatch(/ENOENT/)
  })
})

describe('checkSyntax', () => {
  it('reports the line of a syntax error without running the program', async () => {
    const dir = await tempDir()
    const marker = join(dir, 'ran')
    const file = join(dir, 'broken.py')
    await writeFile(
      file,
      `open(${JSON.stringify(marker)}, "w").close()\nimport socket\nif True\n    print("x")\n`,
    )
    expect(await checkSyntax(PYTHON, file)).toEqual({
      ok: false,
      kind: 'SyntaxError',
      message: "expected ':'",
      line: 3,
      column: 8,
    })
    expect(existsSync(marker)).toBe(false)
  })

  it('says a correct file is fine', async () => {
    expect(await checkSyntax(PYTHON, await program('print("fine")\n'))).toEqual({ ok: true })
  })
})
