import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { reportUnhandledRejections } from '../../src/main/unhandled'

describe('unhandled rejections', () => {
  it('are reported with what failed, and handled (so Node does not end the process)', () => {
    const proc = new EventEmitter()
    const reports: string[] = []
    reportUnhandledRejections(proc, (m) => reports.push(m))
    expect(proc.listenerCount('unhandledRejection')).toBe(1)
    proc.emit('unhandledRejection', new Error('disk full'))
    proc.emit('unhandledRejection', 'plain reason')
    expect(reports[0]).toMatch(/keeps running.*disk full/s)
    expect(reports[1]).toMatch(/plain reason/)
  })
})
