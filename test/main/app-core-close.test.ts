import { describe, expect, it, vi } from 'vitest'
import { AppCore } from '../../src/main/core/app-core'
import { labsDirWithPingPong, tempDir } from './helpers'

// A checkpoint rule that throws (a bug in a rule, a lab whose parameters a rule chokes on).
vi.mock('../../src/main/checkpoints', async (original) => ({
  ...(await original<typeof import('../../src/main/checkpoints')>()),
  evaluateCheckpoints: () => {
    throw new Error('a rule failed')
  },
}))

describe('closing a session whose last checkpoint pass fails', () => {
  it('still closes, and quitting (dispose) still finishes', async () => {
    const { labsDir } = await labsDirWithPingPong()
    const errors: Error[] = []
    const core = await AppCore.create({
      labsDir,
      userDataDir: await tempDir('socket-labs-close-'),
      onError: (e) => errors.push(e),
    })
    // Opening reports the failure to the page, but the session is there.
    expect((await core.invoke('session:open', { labId: 'ping-pong' })).ok).toBe(false)
    expect(core.session('ping-pong')).toBeDefined()
    await expect(core.dispose()).resolves.toBeUndefined()
    expect(core.session('ping-pong')).toBeUndefined()
    expect(errors.map((e) => e.message)).toContain('a rule failed')
  })
})
