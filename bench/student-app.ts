import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { PackedTrace } from '@shared/trace-wire'
import { unpackTrace } from '@shared/trace-wire'
import type { ProgramStatus } from '@shared/workspace'
import { AppCore } from '../src/main/core/app-core'
import { STUDENT_KIND } from '../src/main/student/student-events'

/**
 * The student's program through the whole app, as the page drives it: program:run (the
 * syntax check, then the traced start) and the session's trace batches, the messages the
 * diagram draws from.
 *
 * - start to first traced call: from the program:run invoke to the first batch holding an
 *   event of the student's program;
 * - 1,000 socket calls per second: a program that calls sendto() every millisecond for a few
 *   seconds, each datagram carrying the wall-clock time of its call; the delay of each call
 *   is the time its event's batch went out minus that time (both clocks are this machine's).
 */
export interface StudentAppResult {
  firstCallMs: number
  firstCallRuns: number[]
  steady: {
    callsPerSecond: number
    calls: number
    p50Ms: number
    p95Ms: number
    maxMs: number
  }
}

const LAB = 'counter'
const PROGRAMS = join(import.meta.dirname, 'student-programs')

/** One sendto() per millisecond for `seconds`, each payload "T <ms since the epoch>". */
const STEADY = (seconds: number, rate: number) => `import socket, time
sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sink.bind(("127.0.0.1", 0))
out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
address = sink.getsockname()
start = time.monotonic()
for i in range(${seconds * rate}):
    wait = start + i / ${rate} - time.monotonic()
    if wait > 0:
        time.sleep(wait)
    out.sendto(b"T %.3f" % (time.time() * 1000), address)
out.close()
sink.close()
`

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!
const round = (x: number, digits = 1) => Number(x.toFixed(digits))

async function invoke<T>(core: AppCore, channel: string, args: unknown): Promise<T> {
  const reply = await core.invoke(channel, args)
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`)
  return reply.value as T
}

/**
 * Every program exit from now on, kept: a short program can exit before its program:run
 * answer is even read, so waiting for its exit must look back too.
 */
function watchExits(core: AppCore) {
  const seen = new Map<string, ProgramStatus>()
  const waiting = new Map<string, (status: ProgramStatus) => void>()
  const stop = core.subscribe((channel, payload) => {
    const status = payload as ProgramStatus
    if (channel !== 'program:status' || status.state !== 'exited') return
    seen.set(status.programId, status)
    waiting.get(status.programId)?.(status)
  })
  return {
    exited(programId: string): Promise<ProgramStatus> {
      const done = seen.get(programId)
      if (done) return Promise.resolve(done)
      return new Promise((resolve) => waiting.set(programId, resolve))
    },
    stop,
  }
}

async function firstCall(core: AppCore): Promise<number> {
  let startedAt = 0
  let arrived: (ms: number) => void = () => undefined
  const first = new Promise<number>((resolve) => (arrived = resolve))
  const stop = core.subscribe((channel, payload) => {
    if (channel !== 'trace:batch') return
    const { trace } = payload as { trace: PackedTrace }
    if (unpackTrace(trace).some((e) => e.actorKind === STUDENT_KIND))
      arrived(performance.now() - startedAt)
  })
  const exits = watchExits(core)
  startedAt = performance.now()
  const status = await invoke<ProgramStatus>(core, 'program:run', {
    labId: LAB,
    name: 'first_call.py',
  })
  const ms = await first
  stop()
  await exits.exited(status.programId)
  exits.stop()
  await invoke(core, 'session:clear', { labId: LAB })
  return ms
}

async function steady(core: AppCore, seconds: number, rate: number) {
  await invoke(core, 'workspace:write', {
    labId: LAB,
    name: 'steady.py',
    text: STEADY(seconds, rate),
  })
  const delays: number[] = []
  const stop = core.subscribe((channel, payload) => {
    if (channel !== 'trace:batch') return
    const now = Date.now()
    for (const e of unpackTrace((payload as { trace: PackedTrace }).trace)) {
      if (e.actorKind !== STUDENT_KIND || e.op !== 'sendto') continue
      const sentAt = Number(/^T ([\d.]+)$/.exec(e.payload ?? '')?.[1])
      if (sentAt) delays.push(now - sentAt)
    }
  })
  const exits = watchExits(core)
  const status = await invoke<ProgramStatus>(core, 'program:run', { labId: LAB, name: 'steady.py' })
  const exit = await exits.exited(status.programId)
  exits.stop()
  stop()
  if (exit.exit?.code !== 0) throw new Error(`steady.py failed: ${JSON.stringify(exit.exit)}`)
  return {
    callsPerSecond: rate,
    calls: delays.length,
    p50Ms: round(median(delays)),
    p95Ms: round(percentile(delays, 95)),
    maxMs: round(Math.max(...delays)),
  }
}

export async function benchStudentApp(firstCallRuns = 7, seconds = 5): Promise<StudentAppResult> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'socket-labs-bench-student-'))
  const core = await AppCore.create({ labsDir: join(import.meta.dirname, '../labs'), userDataDir })
  try {
    await invoke(core, 'workspace:write', {
      labId: LAB,
      name: 'first_call.py',
      text: await readFile(join(PROGRAMS, 'first_call.py'), 'utf8'),
    })
    await invoke(core, 'workspace:get', { labId: LAB }) // finds the interpreter, as opening the lab does
    await firstCall(core) // warm the disk cache and the interpreter
    const starts: number[] = []
    for (let i = 0; i < firstCallRuns; i++) starts.push(await firstCall(core))
    return {
      firstCallMs: round(median(starts)),
      firstCallRuns: starts.map((ms) => round(ms)),
      steady: await steady(core, seconds, 1000),
    }
  } finally {
    await core.dispose()
    await rm(userDataDir, { recursive: true, force: true })
  }
}
