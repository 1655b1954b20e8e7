import type { TraceEvent } from '@shared/trace'
import { sameFile } from '@renderer/features/code/anchors'

/** The actor kind main gives the trace events of the student's own programs. */
export const STUDENT_ACTOR_KIND = 'student-program'

const LINE_ANCHOR = /^line:(\d+)$/

export function isStudentEvent(e: TraceEvent | null | undefined): e is TraceEvent {
  return e?.actorKind === STUDENT_ACTOR_KIND
}

/**
 * The line of the student's file an event of their program points at (its anchor is
 * `{file: 'counter_server.py', name: 'line:12'}`), or null for any other event or file.
 */
export function studentLine(e: TraceEvent | null | undefined, file: string): number | null {
  if (!isStudentEvent(e) || !e.anchor || !sameFile(e.anchor.file, file)) return null
  const m = LINE_ANCHOR.exec(e.anchor.name)
  return m ? Number(m[1]) : null
}

/** The workspace file an event of the student's program points into, if any. */
export function studentFile(e: TraceEvent | null | undefined): string | null {
  if (!isStudentEvent(e) || !e.anchor || !LINE_ANCHOR.test(e.anchor.name)) return null
  const f = e.anchor.file
  return f.slice(Math.max(f.lastIndexOf('/'), f.lastIndexOf('\\')) + 1)
}
