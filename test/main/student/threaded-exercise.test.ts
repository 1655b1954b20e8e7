import { describe, expect, it } from 'vitest'
import type { ActorStatus } from '@shared/actors'
import type { ProgramStatus } from '@shared/workspace'
import { freePort } from '../helpers'
import { harness, type Harness } from './core-harness'

// The Multi-client lab's last step through the IPC channels: the threaded exercise, finished
// or not, against two of the app's clients at once.

const CHECKPOINT = 'mc-your-threaded-server'
const LAB = 'multi-client'

async function runExercise(h: Harness, port: number, solve: boolean) {
  await h.invoke('workspace:start', { labId: LAB, from: 'exercise' })
  const { text } = await h.invoke<{ text: string }>('workspace:read', {
    labId: LAB,
    name: 'threaded_server.py',
  })
  let edited = text.replace('PORT = 50009', `PORT = ${port}`)
  if (solve) {
    edited = edited.replace(
      '            serve(connection, address)\n',
      '            threading.Thread(target=serve, args=(connection, address)).start()\n',
    )
    expect(edited).toContain('threading.Thread(')
  }
  await h.write(LAB, 'threaded_server.py', edited)
  const status = await h.invoke<ProgramStatus>('program:run', {
    labId: LAB,
    name: 'threaded_server.py',
  })
  await h.printed(status.programId, /listening on/)
  const clients = await Promise.all(
    [0, 1].map(() =>
      h.invoke<ActorStatus>('actor:start', {
        labId: LAB,
        kind: 'mc-client',
        host: '127.0.0.1',
        port,
        options: { count: 3, intervalMs: 150 },
      }),
    ),
  )
  for (const c of clients) {
    await h.next(
      'actor:status',
      (s) => s.actorId === c.actorId && ['finished', 'failed', 'stopped'].includes(s.state),
    )
  }
  // The program's calls reach the trace through its own pipe, maybe after the clients end:
  // wait for the checkpoint's verdict on both clients.
  const update = await h.next('checkpoints:update', (u) =>
    u.results.some(
      (r) => r.id === CHECKPOINT && (r.passed || /served 2 clients, but/.test(r.reason)),
    ),
  )
  return update.results.find((c) => c.id === CHECKPOINT)!
}

describe('the threaded-server exercise, run in the app', () => {
  it('passes once each client has a thread of its own', async () => {
    const h = await harness()
    const mine = await runExercise(h, await freePort(), true)
    expect(mine).toMatchObject({ passed: true })
    const threads = new Set(
      h.core
        .session(LAB)!
        .trace.filter((e) => e.actor.startsWith('your threaded_server.py · '))
        .map((e) => e.actor),
    )
    expect(threads.size).toBeGreaterThanOrEqual(2)
  })

  it('does not pass for the exercise as it is (one client at a time), and says why', async () => {
    const h = await harness()
    const mine = await runExercise(h, await freePort(), false)
    expect(mine.passed).toBe(false)
    expect(mine.reason).toMatch(/at most 1 at a time: hand each accepted connection/)
  })
})
