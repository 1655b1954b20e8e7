import { describe, expect, it } from 'vitest'
import type { CheckpointResult } from '@shared/checkpoints'
import type { Lab } from '@shared/lab'
import { CheckpointEvaluator } from '../../../src/main/core/checkpoint-evaluator'
import type { ProgressStore } from '../../../src/main/progress/progress-store'

// A checkpoint passed in an earlier run stays passed; its words say what the trace shows now
// when it holds now (a corrected range, the newest ports), and the saved words when it does not.

const saved = { passedAt: '2026-12-01T10:00:00.000Z', reason: 'PONG #1 to #5 (first run)' }
const evaluator = new CheckpointEvaluator({
  progress: {
    isPassed: (_lab: string, id: string) => (id === 'a' ? saved : undefined),
  } as unknown as ProgressStore,
  lab: () => ({ id: 'counter', checkpoints: [] }) as unknown as Lab,
  trace: () => [],
  context: () => ({}),
  emit: () => undefined,
  report: () => undefined,
})
const result = (passed: boolean, reason: string): CheckpointResult => ({
  id: 'a',
  passed,
  reason,
  evidence: passed ? [3, 4] : [],
})

describe('CheckpointEvaluator.results', () => {
  it('a saved pass that holds now says what the trace shows now, with its saved date', () => {
    const [r] = evaluator.results('counter', [], [result(true, 'PONG #1 to #10 and #1 to #10')])
    expect(r).toEqual({
      id: 'a',
      passed: true,
      passedAt: saved.passedAt,
      reason: 'PONG #1 to #10 and #1 to #10',
      evidence: [3, 4],
    })
  })

  it('a saved pass that does not hold now keeps its saved words, without evidence', () => {
    const [r] = evaluator.results('counter', [], [result(false, 'no counter server yet')])
    expect(r).toEqual({
      id: 'a',
      passed: true,
      passedAt: saved.passedAt,
      reason: saved.reason,
      evidence: [],
    })
  })

  it('a checkpoint never passed is as the rule says', () => {
    const fresh: CheckpointResult = { id: 'b', passed: false, reason: 'not yet', evidence: [] }
    expect(evaluator.results('counter', [], [fresh])).toEqual([fresh])
  })
})
