import { execFile, spawn, type SpawnOptions } from 'node:child_process'

/**
 * Everything that differs between Windows and POSIX when running a student's program, in one
 * place: which interpreter commands to try, how to start a program in its own group, and how
 * to end it with everything it started. The process functions are injected, so each
 * platform's branch is tested on any machine.
 */

export interface Interpreter {
  command: string
  /** Arguments before ours, e.g. ["-3"] for Windows' `py` launcher. */
  args: string[]
  /** "3.11.7", as the interpreter reported it. */
  version: string
}

export interface Candidate {
  command: string
  args: string[]
}

/** The commands to try, in order: the path the user set first, then the usual names. */
export function interpreterCandidates(platform: NodeJS.Platform, userPath?: string): Candidate[] {
  const user = userPath?.trim() ? [{ command: userPath.trim(), args: [] }] : []
  const usual =
    platform === 'win32'
      ? [
          { command: 'py', args: ['-3'] },
          { command: 'python', args: [] },
          { command: 'python3', args: [] },
        ]
      : [
          { command: 'python3', args: [] },
          { command: 'python', args: [] },
        ]
  return [...user, ...usual]
}

/** The oldest Python the tracer runs on (socket.socket's -1 defaults, f-strings). */
export const MIN_PYTHON: readonly [number, number] = [3, 7]

/** Runs a candidate with `-c` code; resolves with its stdout, rejects if it cannot run. */
export type Probe = (candidate: Candidate, code: string) => Promise<string>

const VERSION_CODE = 'import sys; print("%d.%d.%d" % sys.version_info[:3]); print(sys.executable)'

/**
 * The first candidate that runs and is Python ≥ 3.7, or a sentence saying how to get one. The
 * interpreter is then run by its own path (sys.executable): no launcher or shim in between
 * (pyenv's shim alone costs a few hundred milliseconds per start), and the program runs with
 * exactly the interpreter that was checked.
 */
export async function findInterpreter(
  platform: NodeJS.Platform,
  options: { userPath?: string; probe?: Probe } = {},
): Promise<Interpreter | { error: string }> {
  const tried: string[] = []
  for (const candidate of interpreterCandidates(platform, options.userPath)) {
    const found = await probeInterpreter(candidate, options.probe)
    if ('command' in found) return found
    tried.push(found.error)
  }
  return { error: noPythonMessage(platform, tried) }
}

/**
 * One candidate: its Python (run by its own path) if it is Python 3.7 or newer, else what it
 * is in a few words ("python3 is Python 3.6.9", "python3 was not found").
 */
export async function probeInterpreter(
  candidate: Candidate,
  probe: Probe = probeWithExecFile,
): Promise<Interpreter | { error: string }> {
  const name = [candidate.command, ...candidate.args].join(' ')
  try {
    const [version = '', executable = ''] = (await probe(candidate, VERSION_CODE))
      .trim()
      .split(/\r?\n/)
    const [major = 0, minor = 0] = version.split('.').map(Number)
    if (major > MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor >= MIN_PYTHON[1])) {
      const path = executable.trim()
      return path ? { command: path, args: [], version } : { ...candidate, version }
    }
    return { error: `${name} is Python ${version}` }
  } catch {
    return { error: `${name} was not found` }
  }
}

export function noPythonMessage(platform: NodeJS.Platform, tried: string[]): string {
  const install =
    platform === 'win32'
      ? 'Install Python 3 from python.org (tick "Add python.exe to PATH") or the Microsoft Store'
      : platform === 'darwin'
        ? 'Install Python 3 from python.org, or run `xcode-select --install`'
        : 'Install Python 3 (on Debian or Ubuntu: `sudo apt install python3`)'
  return `No Python 3.${MIN_PYTHON[1]} or newer found (${tried.join('; ')}). ${install}, then restart Socket Labs, or set the interpreter's path in the settings.`
}

function probeWithExecFile(candidate: Candidate, code: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      candidate.command,
      [...candidate.args, '-c', code],
      { timeout: 5000, windowsHide: true },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    )
  })
}

/** Start options: its own process group on POSIX (so Stop reaches its children too). */
export function groupSpawnOptions(
  platform: NodeJS.Platform,
): Pick<SpawnOptions, 'detached' | 'windowsHide'> {
  return { detached: platform !== 'win32', windowsHide: true }
}

export interface ProcessFunctions {
  /** process.kill */
  kill(pid: number, signal: NodeJS.Signals): void
  /** Runs a command to its end (taskkill on Windows). */
  run(command: string, args: string[]): Promise<void>
}

export const nodeProcessFunctions: ProcessFunctions = {
  kill: (pid, signal) => process.kill(pid, signal),
  run: (command, args) =>
    new Promise((resolve) => {
      const child = spawn(command, args, { stdio: 'ignore', windowsHide: true })
      child.once('error', () => resolve())
      child.once('close', () => resolve())
    }),
}

/**
 * Ask a program and everything it started to stop (`interrupt`: Ctrl+C, so its
 * KeyboardInterrupt handlers run), or end them all now (`kill`). POSIX signals the whole group
 * (a negative pid); Windows has no Ctrl+C for another console's group, so interrupt asks
 * taskkill politely and kill forces the tree (`/T /F`). A group already gone is not an error.
 */
export async function signalProcessTree(
  platform: NodeJS.Platform,
  pid: number,
  how: 'interrupt' | 'kill',
  fns: ProcessFunctions = nodeProcessFunctions,
): Promise<void> {
  if (platform === 'win32') {
    const args = how === 'kill' ? ['/T', '/F', '/PID', String(pid)] : ['/T', '/PID', String(pid)]
    await fns.run('taskkill', args)
    return
  }
  try {
    fns.kill(-pid, how === 'kill' ? 'SIGKILL' : 'SIGINT')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error
  }
}
