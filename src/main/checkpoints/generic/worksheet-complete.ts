import { z } from 'zod'
import { chosenLabel, worksheetStatus } from '@shared/worksheet'
import { notYet, pass } from '../rule'
import { typedRule } from './typed-rule'

/** Small counts in words, as a sentence says them (one and two have sentences of their own). */
const COUNT_WORDS: Record<number, string> = { 3: 'three', 4: 'four', 5: 'five', 6: 'six' }

/** Every question of the lab's worksheet is answered, each with more than a placeholder. */
export const worksheetComplete = typedRule({
  kind: 'worksheet-complete',
  params: z.strictObject({}),
  evaluate(_trace, _params, context) {
    const spec = context?.worksheetSpec
    if (!spec) return notYet('This lab has no worksheet to answer.')
    const sheet = context.worksheet
    const status = worksheetStatus(spec, sheet)
    const missing = status.filter((s) => !s.answered)
    if (missing.length === 0) {
      const n = spec.questions.length
      const picks = spec.questions.flatMap((q) => chosenLabel(q, sheet) ?? [])
      const all =
        n === 1
          ? 'The design question is'
          : n === 2
            ? 'Both design questions are'
            : `All ${COUNT_WORDS[n] ?? n} design questions are`
      return pass(`${all} answered${picks.length ? ` (${picks.join(', ')})` : ''}.`, [])
    }
    const named = missing.map((s) => {
      const q = spec.questions.find((q) => q.id === s.question)!
      return `${q.name} (${s.missing})`
    })
    return notYet(`Still to answer on the worksheet: ${named.join('; ')}.`)
  },
})
