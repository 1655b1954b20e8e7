import {
  decodeEscapes,
  formatWithin,
  showInvisible,
  type Check,
  type CheckResult,
} from '@shared/checks'

/** The expected value as the transcript shows it: a pattern between slashes, text with its invisibles. */
export function expectedText(expect: Check['expect']): string {
  return expect.mode === 'regex' ? `/${expect.value}/` : showInvisible(decodeEscapes(expect.value))
}

/** Where the caret goes under the shown reply: invisibles take two or four columns each. */
export function caretColumn(reply: string, diffIndex: number): number {
  return showInvisible(reply.slice(0, diffIndex)).length
}

/** What came after the compared reply (its end of line, a second line…), shown dimmed. */
export function afterReply(result: Pick<CheckResult, 'received' | 'reply'>): string {
  if (result.received === null || result.reply === null) return ''
  return result.received.startsWith(result.reply) ? result.received.slice(result.reply.length) : ''
}

const MODE_WORDS: Record<Check['expect']['mode'], string> = {
  exact: 'exactly',
  contains: 'containing',
  regex: 'matching',
}

/** "send "2+3\n" · expect exactly "OK 5" · within 2 s" */
export function checkSummary(check: Check): string {
  const sent = showInvisible(decodeEscapes(check.send) + (check.newline ? '\n' : ''))
  return `send "${sent}" · expect ${MODE_WORDS[check.expect.mode]} "${expectedText(check.expect)}" · within ${formatWithin(check.withinMs)}`
}

/** The checks as a file a student can keep or hand in. */
export function checksExport(labId: string, checks: readonly Check[]): string {
  return (
    JSON.stringify({ lab: labId, exportedAt: new Date().toISOString(), checks }, null, 2) + '\n'
  )
}

/** A fresh id for a new check: short, unique enough within one lab. */
export function newCheckId(existing: readonly Check[]): string {
  const taken = new Set(existing.map((c) => c.id))
  for (let n = existing.length + 1; ; n++) {
    const id = `check-${n}`
    if (!taken.has(id)) return id
  }
}

/** Where a check stands in the panel: in the run under way, or as its latest result says. */
export type CheckState = 'running' | 'passed' | 'failed' | 'not-run'

export const STATE_ICON: Record<CheckState, string> = {
  running: '…',
  passed: '✓',
  failed: '✗',
  'not-run': '○',
}

export function checkState(
  id: string,
  running: readonly string[],
  results: Readonly<Record<string, CheckResult>>,
): CheckState {
  if (running.includes(id)) return 'running'
  const result = results[id]
  if (!result) return 'not-run'
  return result.passed ? 'passed' : 'failed'
}

/** How many of the listed checks passed and failed in their latest runs (results of deleted checks do not count). */
export function tallyOf(
  checks: readonly Check[],
  results: Readonly<Record<string, CheckResult>>,
): { passed: number; failed: number } {
  let passed = 0
  let failed = 0
  for (const check of checks) {
    const result = results[check.id]
    if (result?.passed) passed++
    else if (result) failed++
  }
  return { passed, failed }
}

/** The caret line under a reply that differs: spaces up to the first different character, then `^`. */
export function caretLine(result: Pick<CheckResult, 'reply' | 'diffIndex'>): string {
  return ' '.repeat(caretColumn(result.reply ?? '', result.diffIndex ?? 0)) + '^'
}
