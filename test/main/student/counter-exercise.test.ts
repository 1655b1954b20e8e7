import { describe, expect, it } from 'vitest'
import type { ActorStatus } from '@shared/actors'
import type { ProgramStatus } from '@shared/workspace'
import { freeUdpPort } from '../helpers'
import { harness, type Harness } from './core-harness'

// What a student does in the Counter lab's last step, through the IPC channels: start from the
// exercise, fill in the TODO lines, run it, run the app's client twice; the checkpoint that
// reads only the student's own program turns green (and does not for the unfinished exercise).

const CHECKPOINT = 'counter-your-server'

async function startExercise(h: Harness, port: number, solve: boolean): Promise<ProgramStatus> {
  await h.invoke('workspace:start', { labId: 'counter', from: 'exercise' })
  const { text } = await h.invoke<{ text: string }>('workspace:read', {
    labId: 'counter',
    name: 'counter_server.py',
  })
  let edited = text.replace('PORT = 50008', `PORT = ${port}`)
  if (solve) {
    edited = edited
      .replace(
        '    # TODO 1: make a variable that holds the count, starting at 0.\n',
        '    count = 0\n',
      )
      .replace(
        '                reply = b"PONG"\n',
        '                count += 1\n                reply = f"PONG #{count}".encode()\n',
      )
    expect(edited).toContain('count += 1')
  }
  await h.write('counter', 'counter_server.py', edited)
  const status = await h.invoke<ProgramStatus>('program:run', {
    labId: 'counter',
    name: 'counter_server.py',
  })
  expect(status.state).toBe('running')
  await h.printed(status.programId, /listening for PINGs/)
  return status
}

async function runAppClient(h: Harness, port: number) {
  const client = await h.invoke<ActorStatus>('actor:start', {
    labId: 'counter',
    kind: 'counter-client',
    host: '127.0.0.1',
    port,
  })
  await h.next(
    'actor:status',
    (s) => s.actorId === client.actorId && ['finished', 'failed'].includes(s.state),
  )
}

const result = (h: Harness) =>
  h.invoke<{ checkpoints: { id: string; passed: boolean; reason: string }[] }>('session:open', {
    labId: 'counter',
  })

describe('the Counter exercise, run in the app', () => {
  it('turns its checkpoint green once the student’s server counts for two clients', async () => {
    const h = await harness()
    const port = await freeUdpPort()
    const server = await startExercise(h, port, true)
    await runAppClient(h, port)
    await runAppClient(h, port)
    const passed = await h.next('checkpoints:update', (u) =>
      u.results.some((r) => r.id === CHECKPOINT && r.passed),
    )
    expect(passed.results.find((r) => r.id === CHECKPOINT)!.reason).toMatch(
      /PONG #1 to PONG #5, then .* PONG #6/,
    )
    // The lanes and the code highlight: the student's own actor and lines.
    const recv = (await result(h)) as unknown as {
      trace: { actor: string; op: string; anchor?: { file: string; name: string } }[]
    }
    const recvfrom = recv.trace.find(
      (e) => e.actor === 'your counter_server.py' && e.op === 'recvfrom',
    )
    expect(recvfrom?.anchor).toEqual({
      file: 'counter_server.py',
      name: expect.stringMatching(/^line:\d+$/),
    })
    await h.invoke('program:stop', { labId: 'counter', programId: server.programId })
  })

  it('leaves it not passed for the unfinished exercise, and says why', async () => {
    const h = await harness()
    const port = await freeUdpPort()
    await startExercise(h, port, false)
    await runAppClient(h, port)
    await runAppClient(h, port)
    // The program's calls reach the trace through its own pipe, maybe after the clients end.
    const update = await h.next('checkpoints:update', (u) =>
      u.results.some((r) => r.id === CHECKPOINT && /with no count/.test(r.reason)),
    )
    const mine = update.results.find((c) => c.id === CHECKPOINT)!
    expect(mine.passed).toBe(false)
    expect(mine.reason).toMatch(/answered "PONG", with no count/)
  })
})
