import type { ProgramStatus } from '@shared/workspace'

/** How a program ended, in one sentence, and whether that is good news. */
export function exitSummary(
  s: ProgramStatus,
): { text: string; tone: 'ok' | 'bad' | 'neutral' } | null {
  const exit = s.exit
  if (s.state === 'running' || !exit) return null
  if (exit.startError) return { text: `Could not start: ${exit.startError}`, tone: 'bad' }
  const f = exit.failure
  if (f) {
    const where = f.line !== undefined ? ` at line ${f.line}${f.file ? ` of ${f.file}` : ''}` : ''
    const ran =
      exit.code === null && !exit.signal ? 'Not run' : `Exit code ${exit.code ?? exit.signal}`
    return { text: `${ran} · ${f.exception}${where}: ${f.message}`, tone: 'bad' }
  }
  if (exit.stopped) return { text: 'Stopped (you pressed Stop)', tone: 'neutral' }
  if (exit.code === 0) return { text: 'Finished · exit code 0', tone: 'ok' }
  if (exit.code !== null) return { text: `Ended with exit code ${exit.code}`, tone: 'bad' }
  return { text: `Ended by signal ${exit.signal ?? 'unknown'}`, tone: 'bad' }
}

/** A tab's label: the file and its arguments, e.g. "counter_server.py 50008". */
export function programLabel(s: ProgramStatus): string {
  return [s.file, ...s.args].join(' ')
}
