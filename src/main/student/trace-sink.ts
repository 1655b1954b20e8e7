import type { TraceEvent } from '@shared/trace'
import { StudentEventMapper, type StudentEventOptions } from './student-events'
import { TraceLineSplitter, type ParsedTraceLine } from './trace-lines'
import { tracerClock, type TracerClock } from './tracer-clock'

/** Where the student's events go: LabSession.record fits. */
export interface StudentTraceSink {
  /** `now`: when the call was made, on performance.now()'s clock (see tracer-clock.ts). */
  record(event: Omit<TraceEvent, 'seq' | 't'>, now?: number): unknown
}

export type RejectedTraceLine = Extract<ParsedTraceLine, { ok: false }>

export interface StudentTraceRecorder {
  /** The actor name of the program's main thread, e.g. "your counter_server.py". */
  readonly actor: string
  /** A chunk read from the tracer's pipe (UTF-8 decoded). */
  push(chunk: string): void
  /** The pipe closed. */
  end(): void
  readonly counts: { records: number; events: number; rejected: number }
}

/**
 * Reads the tracer's pipe into a session: each record becomes a trace event of the student's
 * program; a line that is not a record is handed to `onRejected` (with the reason) and skipped.
 */
export function recordStudentTrace(
  sink: StudentTraceSink,
  options: StudentEventOptions & {
    onRejected?(line: RejectedTraceLine): void
    clock?: TracerClock
  },
): StudentTraceRecorder {
  const clock = options.clock ?? tracerClock()
  const splitter = new TraceLineSplitter()
  const mapper = new StudentEventMapper(options)
  const counts = { records: 0, events: 0, rejected: 0 }
  const take = (lines: ParsedTraceLine[]) => {
    for (const parsed of lines) {
      if (!parsed.ok) {
        counts.rejected++
        options.onRejected?.(parsed)
        continue
      }
      counts.records++
      const event = mapper.map(parsed.record)
      if (!event) continue
      counts.events++
      sink.record(event, clock(parsed.record.t))
    }
  }
  return {
    actor: mapper.actor,
    counts,
    push: (chunk) => take(splitter.push(chunk)),
    end: () => take(splitter.end()),
  }
}
