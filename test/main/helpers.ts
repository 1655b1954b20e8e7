import { createSocket, type Socket as UdpSocket } from 'node:dgram'
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { once } from 'node:events'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe } from 'vitest'
import type { ActorStatus } from '@shared/actors'
import type { TraceEvent, TraceOp } from '@shared/trace'
import { unpackTrace } from '@shared/trace-wire'
import { LabSession, type LabSessionHooks } from '../../src/main/session/lab-session'
import type { TraceBatch } from '../../src/main/session/trace-recorder'
import { parse, stringify } from 'yaml'
import { loadLab } from '../../src/main/labs/load-labs'

export const HOST = '127.0.0.1'

/** A TCP port nothing listens on right now: bind a throwaway server to port 0, then close it. */
export async function freePort(): Promise<number> {
  const server = createServer()
  server.listen({ host: HOST, port: 0, exclusive: true })
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  server.close()
  await once(server, 'close')
  return port
}

/** A UDP port nothing is bound to right now, found the same way. */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4')
  socket.bind({ port: 0, address: HOST, exclusive: true })
  await once(socket, 'listening')
  const { port } = socket.address()
  socket.close()
  await once(socket, 'close')
  return port
}

const tempDirs: string[] = []
afterEach(async () => {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

const rawSockets: UdpSocket[] = []
afterEach(async () => {
  await Promise.all(
    rawSockets
      .splice(0)
      .map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))),
  )
})

/** A plain dgram socket on 127.0.0.1 (any free port unless given), closed after the test. */
export async function rawUdp(port = 0): Promise<UdpSocket> {
  const socket = createSocket('udp4')
  rawSockets.push(socket)
  socket.bind({ port, address: HOST, exclusive: true })
  await once(socket, 'listening')
  return socket
}

/** Close a socket from rawUdp() now (e.g. before a leak check) rather than after the test. */
export async function closeRawUdp(socket: UdpSocket): Promise<void> {
  rawSockets.splice(rawSockets.indexOf(socket), 1)
  await new Promise<void>((resolve) => socket.close(() => resolve()))
}

/** A fresh folder under the OS temp dir, removed after the current test. */
export async function tempDir(prefix = 'socket-labs-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  tempDirs.push(dir)
  return dir
}

const HANDLE_TYPES = new Set([
  'TCPWrap',
  'TCPSocketWrap',
  'TCPServerWrap',
  'UDPWrap',
  'ConnectWrap',
  'Timeout',
])

function countHandles(): Map<string, number> {
  const counts = new Map<string, number>()
  for (const name of process.getActiveResourcesInfo()) {
    if (HANDLE_TYPES.has(name)) counts.set(name, (counts.get(name) ?? 0) + 1)
  }
  return counts
}

export type HandleBaseline = Map<string, number>

/** The socket and timer handles open now (the test runner's own timers among them). */
export function handleBaseline(): HandleBaseline {
  return countHandles()
}

/**
 * Let the event loop turn (up to `turns` times) until no socket or timer handle is open
 * beyond `baseline`. Returns what is still open beyond it: empty when nothing leaked.
 */
export async function waitForNoSocketHandles(
  baseline: HandleBaseline,
  turns = 200,
): Promise<string[]> {
  let leftovers = extra(baseline)
  for (let i = 0; i < turns && leftovers.length > 0; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve))
    leftovers = extra(baseline)
  }
  return leftovers
}

function extra(baseline: HandleBaseline): string[] {
  const out: string[] = []
  for (const [name, count] of countHandles()) {
    for (let i = baseline.get(name) ?? 0; i < count; i++) out.push(name)
  }
  return out
}

/** The ops one actor performed, in trace order. */
export function opsOf(trace: readonly TraceEvent[], actor: string): TraceOp[] {
  return trace.filter((e) => e.actor === actor).map((e) => e.op)
}

export function eventsOf(trace: readonly TraceEvent[], actor: string): TraceEvent[] {
  return trace.filter((e) => e.actor === actor)
}

/** Each of an actor's events as [op, anchor file, anchor name]: which Python line it names. */
export function anchorsOf(trace: readonly TraceEvent[], actor: string) {
  return eventsOf(trace, actor).map((e) => [e.op, e.anchor?.file, e.anchor?.name])
}

/** Resolve when the session's trace has an event matching `match` (checked on each batch). */
export function waitForEvent(
  session: LabSession,
  sink: { onEvents: ((events: TraceEvent[]) => void)[] },
  match: (e: TraceEvent) => boolean,
): Promise<TraceEvent> {
  const found = session.trace.find(match)
  if (found) return Promise.resolve(found)
  return new Promise((resolve) => {
    const listener = (events: TraceEvent[]) => {
      const hit = events.find(match)
      if (!hit) return
      sink.onEvents.splice(sink.onEvents.indexOf(listener), 1)
      resolve(hit)
    }
    sink.onEvents.push(listener)
  })
}

/** Session hooks that fan batches and statuses out to tests waiting on them. */
export function sessionHooks() {
  const sink = {
    batches: [] as TraceEvent[][],
    statuses: [] as ActorStatus[],
    onEvents: [] as ((events: TraceEvent[]) => void)[],
  }
  const hooks = {
    flushMs: 1,
    onBatch(batch: TraceBatch) {
      // Through the wire format, as the hosts send it.
      const events = unpackTrace(batch.pack())
      sink.batches.push(events)
      for (const listener of [...sink.onEvents]) listener(events)
    },
    onStatus(status: ActorStatus) {
      sink.statuses.push(status)
    },
  }
  return { sink, hooks }
}

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const REAL_LABS_DIR = join(REPO_ROOT, 'labs')

/** Does `labs/ping-pong` hold a lab that loads and validates? (Another engineer writes it.) */
export async function realPingPongLoads(): Promise<boolean> {
  try {
    const result = await loadLab(REAL_LABS_DIR, 'ping-pong')
    if (!('lab' in result)) return false
    const ids = new Set(result.lab.checkpoints.map((c) => c.id))
    return ids.has('tcp-five-pongs') && ids.has('tcp-server-eof')
  } catch {
    return false
  }
}

/** A small, valid ping-pong lab that uses the ping-pong rule kinds. */
export const MINIMAL_LAB_YAML = `id: ping-pong
title: Ping-pong
summary: PING and PONG over TCP and UDP.
order: 1
defaultPort: 50007
steps:
  - id: tcp
    title: TCP ping-pong
    text: tcp.md
    code: [tcp_server.py, tcp_client.py]
    actors: [tcp-server, tcp-client]
    checkpoints: [tcp-five-pongs, tcp-server-eof]
  - id: udp
    title: UDP ping-pong
    text: udp.md
    code: [udp_server.py, udp_client.py]
    actors: [udp-server, udp-client]
    checkpoints: [udp-five-replies, udp-timeouts, compared]
checkpoints:
  - id: tcp-five-pongs
    title: Five PONGs over one TCP connection
    hint: Start the TCP server, then the TCP client.
    rule: { kind: tcp-round-trips, count: 5 }
  - id: tcp-server-eof
    title: The server sees end-of-stream
    hint: Let the client finish and close.
    rule: { kind: tcp-server-saw-eof }
  - id: udp-five-replies
    title: Five UDP replies to the sender
    hint: Start the UDP server, then the UDP client.
    rule: { kind: udp-replies-to-sender, count: 5 }
  - id: udp-timeouts
    title: Timeouts instead of hanging
    hint: Stop the UDP server and run the UDP client.
    rule: { kind: udp-timeouts-finished, count: 5 }
  - id: compared
    title: Both protocols
    hint: Run both clients.
    rule: { kind: both-protocols-compared }
`

/** Write the minimal lab into `<labsDir>/ping-pong`. */
export async function writeMinimalLab(labsDir: string, folder = 'ping-pong'): Promise<string> {
  const dir = join(labsDir, folder)
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'lab.yaml'), MINIMAL_LAB_YAML.replace('id: ping-pong', `id: ${folder}`))
  await writeFile(join(dir, 'tcp.md'), '# TCP\n\nStart the server, then the client.\n')
  await writeFile(join(dir, 'udp.md'), '# UDP\n\nDatagrams, no connection.\n')
  for (const name of ['tcp_server.py', 'tcp_client.py', 'udp_server.py', 'udp_client.py']) {
    const real = await readFile(join(REAL_LABS_DIR, 'ping-pong', name), 'utf8').catch(
      () => `# ${name}\n`,
    )
    await writeFile(join(dir, name), real)
  }
  return dir
}

/**
 * A labs folder holding a valid ping-pong lab: a copy of the real one when it exists and
 * validates, else the minimal lab above. Returns the folder and which one it used.
 */
export async function labsDirWithPingPong(): Promise<{ labsDir: string; real: boolean }> {
  const labsDir = join(await tempDir('socket-labs-labs-'), 'labs')
  await mkdir(labsDir, { recursive: true })
  if (await realPingPongLoads()) {
    await cp(join(REAL_LABS_DIR, 'ping-pong'), join(labsDir, 'ping-pong'), { recursive: true })
    return { labsDir, real: true }
  }
  await writeMinimalLab(labsDir)
  return { labsDir, real: false }
}

/** The minimal lab as a document to change, as a lab author would edit lab.yaml. */
export type LabDoc = Record<string, unknown> & {
  steps: Record<string, unknown>[]
  checkpoints: Record<string, unknown>[]
}

/** Loads a copy of the minimal lab in folder `echo`, changed by `mutate`. */
export async function loadChangedLab(mutate: (doc: LabDoc) => void) {
  const { labsDir } = await labsDirWithPingPong()
  const dir = await writeMinimalLab(labsDir, 'echo')
  const doc = parse(MINIMAL_LAB_YAML) as LabDoc
  doc.id = 'echo'
  mutate(doc)
  await writeFile(join(dir, 'lab.yaml'), stringify(doc))
  return loadLab(labsDir, 'echo')
}

/**
 * `newSession()` for a test file: each call opens a LabSession of `labId` with recording
 * hooks, and every session it made is disposed after each test.
 */
export function sessionFactory(labId: string, extra: Partial<LabSessionHooks> = {}) {
  const sessions: LabSession[] = []
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.dispose()))
  })
  return () => {
    const { sink, hooks } = sessionHooks()
    const session = new LabSession(labId, { ...hooks, ...extra })
    sessions.push(session)
    return { session, sink }
  }
}

/**
 * A describe block over real sockets. The mutation run (vitest.mutation.config.ts) skips
 * it: it tests the wiring, and a rule's mutant must be caught by the pure tests.
 */
export const describeWithSockets: ReturnType<typeof describe.skipIf> = describe.skipIf(
  process.env.SOCKET_LABS_PURE_TESTS === '1',
)
