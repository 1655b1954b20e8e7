import { execFile } from 'node:child_process'
import type { Interpreter } from './platform'

/**
 * A syntax check that runs nothing of the student's: the interpreter compiles the file with
 * compile() and reports the first error's line as one JSON line. It starts isolated (-I) and
 * without the site module (-S): a third of a Python start, paid before every run.
 */
export type SyntaxReport =
  { ok: true } | { ok: false; line?: number; column?: number; kind: string; message: string }

const CHECK = [
  'import json, sys',
  'path = sys.argv[1]',
  'try:',
  '    with open(path, "rb") as f: source = f.read()',
  '    compile(source, path, "exec", dont_inherit=True)',
  '    print(json.dumps({"ok": True}))',
  'except (SyntaxError, ValueError) as e:',
  '    print(json.dumps({"ok": False, "kind": type(e).__name__, "message": getattr(e, "msg", None) or str(e),',
  '                      "line": getattr(e, "lineno", None), "column": getattr(e, "offset", None)}))',
].join('\n')

/** The helper's one line of output as a report. Pure. */
export function parseSyntaxReport(stdout: string): SyntaxReport {
  const line = stdout.trim().split('\n').pop() ?? ''
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return {
      ok: false,
      kind: 'CheckFailed',
      message: `The syntax check gave no answer: ${line.slice(0, 200)}`,
    }
  }
  const v = value as Record<string, unknown>
  if (v.ok === true) return { ok: true }
  const num = (x: unknown) =>
    typeof x === 'number' && Number.isInteger(x) && x > 0 ? x : undefined
  const report: SyntaxReport = {
    ok: false,
    kind: typeof v.kind === 'string' ? v.kind : 'SyntaxError',
    message: typeof v.message === 'string' ? v.message : 'invalid syntax',
  }
  const lineNo = num(v.line)
  const column = num(v.column)
  if (lineNo) report.line = lineNo
  if (column) report.column = column
  return report
}

export function checkSyntax(interpreter: Interpreter, file: string): Promise<SyntaxReport> {
  return new Promise((resolve) => {
    execFile(
      interpreter.command,
      [...interpreter.args, '-I', '-S', '-c', CHECK, file],
      { timeout: 10_000, windowsHide: true },
      (error, stdout, stderr) => {
        if (error && !stdout) {
          resolve({
            ok: false,
            kind: 'CheckFailed',
            message: `The syntax check did not run: ${stderr || error.message}`,
          })
        } else resolve(parseSyntaxReport(stdout))
      },
    )
  })
}
