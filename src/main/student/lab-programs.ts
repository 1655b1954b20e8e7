import { basename, dirname, relative } from 'node:path'
import type {
  ProgramExitInfo,
  ProgramFailure,
  ProgramOutput,
  ProgramStatus,
} from '@shared/workspace'
import type { Notice } from '@shared/ipc'
import { OutputBatcher } from './output-batcher'
import type { Interpreter } from './platform'
import type { ProgramExit, StudentProgram, StudentRunner } from './runner'
import { bindsEveryInterface, EVERY_INTERFACE } from './student-events'
import { checkSyntax, type SyntaxReport } from './syntax-check'
import type { StudentTraceSink } from './trace-sink'

/** Finished programs of a lab whose status is kept for the page (program:list), newest last. */
export const FINISHED_KEPT = 20

export interface LabProgramsOptions {
  runner: StudentRunner
  /** The interpreter to run with now, or why there is none. */
  interpreter(): Promise<Interpreter | { error: string }>
  /** Where a lab's trace goes (its session, opened if need be). */
  traceSink(labId: string): StudentTraceSink
  /** Who in the app holds a port, for the message of a bind that failed (see StudentEventMapper). */
  portHolder?(proto: 'tcp' | 'udp', port: number): string | undefined
  onStatus(status: ProgramStatus): void
  onOutput(output: ProgramOutput): void
  onNotice(notice: Notice): void
  /** For tests: how often output is sent. */
  outputFlushMs?: number
}

export interface RunRequest {
  labId: string
  /** The file's checked path in the workspace, and its name there. */
  path: string
  name: string
  args: string[]
  /** The workspace folder: the program's working folder, and what anchors are relative to. */
  root: string
}

interface Entry {
  labId: string
  status: ProgramStatus
  program?: StudentProgram
  output?: OutputBatcher
}

/**
 * The student's programs of every lab: each runs traced into its lab's session, its output
 * and status go out as events, and all of a lab's programs end when the lab is left (and all
 * of them when the app quits). A syntax error is answered without running anything.
 */
export class LabPrograms {
  private readonly entries = new Map<string, Entry>()
  /** Bumped when a lab is left: a run still being checked then does not start. */
  private readonly generation = new Map<string, number>()
  private checks = 0
  private disposed = false

  constructor(private readonly options: LabProgramsOptions) {}

  list(labId: string): ProgramStatus[] {
    return [...this.entries.values()].filter((e) => e.labId === labId).map((e) => e.status)
  }

  async run(request: RunRequest): Promise<ProgramStatus> {
    const generation = this.generation.get(request.labId) ?? 0
    const base = {
      labId: request.labId,
      file: request.name,
      args: request.args,
      actor: `your ${request.name}`,
    }
    const notStarted = (exit: Partial<ProgramExitInfo>) =>
      this.finishWithoutRun({
        ...base,
        programId: `check-${++this.checks}`,
        state: 'exited',
        exit: { code: null, signal: null, stopped: false, ...exit },
      })
    const interpreter = await this.options.interpreter()
    if (!('command' in interpreter)) return notStarted({ startError: interpreter.error })
    const syntax = await checkSyntax(interpreter, request.path)
    if (!syntax.ok) {
      return syntax.kind === 'CheckFailed'
        ? notStarted({ startError: syntax.message })
        : notStarted({ failure: syntaxFailure(request.name, syntax) })
    }
    if (this.disposed || (this.generation.get(request.labId) ?? 0) !== generation) {
      return notStarted({ startError: 'The lab was left before the program could start.' })
    }
    return this.start(request, interpreter, base)
  }

  private start(
    request: RunRequest,
    interpreter: Interpreter,
    base: Omit<ProgramStatus, 'programId' | 'state'>,
  ): ProgramStatus {
    // The program's id is known once it has started; output comes only after that.
    const started: { id?: string } = {}
    const output = new OutputBatcher(
      (stream, text) =>
        started.id !== undefined &&
        this.options.onOutput({ labId: request.labId, programId: started.id, stream, text }),
      this.options.outputFlushMs,
    )
    const sink = this.options.traceSink(request.labId)
    let warnedEveryInterface = false
    let program: StudentProgram
    try {
      program = this.options.runner.start({
        file: request.path,
        args: request.args,
        cwd: request.root,
        root: request.root,
        interpreter,
        traceSink: {
          record: (event, now) => {
            sink.record(event, now)
            if (!warnedEveryInterface && event.op === 'bind' && bindsEveryInterface(event.local)) {
              warnedEveryInterface = true
              this.options.onNotice({
                level: 'info',
                message: `${base.actor}: ${EVERY_INTERFACE}.`,
              })
            }
          },
        },
        portHolder: this.options.portHolder,
        onOutput: (chunk) => output.push(chunk.stream, chunk.text),
      })
    } catch (error) {
      return this.finishWithoutRun({
        ...base,
        programId: `check-${++this.checks}`,
        state: 'exited',
        exit: { code: null, signal: null, stopped: false, startError: (error as Error).message },
      })
    }
    started.id = program.id
    const entry: Entry = {
      labId: request.labId,
      program,
      output,
      status: { ...base, programId: program.id, state: 'running', pid: program.pid },
    }
    this.keep(entry)
    this.options.onStatus(entry.status)
    const running = entry
    void program.exited.then((exit) => {
      output.end()
      running.program = undefined
      running.output = undefined
      running.status = {
        ...running.status,
        state: 'exited',
        exit: exitInfo(exit, request.root),
      }
      this.options.onStatus(running.status)
    })
    return entry.status
  }

  /** Ctrl+C, then the whole group ended after the grace period; resolves once it has exited. */
  async stop(labId: string, programId: string): Promise<boolean> {
    const entry = this.entries.get(programId)
    if (!entry || entry.labId !== labId) return false
    await entry.program?.stop()
    return true
  }

  /** A line for the program's stdin, echoed in its output; false when it can no longer read. */
  sendLine(labId: string, programId: string, text: string): boolean {
    const entry = this.entries.get(programId)
    if (!entry || entry.labId !== labId || !entry.program) return false
    if (!entry.program.sendLine(text)) return false
    entry.output?.echoInput(text)
    return true
  }

  /** The lab was left: every program of it ends, and its list is forgotten. */
  async stopLab(labId: string): Promise<void> {
    this.generation.set(labId, (this.generation.get(labId) ?? 0) + 1)
    const mine = [...this.entries.values()].filter((e) => e.labId === labId)
    await Promise.all(mine.map((e) => e.program?.stop()))
    // Their last statuses went out as each exited; a later visit starts with an empty list.
    for (const [id, e] of this.entries) if (e.labId === labId) this.entries.delete(id)
  }

  async dispose(): Promise<void> {
    this.disposed = true
    await this.options.runner.disposeAll()
  }

  private finishWithoutRun(status: ProgramStatus): ProgramStatus {
    this.keep({ labId: status.labId, status })
    this.options.onStatus(status)
    return status
  }

  private keep(entry: Entry) {
    this.entries.set(entry.status.programId, entry)
    const finished = [...this.entries.values()].filter((e) => e.labId === entry.labId && !e.program)
    for (const old of finished.slice(0, Math.max(0, finished.length - FINISHED_KEPT))) {
      this.entries.delete(old.status.programId)
    }
  }
}

function syntaxFailure(name: string, report: Extract<SyntaxReport, { ok: false }>): ProgramFailure {
  return {
    file: name,
    ...(report.line ? { line: report.line } : {}),
    ...(report.column ? { column: report.column } : {}),
    exception: report.kind,
    message: report.message,
  }
}

/** The runner's exit, with the failing file named as in the workspace (its name, not a path). */
function exitInfo(exit: ProgramExit, root: string): ProgramExitInfo {
  const info: ProgramExitInfo = { code: exit.code, signal: exit.signal, stopped: exit.stopped }
  if (exit.startError) info.startError = exit.startError
  if (exit.failure) {
    const { file, ...rest } = exit.failure
    info.failure = { ...rest, ...(file ? { file: workspaceName(file, root) } : {}) }
  }
  return info
}

function workspaceName(file: string, root: string): string {
  const rel = relative(root, file)
  return rel && !rel.startsWith('..') && dirname(rel) === '.' ? rel : basename(file)
}
