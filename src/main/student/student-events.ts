import { basename, dirname, relative, sep } from 'node:path'
import { STUDENT_KIND } from '@shared/actor-catalogue'
import type { StudentTraceRecord } from '@shared/student-trace'
import { previewPayload, type ActorRole, type TraceEvent } from '@shared/trace'

/** What a trace event of the student's program holds: everything but its place in the trace. */
export type StudentEvent = Omit<TraceEvent, 'seq' | 't' | 'level'> & { level: TraceEvent['level'] }

/** The actor kind of a student's own program in the trace: the actor catalogue's entry. */
export { STUDENT_KIND }

/** The anchor name of a line of the student's file: `line:12` (the labs' own anchors are words). */
export const lineAnchor = (line: number) => `line:${line}`

export interface StudentEventOptions {
  /** The student's program, as started (e.g. /home/…/counter/counter_server.py). */
  programFile: string
  /** The folder anchors are named relative to (the workspace): default the program's folder. */
  root?: string
  /**
   * Who in the app holds a port the program could not bind ("counter-server#1, the app's
   * counter server"), so the trace can name it; undefined when it is not the app.
   */
  portHolder?(proto: 'tcp' | 'udp', port: number): string | undefined
}

interface SocketState {
  role: ActorRole
  conn?: string
}

const KINDS: Record<number, string> = { 1: 'SOCK_STREAM', 2: 'SOCK_DGRAM' }
const FAMILIES: Record<number, string> = {
  2: 'AF_INET',
  10: 'AF_INET6',
  23: 'AF_INET6',
  30: 'AF_INET6',
  1: 'AF_UNIX',
}
const SHUT: Record<number, string> = { 0: 'SHUT_RD', 1: 'SHUT_WR', 2: 'SHUT_RDWR' }

/**
 * Turns the tracer's records into trace events of one actor per program and thread: "your
 * counter_server.py" for the main thread, "your threaded_server.py · Thread-1" for a thread of
 * its own, so a threaded server gets a lifeline per client thread. TCP events carry the
 * connection as the app's actors name it (client address -> server address). Keeps a little
 * state per socket (its role, its connection); no I/O.
 */
export class StudentEventMapper {
  readonly actor: string
  private readonly root: string
  private readonly sockets = new Map<number, SocketState>()
  private readonly fileNames = new Map<string, string>()

  constructor(private readonly options: StudentEventOptions) {
    this.actor = `your ${basename(options.programFile)}`
    this.root = options.root ?? dirname(options.programFile)
  }

  /** The event for a record, or undefined for one not worth drawing (a non-blocking poll). */
  map(r: StudentTraceRecord): StudentEvent | undefined {
    if (r.proto === 'other' || r.outcome === 'wouldblock') return undefined
    const state = this.socket(r)
    const conn = this.learn(r, state)
    const actor = r.thread === 'MainThread' ? this.actor : `${this.actor} · ${r.thread}`
    const event: StudentEvent = {
      actor,
      actorKind: STUDENT_KIND,
      role: state.role,
      proto: r.proto,
      op: 'note',
      level: 'info',
    }
    if (r.local) event.local = r.local
    if (r.remote) event.remote = r.remote
    if (r.proto === 'tcp' && conn) event.conn = conn
    if (r.file !== null && r.line !== null) {
      event.anchor = { file: this.fileName(r.file), name: lineAnchor(r.line) }
    }
    if (r.op === 'bind' && isAddressInUse(r)) return this.busyPort(event, r)
    if (r.outcome !== 'ok') return failed(event, r)
    return succeeded(event, r)
  }

  /** A bind to a port something else holds: say so, and who holds it if it is the app. */
  private busyPort(event: StudentEvent, r: StudentTraceRecord): StudentEvent {
    const asked = r.asked ?? 'that address'
    const port = Number(/:(\d+)$/.exec(asked)?.[1])
    const holder =
      r.proto !== 'other' && port ? this.options.portHolder?.(r.proto, port) : undefined
    const who = holder
      ? `${holder} holds it: stop it there first, or give your program another port`
      : 'another program holds it (another copy of yours?): stop that one first, or use another port'
    event.op = 'error'
    event.level = 'error'
    return noted(
      event,
      `bind(${asked}) failed: that port is already in use; ${who} (${r.error ?? r.errno})`,
    )
  }

  private socket(r: StudentTraceRecord): SocketState {
    let s = this.sockets.get(r.sock)
    if (!s) this.sockets.set(r.sock, (s = { role: 'client' }))
    return s
  }

  /**
   * What a successful call tells about its socket (who it serves, which connection it is);
   * returns the connection the event belongs to.
   */
  private learn(r: StudentTraceRecord, s: SocketState): string | undefined {
    if (r.outcome !== 'ok') return s.conn
    switch (r.op) {
      case 'listen':
        s.role = 'server'
        break
      case 'bind':
        // A UDP socket bound to a port waits for datagrams: a server, as the labs draw it.
        if (r.proto === 'udp') s.role = 'server'
        break
      case 'connect':
        s.role = 'client'
        if (r.proto === 'tcp' && r.local && r.remote) s.conn = `${r.local}->${r.remote}`
        break
      case 'accept': {
        if (r.conn_sock === undefined) break
        const conn = r.remote && r.conn_local ? `${r.remote}->${r.conn_local}` : undefined
        this.sockets.set(r.conn_sock, { role: 'server', conn })
        // The accept event belongs to the new connection, as the app's servers draw it.
        return conn
      }
      case 'close':
        this.sockets.delete(r.sock)
        break
    }
    return s.conn
  }

  private fileName(file: string): string {
    let name = this.fileNames.get(file)
    if (name === undefined) this.fileNames.set(file, (name = this.nameOf(file)))
    return name
  }

  private nameOf(file: string): string {
    const rel = relative(this.root, file)
    if (!rel || rel.startsWith('..') || rel.includes(`..${sep}`)) return basename(file)
    return rel.split(sep).join('/')
  }
}

export const EVERY_INTERFACE =
  'bound to every network interface, so other machines on your network can reach this program too (127.0.0.1 keeps it on this machine)'

/** Is this "host:port" the wildcard address (0.0.0.0, ::, or an empty host)? */
export function bindsEveryInterface(address: string | null | undefined): boolean {
  if (!address) return false
  const host = address.replace(/:\d+$/, '')
  return host === '0.0.0.0' || host === '[::]' || host === '::' || host === '' || host === '[]'
}

function isAddressInUse(r: StudentTraceRecord): boolean {
  if (r.outcome === 'ok') return false
  return (
    r.errno === 'EADDRINUSE' ||
    r.errno === 'WSAEADDRINUSE' ||
    /address already in use/i.test(r.error ?? '')
  )
}

const PLAIN = /^[\x20-\x7e]{0,64}$/

function withPayload(
  event: StudentEvent,
  op: StudentEvent['op'],
  r: StudentTraceRecord,
): StudentEvent {
  event.op = op
  if (r.bytes !== undefined) event.bytes = r.bytes
  const data = r.data
  // Plain short ASCII (PING, PONG #3) is its own preview: no decoding on the common path.
  if (data) event.payload = PLAIN.test(data) ? data : previewPayload(Buffer.from(data, 'latin1'))
  return event
}

function noted(event: StudentEvent, message: string): StudentEvent {
  event.message = message
  return event
}

/** The event of a call that returned. Fills in `event` (made for this record only). */
function succeeded(event: StudentEvent, r: StudentTraceRecord): StudentEvent {
  switch (r.op) {
    case 'socket': {
      const family = FAMILIES[r.family ?? -1] ?? `family ${r.family}`
      const kind = KINDS[r.type ?? -1] ?? `type ${r.type}`
      event.op = 'socket'
      return noted(event, `socket(${family}, ${kind})`)
    }
    case 'bind':
      event.op = 'bind'
      if (bindsEveryInterface(r.asked ?? r.local)) {
        event.level = 'warn'
        return noted(event, `bind(${r.asked ?? r.local}): ${EVERY_INTERFACE}`)
      }
      return r.asked ? noted(event, `bind(${r.asked})`) : event
    case 'listen':
    case 'connect':
    case 'close':
      event.op = r.op
      return event
    case 'accept':
      event.op = 'accept'
      if (r.conn_local) event.local = r.conn_local
      return event
    case 'send':
    case 'sendall':
      return withPayload(event, 'send', r)
    case 'sendto':
      return withPayload(event, 'sendto', r)
    case 'recv':
    case 'recv_into':
      if (r.proto === 'tcp' && r.bytes === 0) {
        event.op = 'eof'
        event.bytes = 0
        return event
      }
      return withPayload(event, r.proto === 'udp' ? 'recvfrom' : 'recv', r)
    case 'recvfrom':
    case 'recvfrom_into':
      return withPayload(event, 'recvfrom', r)
    case 'settimeout':
      return noted(
        event,
        r.timeout === null || r.timeout === undefined
          ? 'settimeout(None): calls wait as long as it takes'
          : `settimeout(${r.timeout}): a call that waits longer raises socket.timeout`,
      )
    case 'setblocking':
      return noted(event, `setblocking(${r.blocking ? 'True' : 'False'})`)
    case 'shutdown':
      return noted(event, `shutdown(${SHUT[r.how ?? -1] ?? String(r.how)})`)
  }
}

/** A call that raised: a timeout is a warning, anything else an error, in the student's words. */
function failed(event: StudentEvent, r: StudentTraceRecord): StudentEvent {
  const raised = r.error ?? r.errno ?? 'an error'
  const call = r.op
  if (r.outcome === 'interrupted') {
    event.level = 'warn'
    return noted(event, `${call}() was interrupted by Ctrl+C (KeyboardInterrupt)`)
  }
  if (r.outcome === 'timeout') {
    event.op = 'timeout'
    event.level = 'warn'
    return noted(event, `${call}() timed out (${raised})`)
  }
  const why =
    r.outcome === 'refused'
      ? `${call}() to ${r.remote ?? 'the server'} was refused: nothing is listening there`
      : r.outcome === 'reset'
        ? `${call}(): the connection was reset by the other side`
        : `${call}() failed`
  event.op = 'error'
  event.level = 'error'
  return noted(event, `${why} (${raised})`)
}
