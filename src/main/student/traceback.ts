/**
 * Where a Python program failed, read from its stderr: the last traceback's innermost frame in
 * the student's own file, and the exception. Pure: text in, facts out.
 */
export interface ProgramFailure {
  /** The student's file as the traceback names it, and the line; absent if no frame is theirs. */
  file?: string
  line?: number
  /** e.g. "ConnectionRefusedError", "SyntaxError". */
  exception: string
  message: string
}

const FRAME = /^\s*File "(.+)", line (\d+)(?:, in .+)?$/
const EXCEPTION = /^([A-Za-z_][\w.]*)(?:: (.*))?$/
const HEADER = 'Traceback (most recent call last):'

/**
 * `isStudentFile` says whether a file named in a frame is the student's (compare paths the way
 * the caller knows them). Returns undefined when stderr holds no traceback.
 */
export function parseTraceback(
  stderr: string,
  isStudentFile: (file: string) => boolean,
): ProgramFailure | undefined {
  const lines = stderr.split(/\r?\n/)
  let from = 0
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i]!.trim() === HEADER) {
      from = i + 1
      break
    }
  }
  let frame: { file: string; line: number } | undefined
  let anyFrame = false
  let exception: { name: string; message: string } | undefined
  for (let i = from; i < lines.length; i++) {
    const text = lines[i]!
    const f = FRAME.exec(text)
    if (f) {
      anyFrame = true
      exception = undefined
      if (isStudentFile(f[1]!)) frame = { file: f[1]!, line: Number(f[2]) }
      continue
    }
    // The exception line is flush left after the frames; code lines and carets are indented.
    const e = anyFrame && !/^\s/.test(text) ? EXCEPTION.exec(text) : null
    if (e) exception ??= { name: e[1]!, message: e[2] ?? '' }
  }
  if (!exception) return undefined
  return { ...frame, exception: exception.name, message: exception.message }
}
