import { runInNewContext } from 'node:vm'

/** How long one student pattern may run against one reply. */
export const REGEX_LIMIT_MS = 100

/**
 * A student's pattern runs in the main process, where a pattern that backtracks
 * catastrophically (e.g. `^(a+)+$` on "aaaa…b") would freeze every socket and the window.
 * V8 can interrupt a running RegExp, so the match runs in a VM context with a time limit.
 */
export function testPatternBounded(pattern: string, text: string): boolean {
  try {
    return runInNewContext(
      'new RegExp(pattern).test(text)',
      { pattern, text },
      {
        timeout: REGEX_LIMIT_MS,
      },
    ) as boolean
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      throw new PatternTooSlowError()
    }
    throw error
  }
}

export class PatternTooSlowError extends Error {
  constructor() {
    super(
      `the pattern took more than ${REGEX_LIMIT_MS} ms on this reply and was stopped: nested repeats such as (a+)+ backtrack without end; simplify it`,
    )
  }
}
