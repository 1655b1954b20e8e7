import { basename, isAbsolute, join } from 'node:path'
import { readFile } from 'node:fs/promises'
import type { InterpreterInfo } from '@shared/workspace'
import { writeAtomically } from '../progress/progress-file'
import {
  findInterpreter,
  probeInterpreter,
  MIN_PYTHON,
  type Interpreter,
  type Probe,
} from './platform'

/** The file in the user data folder that keeps the interpreter path the student set. */
export const INTERPRETER_FILE = 'interpreter.json'

/**
 * What may be set as the interpreter: a Python's name (python3, python3.12, py) or the full
 * path of one. The page can set it, and setting it runs it once to ask its version, so
 * nothing else (another program, a relative path) is ever started this way.
 */
const PYTHON_NAME = /^(python|py)(\d+(\.\d+)*)?(\.exe)?$/i

export function interpreterCommandProblem(command: string): string | undefined {
  const name = basename(command.replace(/\\/g, '/'))
  if (!PYTHON_NAME.test(name)) {
    return `"${command}" is not the name of a Python interpreter: give the full path of python3 (python.exe on Windows), for example /usr/bin/python3.`
  }
  if (command !== name && !isAbsolute(command) && !/^[A-Za-z]:[\\/]/.test(command)) {
    return `"${command}" is a relative path: give the full path, for example /usr/bin/python3.`
  }
  return undefined
}

/**
 * The Python the app runs the student's programs with: found when the app starts (the path
 * the student set, kept in the user data folder, first), and changed only to a path that
 * answers as Python 3.7 or newer. Only this interpreter is ever run.
 */
export class InterpreterSetting {
  private found: Promise<Interpreter | { error: string }> | undefined
  private userPath: string | undefined

  constructor(
    private readonly userDataDir: string,
    private readonly options: { platform?: NodeJS.Platform; probe?: Probe } = {},
  ) {}

  /**
   * The interpreter to run programs with, or why there is none. Looked for once, the first
   * time a lab's workspace is opened (a probe costs a Python start, up to a second behind a
   * pyenv shim), then kept.
   */
  current(): Promise<Interpreter | { error: string }> {
    this.found ??= this.discover()
    return this.found
  }

  /** Whether a search is under way or done (dispose waits for one under way). */
  get searching(): Promise<unknown> {
    return this.found ?? Promise.resolve()
  }

  async info(): Promise<InterpreterInfo> {
    return describe(await this.current())
  }

  /**
   * Use `command` from now on (and after a restart); empty finds one again. A command that
   * is not a working Python is refused with the reason, and the one in use is kept.
   */
  async set(command: string): Promise<InterpreterInfo> {
    const wanted = command.trim()
    if (!wanted) {
      await this.save(undefined)
      this.found = findInterpreter(this.platform, { probe: this.options.probe })
      return this.info()
    }
    const problem = interpreterCommandProblem(wanted)
    if (problem) throw new Error(problem)
    const probed = await probeInterpreter({ command: wanted, args: [] }, this.options.probe)
    if (!('command' in probed)) {
      throw new Error(
        `${probed.error}: Socket Labs needs Python ${MIN_PYTHON.join('.')} or newer. The interpreter in use is unchanged.`,
      )
    }
    await this.save(wanted)
    this.found = Promise.resolve(probed)
    return describe(probed)
  }

  private get platform(): NodeJS.Platform {
    return this.options.platform ?? process.platform
  }

  private async discover(): Promise<Interpreter | { error: string }> {
    this.userPath = await this.load()
    return findInterpreter(this.platform, { userPath: this.userPath, probe: this.options.probe })
  }

  private async load(): Promise<string | undefined> {
    try {
      const saved = JSON.parse(await readFile(join(this.userDataDir, INTERPRETER_FILE), 'utf8'))
      const command = (saved as { command?: unknown }).command
      return typeof command === 'string' && !interpreterCommandProblem(command)
        ? command
        : undefined
    } catch {
      return undefined // none set, or a damaged file: look for one as usual
    }
  }

  private async save(command: string | undefined): Promise<void> {
    this.userPath = command
    try {
      await writeAtomically(
        this.userDataDir,
        join(this.userDataDir, INTERPRETER_FILE),
        `${JSON.stringify(command ? { command } : {})}\n`,
      )
    } catch (error) {
      throw new Error(
        `The interpreter's path could not be saved in ${this.userDataDir}: ${(error as Error).message}`,
        { cause: error },
      )
    }
  }
}

function describe(found: Interpreter | { error: string }): InterpreterInfo {
  return 'command' in found
    ? { command: found.command, version: found.version }
    : { problem: found.error }
}
