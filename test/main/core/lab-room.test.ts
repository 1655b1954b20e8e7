import { afterEach, describe, expect, it } from 'vitest'
import { LabRoom, MAX_CHECK_OUTCOMES } from '../../../src/main/core/lab-room'

const outcome = (i: number) => ({ name: `check ${i}`, passed: i % 2 === 0, sent: 'PING\n' })

describe('LabRoom', () => {
  let room: LabRoom
  afterEach(() => room.dispose())

  it('keeps only the newest check outcomes, oldest dropped first', () => {
    room = new LabRoom('protocol', {})
    room.addCheckOutcomes(Array.from({ length: MAX_CHECK_OUTCOMES - 1 }, (_, i) => outcome(i)))
    room.addCheckOutcomes([outcome(1000), outcome(1001)])
    expect(room.checkOutcomes).toHaveLength(MAX_CHECK_OUTCOMES)
    expect(room.checkOutcomes[0]!.name).toBe('check 1')
    expect(room.checkOutcomes.at(-1)!.name).toBe('check 1001')
  })

  it('Clear forgets the trace, the check outcomes and the trim notice', () => {
    room = new LabRoom('protocol', {})
    room.session.record({
      actor: 'a',
      actorKind: 'tcp-client',
      role: 'client',
      proto: 'tcp',
      op: 'note',
      level: 'info',
    })
    room.session.flush()
    room.addCheckOutcomes([outcome(1)])
    room.trimNoticed = true
    room.clear()
    expect(room.session.trace).toHaveLength(0)
    expect(room.checkOutcomes).toHaveLength(0)
    expect(room.trimNoticed).toBe(false)
  })

  it('closing aborts a check run in progress', async () => {
    room = new LabRoom('protocol', {})
    const run = new AbortController()
    room.checkRun = run
    await room.dispose()
    expect(run.signal.aborted).toBe(true)
  })
})
