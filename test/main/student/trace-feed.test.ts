import { describe, expect, it } from 'vitest'
import { FEED_QUEUE_LIMIT, FEED_SLICE, TraceFeed } from '../../../src/main/student/trace-feed'

function recorder() {
  const pushed: string[] = []
  let ended = 0
  return {
    pushed,
    ended: () => ended,
    push: (c: string) => void pushed.push(c),
    end: () => void ended++,
  }
}
const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

describe('TraceFeed', () => {
  it('hands the pipe over a slice per turn of the event loop, in order, then ends once', async () => {
    const r = recorder()
    const feed = new TraceFeed(r)
    const text = 'x'.repeat(FEED_SLICE * 2 + 10)
    feed.push(text)
    feed.end()
    expect(r.pushed).toEqual([])
    await turn()
    expect(r.pushed).toHaveLength(1)
    await feed.drained
    expect(r.pushed.join('')).toBe(text)
    expect(r.pushed.map((s) => s.length)).toEqual([FEED_SLICE, FEED_SLICE, 10])
    expect(r.ended()).toBe(1)
  })

  it('pauses the pipe while too much waits, and resumes it once half is recorded', async () => {
    const r = recorder()
    const calls: string[] = []
    const feed = new TraceFeed(r, {
      pause: () => calls.push('pause'),
      resume: () => calls.push('resume'),
    })
    feed.push('y'.repeat(FEED_SLICE * (FEED_QUEUE_LIMIT - 1)))
    expect(calls).toEqual([])
    feed.push('y')
    expect(calls).toEqual(['pause'])
    feed.end()
    await feed.drained
    expect(calls).toEqual(['pause', 'resume'])
    expect(r.pushed.join('').length).toBe(FEED_SLICE * (FEED_QUEUE_LIMIT - 1) + 1)
  })
})
