import { describe, expect, it } from 'vitest'
import type { ProgramStatus } from '@shared/workspace'
import { alive, harness, survivors, type Harness } from './core-harness'

// Nothing the student runs outlives its lab or the app: the program, and a child it started
// in its group, are gone (checked by pid) once the lab is left or the app quits.

/** A program that ignores Ctrl+C and starts a child that ignores it too, then waits forever. */
const STUBBORN = [
  'import signal, subprocess, sys, time',
  'signal.signal(signal.SIGINT, signal.SIG_IGN)',
  'child = subprocess.Popen([sys.executable, "-c", "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); print(\'child ready\', flush=True); time.sleep(600)"])',
  'time.sleep(0.01)',
  'print("pids", child.pid, flush=True)',
  'while True:',
  '    time.sleep(1)',
  '',
].join('\n')

async function startStubborn(h: Harness, labId = 'counter'): Promise<number[]> {
  await h.write(labId, 'stubborn.py', STUBBORN)
  const status = await h.invoke<ProgramStatus>('program:run', { labId, name: 'stubborn.py' })
  await h.printed(status.programId, /pids \d+\n/)
  await h.printed(status.programId, /child ready\n/)
  const child = Number(/pids (\d+)/.exec(h.output(status.programId))![1])
  const pids = [status.pid!, child]
  expect(pids.every(alive)).toBe(true)
  return pids
}

describe('no student program is left behind', () => {
  it('when the lab is left (session:close), with the child it started', async () => {
    const h = await harness()
    const pids = await startStubborn(h)
    const other = await startStubborn(h, 'lossy-udp')
    await h.invoke('session:close', { labId: 'counter' })
    expect(await survivors(pids)).toEqual([])
    // Another lab's programs go on running.
    expect(other.every(alive)).toBe(true)
    expect(await h.invoke('program:list', { labId: 'counter' })).toEqual([])
    const exited = h.events.find(
      (e) => e.channel === 'program:status' && e.payload.state === 'exited',
    )
    expect(exited?.payload).toMatchObject({ labId: 'counter', exit: { stopped: true } })
  })

  it('when the app quits (AppCore.dispose), in every lab', async () => {
    const h = await harness()
    const pids = [...(await startStubborn(h)), ...(await startStubborn(h, 'multi-client'))]
    await h.core.dispose()
    expect(await survivors(pids)).toEqual([])
  })

  it('ends a program’s children when the program itself exits', async () => {
    const h = await harness()
    await h.write(
      'counter',
      'leaves.py',
      'import subprocess, sys\nchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])\nprint("child", child.pid, flush=True)\n',
    )
    const status = await h.invoke<ProgramStatus>('program:run', {
      labId: 'counter',
      name: 'leaves.py',
    })
    await h.exited(status.programId)
    const child = Number(/child (\d+)/.exec(h.output(status.programId))![1])
    expect(await survivors([child])).toEqual([])
  })
})

describe('the limit on programs running at once', () => {
  it('refuses one more with a start error that says what to do, and runs it once one stops', async () => {
    const h = await harness({ student: { maxRunning: 2 } })
    await h.write('counter', 'wait.py', 'import time\nprint("up", flush=True)\ntime.sleep(600)\n')
    const run = () => h.invoke<ProgramStatus>('program:run', { labId: 'counter', name: 'wait.py' })
    const a = await run()
    await run()
    const third = await run()
    expect(third.state).toBe('exited')
    expect(third.exit?.startError).toMatch(/2 programs are running already.*Stop one of them/)
    await h.invoke('program:stop', { labId: 'counter', programId: a.programId })
    expect((await run()).state).toBe('running')
  })
})
