import {
  isPlainStudentRecord,
  StudentTraceRecordSchema,
  type StudentTraceRecord,
} from '@shared/student-trace'

/**
 * The tracer's pipe, read as lines: each line is one JSON record. A line that is not a valid
 * record is reported with the reason and skipped; the lines after it are read as usual.
 */

/**
 * The longest line kept, in characters. A record is at most a few hundred characters plus its
 * file path and a 200-byte preview that JSON may write as `\u00XX` (6 characters a byte).
 */
export const MAX_TRACE_LINE = 8192

export type ParsedTraceLine =
  { ok: true; record: StudentTraceRecord } | { ok: false; reason: string; line: string }

/** How much of a rejected line a report repeats. */
const SHOWN = 120

/** One line of the pipe (without its newline) as a record, or why it is not one. Pure. */
export function parseTraceLine(line: string): ParsedTraceLine {
  const reject = (reason: string): ParsedTraceLine => ({
    ok: false,
    reason,
    line: line.length > SHOWN ? `${line.slice(0, SHOWN)}…` : line,
  })
  if (line.length > MAX_TRACE_LINE) {
    return reject(`the line is longer than ${MAX_TRACE_LINE} characters`)
  }
  if (line.trim() === '') return reject('the line is empty')
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return reject('the line is not JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return reject('the line is JSON but not an object')
  }
  // Most records are plain sends and receives: vouched for without the schema's full work.
  if (isPlainStudentRecord(value as Record<string, unknown>)) {
    return { ok: true, record: value as StudentTraceRecord }
  }
  const result = StudentTraceRecordSchema.safeParse(value)
  if (result.success) return { ok: true, record: result.data }
  const issue = result.error.issues[0]!
  const where = issue.path.length ? `field "${issue.path.join('.')}": ` : ''
  return reject(`${where}${issue.message}`)
}

/**
 * Cuts the pipe's chunks into lines, holding at most MAX_TRACE_LINE characters of a line not
 * finished yet: a longer line is dropped (and reported once it ends), so a runaway writer
 * cannot grow memory. Chunks are decoded as UTF-8 by the caller (records are ASCII).
 */
export class TraceLineSplitter {
  private pending = ''
  private overflow = false

  /** The complete lines in `chunk`, parsed, in order. */
  push(chunk: string): ParsedTraceLine[] {
    const out: ParsedTraceLine[] = []
    let start = 0
    for (let end = chunk.indexOf('\n'); end !== -1; end = chunk.indexOf('\n', start)) {
      this.take(chunk.slice(start, end), out, true)
      start = end + 1
    }
    if (start < chunk.length) this.take(chunk.slice(start), out, false)
    return out
  }

  /** The pipe closed: a last line without its newline is a cut record. */
  end(): ParsedTraceLine[] {
    const { pending, overflow } = this
    this.pending = ''
    this.overflow = false
    if (overflow) return [longLine(pending)]
    if (!pending) return []
    return [
      { ok: false, reason: 'the last line was cut off (no newline at the end)', line: pending },
    ]
  }

  private take(piece: string, out: ParsedTraceLine[], complete: boolean) {
    if (this.overflow) {
      // Still inside a line too long to keep: report it once it ends.
      if (!complete) return
      out.push(longLine(this.pending))
      this.pending = ''
      this.overflow = false
      return
    }
    const line = this.pending + piece
    if (line.length > MAX_TRACE_LINE) {
      this.pending = complete ? '' : line.slice(0, SHOWN)
      this.overflow = !complete
      if (complete) out.push(longLine(line))
      return
    }
    if (!complete) {
      this.pending = line
      return
    }
    this.pending = ''
    out.push(parseTraceLine(line.endsWith('\r') ? line.slice(0, -1) : line))
  }
}

function longLine(start: string): ParsedTraceLine {
  return {
    ok: false,
    reason: `the line is longer than ${MAX_TRACE_LINE} characters`,
    line: `${start.slice(0, SHOWN)}…`,
  }
}
