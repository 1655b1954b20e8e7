import type { ZodError } from 'zod'
import {
  isPlainRecordRest,
  isPlainStudentRecord,
  StudentTraceHeadSchema,
  StudentTraceRecordSchema,
  type StudentTraceHead,
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

/** How many head definitions a reader keeps (the tracer starts afresh after 4,096). */
export const MAX_TRACE_HEADS = 8192

/** A line that defined a head: nothing to record, the records after it refer to it. */
const DEFINED = { ok: true, defined: true } as const

/**
 * Reads the tracer's lines in order. A line is a self-contained record, a head definition
 * ({"def": id, ...}) or a record that refers to one ({"h": id, ...}); the reader keeps the
 * heads it was given, at most MAX_TRACE_HEADS, the oldest forgotten first.
 */
export class TraceRecordReader {
  private readonly heads = new Map<number, StudentTraceHead>()

  /** One line (without its newline) as a record, a head stored, or why it is neither. */
  read(line: string): ParsedTraceLine | typeof DEFINED {
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
    const fields = value as Record<string, unknown>
    if (fields.def !== undefined) return this.define(fields, reject)
    if (fields.h !== undefined) return this.readWithHead(fields, reject)
    // Most records are plain sends and receives: vouched for without the schema's full work.
    // Stryker: equivalent — `false` here sends the record through the schema, same verdict.
    if (isPlainStudentRecord(fields)) return { ok: true, record: fields as StudentTraceRecord }
    return judged(fields, reject)
  }

  private define(fields: Record<string, unknown>, reject: (reason: string) => ParsedTraceLine) {
    const result = StudentTraceHeadSchema.safeParse(fields)
    if (!result.success) return reject(`a head definition's ${reasonFor(result.error)}`)
    if (this.heads.size >= MAX_TRACE_HEADS) {
      this.heads.delete(this.heads.keys().next().value as number)
    }
    this.heads.set(result.data.def, result.data)
    return DEFINED
  }

  /** A record that refers to a head: the head's fields and its own, as one record. */
  private readWithHead(
    fields: Record<string, unknown>,
    reject: (reason: string) => ParsedTraceLine,
  ) {
    const head = this.heads.get(fields.h as number)
    if (!head) return reject(`the record refers to head ${String(fields.h)}, never defined`)
    // Stryker: equivalent — `false` here sends the record through the schema, same verdict.
    if (isPlainRecordRest(fields)) {
      // The head was validated when defined: built in one shape, the hot path stays fast.
      const record: StudentTraceRecord = {
        v: head.v,
        n: fields.n as number,
        t: fields.t as number,
        op: head.op,
        sock: head.sock,
        proto: head.proto,
        outcome: 'ok',
        file: head.file,
        line: head.line,
        thread: head.thread,
        tid: head.tid,
        local: head.local,
        remote: head.remote,
        bytes: fields.bytes as number | undefined,
        data: fields.data as string | null | undefined,
      }
      return { ok: true as const, record }
    }
    const { h: _h, ...rest } = fields
    const { def: _def, ...headFields } = head
    return judged({ ...rest, ...headFields }, reject)
  }
}

/** A record the fast checks do not vouch for: the schema's verdict and reason. */
function judged(
  fields: Record<string, unknown>,
  reject: (reason: string) => ParsedTraceLine,
): ParsedTraceLine {
  const result = StudentTraceRecordSchema.safeParse(fields)
  if (result.success) return { ok: true, record: result.data }
  return reject(reasonFor(result.error))
}

function reasonFor(error: ZodError): string {
  const issue = error.issues[0]!
  // Stryker: equivalent — join's separator: a record's fields are never nested (paths of one).
  const where = issue.path.length ? `field "${issue.path.join('.')}": ` : ''
  return `${where}${issue.message}`
}

/** One self-contained record line (without its newline) as a record, or why it is not one. */
export function parseTraceLine(line: string): ParsedTraceLine {
  const parsed = new TraceRecordReader().read(line)
  if ('defined' in parsed) {
    return { ok: false, reason: 'the line defines a head; no record follows it', line }
  }
  return parsed
}

/**
 * Cuts the pipe's chunks into lines, holding at most MAX_TRACE_LINE characters of a line not
 * finished yet: a longer line is dropped (and reported once it ends), so a runaway writer
 * cannot grow memory. Chunks are decoded as UTF-8 by the caller (records are ASCII).
 */
export class TraceLineSplitter {
  private readonly reader = new TraceRecordReader()
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
    // Stryker: equivalent — `<=` takes an empty piece, which leaves `pending` as it was.
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
      // Only the start is shown later: keeping only that is what bounds memory (not observable).
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
    // A CRLF line's \r is JSON whitespace: JSON.parse reads the record either way.
    const parsed = this.reader.read(line)
    if (!('defined' in parsed)) out.push(parsed)
  }
}

function longLine(start: string): ParsedTraceLine {
  return {
    ok: false,
    reason: `the line is longer than ${MAX_TRACE_LINE} characters`,
    line: `${start.slice(0, SHOWN)}…`,
  }
}
