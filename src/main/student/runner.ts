import { spawn, type ChildProcess } from 'node:child_process'
import { basename, resolve } from 'node:path'
import type { Readable } from 'node:stream'
import { BoundedOutput, HarmlessStream, type OutputChunk, type OutputStreamName } from './output'
import { defaultTracerPath } from './paths'
import {
  groupSpawnOptions,
  nodeProcessFunctions,
  signalProcessTree,
  type Interpreter,
  type ProcessFunctions,
} from './platform'
import type { StudentEventOptions } from './student-events'
import { parseTraceback, type ProgramFailure } from './traceback'
import { TraceFeed } from './trace-feed'
import { recordStudentTrace, type RejectedTraceLine, type StudentTraceSink } from './trace-sink'

/**
 * At most this many student programs run at once (a server and a few clients is the most a
 * lab needs): a script that starts itself in a loop cannot fill the machine through the app.
 */
export const MAX_RUNNING_PROGRAMS = 8
/** How long Stop waits after Ctrl+C (SIGINT) before it ends the program's group for good. */
export const STOP_GRACE_MS = 2000
/** The environment variable naming the tracer's pipe (fd 3) in the program. */
export const TRACE_FD_ENV = 'SOCKETLABS_TRACE_FD'
const TRACE_FD = 3
/** The end of stderr kept whole for finding the traceback, whatever the output limit. */
const STDERR_TAIL = 64 * 1024

export interface RunnerOptions {
  /** The interpreter of every start that names none (the app passes the current one each time). */
  interpreter?: Interpreter
  tracerPath?: string
  maxRunning?: number
  graceMs?: number
  /** Characters of output kept per program. */
  outputLimit?: number
  platform?: NodeJS.Platform
  processFunctions?: ProcessFunctions
}

export interface StartRequest {
  file: string
  /** Default: the runner's. */
  interpreter?: Interpreter
  args?: string[]
  /** Default: the program's folder, as a student running it from there would. */
  cwd?: string
  /** Run under the tracer (default true). */
  trace?: boolean
  /** Where the traced program's events go (e.g. the lab session). */
  traceSink?: StudentTraceSink
  /** The folder anchors are named relative to (the workspace). */
  root?: string
  onOutput?(chunk: OutputChunk): void
  /** Raw chunks of the tracer's pipe, for callers that read it themselves. */
  onTraceChunk?(chunk: string): void
  onRejectedTraceLine?(line: RejectedTraceLine): void
  /** Names the app's actor holding a port the program could not bind. */
  portHolder?: StudentEventOptions['portHolder']
}

export interface ProgramExit {
  code: number | null
  signal: NodeJS.Signals | null
  /** The exception and the student's line it came from, when the program died of one. */
  failure?: ProgramFailure
  /** Why it could not start at all (the interpreter is missing…). */
  startError?: string
  stopped: boolean
}

/** One running student program. */
export class StudentProgram {
  readonly output: BoundedOutput
  readonly exited: Promise<ProgramExit>
  readonly actor: string
  private stopping: Promise<ProgramExit> | undefined
  private traceRecorded: Promise<void> = Promise.resolve()
  private stderrTail = ''
  private over = false

  constructor(
    readonly id: string,
    readonly file: string,
    private readonly child: ChildProcess,
    private readonly runner: { platform: NodeJS.Platform; fns: ProcessFunctions; graceMs: number },
    request: StartRequest,
    outputLimit: number,
  ) {
    this.output = new BoundedOutput(outputLimit)
    this.actor = `your ${basename(file)}`
    this.readOutput('stdout', child.stdout!, request)
    this.readOutput('stderr', child.stderr!, request)
    const tracePipe = child.stdio[TRACE_FD] as Readable | null | undefined
    if (tracePipe && (request.traceSink || request.onTraceChunk)) {
      const recorder = request.traceSink
        ? recordStudentTrace(request.traceSink, {
            programFile: file,
            root: request.root,
            portHolder: request.portHolder,
            onRejected: request.onRejectedTraceLine,
          })
        : undefined
      const feed = recorder ? new TraceFeed(recorder, tracePipe) : undefined
      if (feed) this.traceRecorded = feed.drained
      tracePipe.setEncoding('utf8')
      tracePipe.on('data', (chunk: string) => {
        request.onTraceChunk?.(chunk)
        feed?.push(chunk)
      })
      tracePipe.on('end', () => feed?.end())
    } else tracePipe?.resume()
    // Writing to a program that has exited must not crash the app.
    child.stdin?.on('error', () => undefined)
    this.exited = new Promise((done) => {
      child.once('error', (error) => {
        this.over = true
        done({ code: null, signal: null, startError: error.message, stopped: false })
      })
      // Children it started live on in its group after it exits: end them with it.
      child.once('exit', () => void this.endGroup())
      child.once('close', (code, signal) => {
        this.over = true
        const failure = parseTraceback(this.stderrTail, (f) => this.isStudentFile(f))
        const exit = {
          code,
          signal,
          stopped: this.stopping !== undefined,
          ...(failure ? { failure } : {}),
        }
        // Exited means done: its last calls are in the trace by then.
        void this.traceRecorded.then(() => done(exit))
      })
    })
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  get running(): boolean {
    return !this.over
  }

  /** Feed one line to the program's stdin (what the student typed); false once it cannot read. */
  sendLine(text: string): boolean {
    const stdin = this.child.stdin
    if (!stdin || stdin.destroyed || !stdin.writable || this.over) return false
    stdin.write(`${text.replace(/\r?\n$/, '')}\n`)
    return true
  }

  /**
   * Ctrl+C to the program's whole group, so its KeyboardInterrupt handlers run; whatever is
   * still running after the grace period is ended for good.
   */
  stop(graceMs = this.runner.graceMs): Promise<ProgramExit> {
    if (!this.stopping) this.stopping = this.stopNow(graceMs)
    return this.stopping
  }

  private async stopNow(graceMs: number): Promise<ProgramExit> {
    const pid = this.child.pid
    if (pid === undefined || this.over) return this.exited
    await signalProcessTree(this.runner.platform, pid, 'interrupt', this.runner.fns)
    let timer: NodeJS.Timeout | undefined
    const graceOver = new Promise<void>((r) => (timer = setTimeout(r, graceMs)))
    await Promise.race([this.exited, graceOver])
    clearTimeout(timer)
    if (!this.over) await this.endGroup()
    return this.exited
  }

  private async endGroup() {
    const pid = this.child.pid
    if (pid !== undefined)
      await signalProcessTree(this.runner.platform, pid, 'kill', this.runner.fns)
  }

  private isStudentFile(named: string): boolean {
    return resolve(named) === this.file || named === basename(this.file)
  }

  private readOutput(name: OutputStreamName, stream: Readable, request: StartRequest) {
    const harmless = new HarmlessStream()
    const emit = (text: string) => {
      if (!text) return
      this.output.append(name, text)
      request.onOutput?.({ stream: name, text })
    }
    stream.setEncoding('utf8')
    stream.on('data', (chunk: string) => {
      if (name === 'stderr') this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL)
      emit(harmless.push(chunk))
    })
    stream.on('end', () => emit(harmless.end()))
  }
}

/**
 * Starts and ends the student's programs: `python3 -u tracer FILE ARGS` in a process group of
 * its own, output streamed, stdin fed by line, the tracer's records on an inherited pipe.
 * Knows nothing of Electron or of the session; the caller passes where events go.
 */
export class StudentRunner {
  private readonly programs = new Map<string, StudentProgram>()
  private counter = 0
  private readonly platform: NodeJS.Platform
  private readonly fns: ProcessFunctions
  private readonly graceMs: number
  private readonly maxRunning: number

  constructor(private readonly options: RunnerOptions) {
    this.platform = options.platform ?? process.platform
    this.fns = options.processFunctions ?? nodeProcessFunctions
    this.graceMs = options.graceMs ?? STOP_GRACE_MS
    this.maxRunning = options.maxRunning ?? MAX_RUNNING_PROGRAMS
  }

  running(): StudentProgram[] {
    return [...this.programs.values()]
  }

  start(request: StartRequest): StudentProgram {
    if (this.programs.size >= this.maxRunning) {
      throw new Error(
        `${this.programs.size} programs are running already, the most Socket Labs runs at once. Stop one of them, then start this one.`,
      )
    }
    const file = resolve(request.file)
    const traced = request.trace !== false
    const interpreter = request.interpreter ?? this.options.interpreter
    if (!interpreter) throw new Error('No Python interpreter to run the program with.')
    const script = traced
      ? ['-u', this.options.tracerPath ?? defaultTracerPath(), file]
      : ['-u', file]
    const child = spawn(
      interpreter.command,
      [...interpreter.args, ...script, ...(request.args ?? [])],
      {
        cwd: request.cwd ?? resolve(file, '..'),
        env: traced ? { ...process.env, [TRACE_FD_ENV]: String(TRACE_FD) } : { ...process.env },
        stdio: ['pipe', 'pipe', 'pipe', traced ? 'pipe' : 'ignore'],
        ...groupSpawnOptions(this.platform),
      },
    )
    const id = `program-${++this.counter}`
    const program = new StudentProgram(
      id,
      file,
      child,
      { platform: this.platform, fns: this.fns, graceMs: this.graceMs },
      request,
      this.options.outputLimit ?? 1_000_000,
    )
    this.programs.set(id, program)
    void program.exited.then(() => this.programs.delete(id))
    return program
  }

  /** End every program (Ctrl+C, then for good after the grace period); resolves once all are gone. */
  async disposeAll(graceMs = this.graceMs): Promise<ProgramExit[]> {
    return Promise.all(this.running().map((p) => p.stop(graceMs)))
  }
}
