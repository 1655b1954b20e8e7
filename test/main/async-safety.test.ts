import { afterEach, describe, expect, it } from 'vitest'
import { actorDefinitions } from '../../src/main/net'
import { LabSession } from '../../src/main/session/lab-session'

const original = actorDefinitions['udp-server']
afterEach(() => {
  actorDefinitions['udp-server'] = original
})

describe('async paths in a session', () => {
  it('an actor whose run rejects is settled as failed, and nothing escapes unhandled', async () => {
    actorDefinitions['udp-server'] = {
      ...original,
      start: () => ({
        ready: Promise.resolve(),
        done: Promise.reject(new Error('the socket went away')),
        stop: async () => undefined,
      }),
    }
    const statuses: string[] = []
    const session = new LabSession('ping-pong', { onStatus: (s) => statuses.push(s.state) })
    const handle = session.startActor({ kind: 'udp-server', host: '127.0.0.1', port: 40000 })
    await expect(handle.done).resolves.toMatchObject({
      state: 'failed',
      message: 'Error: the socket went away',
    })
    expect(statuses.at(-1)).toBe('failed')
    await session.dispose()
  })
})
