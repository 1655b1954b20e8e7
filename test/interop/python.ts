import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

/** The folder that holds the ping-pong lab's Python reference programs. */
export const PING_PONG_DIR = fileURLToPath(new URL('../../labs/ping-pong/', import.meta.url))
/** The counter lab's. */
export const COUNTER_DIR = fileURLToPath(new URL('../../labs/counter/', import.meta.url))

export interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
}

/**
 * One running Python program with its output collected as it arrives. Tests wait for
 * lines of output or for the exit, never for a fixed time.
 */
export class PythonProgram {
  readonly child: ChildProcessWithoutNullStreams
  readonly exited: Promise<Exit>
  stdout = ''
  stderr = ''
  private exit: Exit | undefined

  constructor(
    readonly file: string,
    args: (string | number)[] = [],
    /** The folder the program is in (and runs in). */
    cwd: string = PING_PONG_DIR,
  ) {
    this.child = spawn('python3', ['-u', file, ...args.map(String)], { cwd })
    this.child.stdout.setEncoding('utf8')
    this.child.stderr.setEncoding('utf8')
    this.child.stdout.on('data', (chunk: string) => (this.stdout += chunk))
    this.child.stderr.on('data', (chunk: string) => (this.stderr += chunk))
    this.exited = new Promise((resolve, reject) => {
      this.child.once('error', reject)
      // 'close' (not 'exit') fires after stdout and stderr are fully read.
      this.child.once('close', (code, signal) => {
        this.exit = { code, signal }
        resolve(this.exit)
      })
    })
  }

  get running(): boolean {
    return this.exit === undefined
  }

  /** Resolves with the first stdout line matching `pattern`; rejects if the program exits first. */
  async waitForLine(pattern: RegExp): Promise<string> {
    return (await this.waitForLines(pattern, 1))[0]!
  }

  /** Resolves once `count` stdout lines match `pattern`; rejects if the program exits first. */
  waitForLines(pattern: RegExp, count: number): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const look = () => {
        const lines = linesMatching(this.stdout, pattern)
        if (lines.length < count) return false
        this.child.stdout.off('data', look)
        resolve(lines.slice(0, count))
        return true
      }
      if (look()) return
      this.child.stdout.on('data', look)
      this.exited.then(() => {
        if (look()) return
        const what = count === 1 ? `${pattern}` : `${count} lines matching ${pattern}`
        reject(new Error(`${this.file} exited before printing ${what}\n${this.transcript()}`))
      }, reject)
    })
  }

  /** Both output streams, for failure messages. */
  transcript(): string {
    return `--- stdout of ${this.file}\n${this.stdout}--- stderr\n${this.stderr}---`
  }

  /**
   * Freezes the program where it is (SIGSTOP): its sockets stay open and it sends nothing
   * until `resume()`. A test holds a program still this way instead of betting on its timing.
   */
  pause(): void {
    this.child.kill('SIGSTOP')
  }

  resume(): void {
    this.child.kill('SIGCONT')
  }

  /** Ends the program if it still runs, and waits until it has. */
  async stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<Exit> {
    if (this.running) this.child.kill(signal)
    return this.exited
  }
}

/** Every program started through `runPython`, so `afterEach` can stop what a test left. */
const started = new Set<PythonProgram>()

export function runPython(
  file: string,
  args: (string | number)[] = [],
  cwd: string = PING_PONG_DIR,
): PythonProgram {
  const program = new PythonProgram(file, args, cwd)
  started.add(program)
  return program
}

export async function stopAllPython(): Promise<void> {
  const programs = [...started]
  started.clear()
  await Promise.all(programs.map((p) => p.stop()))
}

/** A TCP port that was free a moment ago: bind port 0, read the port the system chose, close. */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** The same for UDP. */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4')
    socket.once('error', reject)
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address()
      socket.close(() => resolve(port))
    })
  })
}

/** The Python servers' "I am ready" lines. */
export const tcpReady = (port: number) => new RegExp(`^listening on 127\\.0\\.0\\.1:${port}$`)
export const udpReady = (port: number) => new RegExp(`^bound to 127\\.0\\.0\\.1:${port}$`)

/** A pattern for exactly this line of output. */
export function exactLine(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
}

/** Lines of `text` that match `pattern`. */
export function linesMatching(text: string, pattern: RegExp): string[] {
  return text.split('\n').filter((line) => pattern.test(line))
}
