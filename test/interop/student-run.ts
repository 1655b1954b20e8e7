import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterEach } from 'vitest'
import type { Interpreter } from '../../src/main/student/platform'
import {
  StudentRunner,
  type StartRequest,
  type StudentProgram,
} from '../../src/main/student/runner'

/** The course-style programs these tests run as a student's own (written for the tests). */
export const STUDENT_PROGRAMS = fileURLToPath(new URL('./student-programs/', import.meta.url))
export const PYTHON: Interpreter = { command: 'python3', args: [], version: '3' }

/** A runner for a test file; every program it started is ended after each test. */
export function studentRunner(): () => StudentRunner {
  let runner: StudentRunner | undefined
  afterEach(async () => {
    await runner?.disposeAll(1000)
    runner = undefined
  })
  return () => (runner ??= new StudentRunner({ interpreter: PYTHON }))
}

export interface Watched {
  program: StudentProgram
  /** Resolves once stdout matches; rejects if the program exits first. */
  printed(pattern: RegExp): Promise<void>
  stdout(): string
}

/** Start a program with its stdout watched, so a test can wait for a line. */
export function startWatched(runner: StudentRunner, request: StartRequest): Watched {
  let out = ''
  const waiters: { pattern: RegExp; resolve: () => void }[] = []
  const program = runner.start({
    ...request,
    onOutput(chunk) {
      request.onOutput?.(chunk)
      if (chunk.stream !== 'stdout') return
      out += chunk.text
      for (const w of waiters.splice(0)) {
        if (w.pattern.test(out)) w.resolve()
        else waiters.push(w)
      }
    },
  })
  return {
    program,
    stdout: () => out,
    printed(pattern) {
      if (pattern.test(out)) return Promise.resolve()
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve })
        void program.exited.then((exit) => {
          if (!pattern.test(out)) {
            reject(
              new Error(
                `exited (${JSON.stringify(exit)}) before printing ${pattern}:\n${out}\n${program.output.text('stderr')}`,
              ),
            )
          }
        })
      })
    },
  }
}

/** `line:N` of the one line of a student program that holds `code` (anchors name lines so). */
export function lineOf(file: string, code: string): string {
  const lines = readFileSync(file, 'utf8').split('\n')
  const at = lines.flatMap((line, i) => (line.includes(code) ? [i + 1] : []))
  if (at.length !== 1) throw new Error(`${code} is on ${at.length} lines of ${file}`)
  return `line:${at[0]}`
}
