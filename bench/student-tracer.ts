import { once } from 'node:events'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { LabSession } from '../src/main/session/lab-session'
import { findInterpreter } from '../src/main/student/platform'
import { StudentRunner } from '../src/main/student/runner'
import { STUDENT_KIND } from '../src/main/student/student-events'

/**
 * The tracer's cost, measured on a real Python program: a traced TCP ping-pong client against
 * the same program untraced (paired runs, median ratio), with its peer a second Python program
 * (the target) and with its peer in main's own event loop (the harder case: main records the
 * trace between the peer's answers); and the time from starting a program to its first traced
 * call arriving in the session's batches (what the diagram draws from).
 */
export interface PingPongPairs {
  untracedRoundTripsPerSecond: number
  tracedRoundTripsPerSecond: number
  ratio: number
  /** The tracer alone: traced, the pipe read by main but not parsed (median ratio). */
  tracerOnlyRatio: number
  ratios: number[]
  /** Trace events a traced run recorded (two per round trip plus set-up). */
  eventsPerTracedRun: number
}

export interface StudentTracerResult {
  roundTrips: number
  pairs: number
  pythonPeer: PingPongPairs
  mainPeer: PingPongPairs
  firstCallMs: number
  firstCallRuns: number[]
}

const PROGRAMS = join(import.meta.dirname, 'student-programs')
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const round = (x: number, digits = 0) => Number(x.toFixed(digits))

/** The peer in main's own event loop, as the app's actors are: trace recording competes with it. */
async function nodePongServer() {
  const server = createServer((socket) => {
    socket.setNoDelay(true)
    socket.on('data', (data) => socket.write('PONG'.repeat(Math.max(1, data.length >> 2))))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return { port: (server.address() as AddressInfo).port, close: () => server.close() }
}

/** The peer as a second (untraced) Python program, as when a student runs their own server. */
async function pythonPongServer(runner: StudentRunner) {
  let printed = ''
  let found: (port: number) => void = () => undefined
  const port = new Promise<number>((resolve) => (found = resolve))
  const program = runner.start({
    file: join(PROGRAMS, 'pong_server.py'),
    trace: false,
    onOutput(chunk) {
      printed += chunk.text
      const m = /^(\d+)\n/.exec(printed)
      if (m) found(Number(m[1]))
    },
  })
  return { port: await port, close: () => void program.stop(0) }
}

/**
 * `recorded`: traced, every record parsed into the session, as in the app. `read`: traced, the
 * pipe read by main but nothing parsed (what the tracer alone costs the program).
 */
type Mode = 'untraced' | 'read' | 'recorded'

async function pingPong(runner: StudentRunner, port: number, roundTrips: number, mode: Mode) {
  let events = 0
  const session = new LabSession('bench', { onBatch: (batch) => (events += batch.length) })
  const program = runner.start({
    file: join(PROGRAMS, 'pingpong_client.py'),
    args: [String(port), String(roundTrips)],
    trace: mode !== 'untraced',
    ...(mode === 'recorded' ? { traceSink: session } : { onTraceChunk: () => undefined }),
  })
  const exit = await program.exited
  session.flush()
  await session.dispose()
  const out = program.output.text('stdout')
  const rate = Number(/^rate ([\d.]+)$/m.exec(out)?.[1])
  if (exit.code !== 0 || !rate)
    throw new Error(`ping-pong failed: ${out}${program.output.text('stderr')}`)
  return { rate, events }
}

async function firstCall(runner: StudentRunner): Promise<number> {
  let startedAt = 0
  let arrived: (ms: number) => void = () => undefined
  const first = new Promise<number>((resolve) => (arrived = resolve))
  const session = new LabSession('bench', {
    onBatch(batch) {
      if (batch.events().some((e) => e.actorKind === STUDENT_KIND))
        arrived(performance.now() - startedAt)
    },
  })
  startedAt = performance.now()
  const program = runner.start({ file: join(PROGRAMS, 'first_call.py'), traceSink: session })
  const ms = await first
  await program.exited
  await session.dispose()
  return ms
}

async function pairedRuns(
  runner: StudentRunner,
  port: number,
  roundTrips: number,
  pairs: number,
): Promise<PingPongPairs> {
  const untraced: number[] = []
  const traced: number[] = []
  const ratios: number[] = []
  const tracerOnly: number[] = []
  let eventsPerTracedRun = 0
  await pingPong(runner, port, 200, 'recorded') // warm the disk cache and the interpreter
  for (let i = 0; i < pairs; i++) {
    const plain = await pingPong(runner, port, roundTrips, 'untraced')
    const withTrace = await pingPong(runner, port, roundTrips, 'recorded')
    const readOnly = await pingPong(runner, port, roundTrips, 'read')
    untraced.push(plain.rate)
    traced.push(withTrace.rate)
    ratios.push(withTrace.rate / plain.rate)
    tracerOnly.push(readOnly.rate / plain.rate)
    eventsPerTracedRun = withTrace.events
  }
  return {
    untracedRoundTripsPerSecond: round(median(untraced)),
    tracedRoundTripsPerSecond: round(median(traced)),
    ratio: round(median(ratios), 2),
    tracerOnlyRatio: round(median(tracerOnly), 2),
    ratios: ratios.map((r) => round(r, 2)),
    eventsPerTracedRun,
  }
}

export async function benchStudentTracer(
  roundTrips = 5000,
  pairs = 5,
  firstCallRuns = 7,
): Promise<StudentTracerResult> {
  const interpreter = await findInterpreter(process.platform)
  if ('error' in interpreter) throw new Error(interpreter.error)
  const runner = new StudentRunner({ interpreter })
  try {
    const pythonServer = await pythonPongServer(runner)
    const pythonPeer = await pairedRuns(runner, pythonServer.port, roundTrips, pairs)
    pythonServer.close()
    const nodeServer = await nodePongServer()
    const mainPeer = await pairedRuns(runner, nodeServer.port, roundTrips, pairs)
    nodeServer.close()
    const starts: number[] = []
    for (let i = 0; i < firstCallRuns; i++) starts.push(await firstCall(runner))
    return {
      roundTrips,
      pairs,
      pythonPeer,
      mainPeer,
      firstCallMs: round(median(starts), 1),
      firstCallRuns: starts.map((ms) => round(ms, 1)),
    }
  } finally {
    await runner.disposeAll(0)
  }
}
