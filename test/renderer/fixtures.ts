import type { ActorRole, Protocol, TraceEvent, TraceOp } from '@shared/trace'
import type { Lab } from '@shared/lab'

/** An actor of a fake trace. */
export interface FakeActor {
  id: string
  kind: string
  role: ActorRole
  proto: Protocol
  file: string
  local?: string
}

export const SERVER_ADDR = '127.0.0.1:50007'
export const CLIENT_ADDR = '127.0.0.1:54012'

export function actor(
  id: string,
  role: ActorRole,
  proto: Protocol,
  local?: string,
  file = `${proto}_${role}.py`,
): FakeActor {
  return { id: `${id}`, kind: `${proto}-${role}`, role, proto, file, local }
}

/** Builds a trace the way main would: seq from 1, time going up. */
export class TraceBuilder {
  readonly events: TraceEvent[] = []
  private seq = 0
  private t = 0

  constructor(private readonly stepMs = 0.7) {}

  add(a: FakeActor, op: TraceOp, extra: Partial<TraceEvent> = {}): TraceEvent {
    this.seq += 1
    this.t += this.stepMs
    const event: TraceEvent = {
      seq: this.seq,
      t: Math.round(this.t * 10) / 10,
      actor: a.id,
      actorKind: a.kind,
      role: a.role,
      proto: a.proto,
      op,
      level: op === 'error' ? 'error' : 'info',
      anchor: { file: a.file, name: op },
      ...(a.local && op !== 'socket' ? { local: a.local } : {}),
      ...extra,
    }
    this.events.push(event)
    return event
  }

  /** server: socket → bind → listen, and the note that it now waits in accept(). */
  tcpServerUp(server: FakeActor): this {
    this.add(server, 'socket')
    this.add(server, 'bind')
    this.add(server, 'listen')
    this.add(server, 'note', { message: 'waiting in accept()', anchor: undefined })
    return this
  }

  /** A client connects and the server accepts it (connect is traced first). */
  tcpConnect(client: FakeActor, server: FakeActor, conn = 'c1'): this {
    this.add(client, 'socket')
    this.add(client, 'connect', { remote: server.local, conn })
    this.add(server, 'accept', { remote: client.local, conn })
    return this
  }

  /** `count` PING/PONG exchanges over one TCP connection. */
  tcpPingPong(client: FakeActor, server: FakeActor, count = 5, conn = 'c1'): this {
    for (let i = 0; i < count; i++) {
      this.add(client, 'send', { remote: server.local, conn, bytes: 4, payload: 'PING' })
      this.add(server, 'recv', { remote: client.local, conn, bytes: 4, payload: 'PING' })
      this.add(server, 'send', { remote: client.local, conn, bytes: 4, payload: 'PONG' })
      this.add(client, 'recv', {
        remote: server.local,
        conn,
        bytes: 4,
        payload: 'PONG',
        rttMs: 0.4,
      })
    }
    return this
  }

  /** Client closes, the server sees end-of-stream and closes too. */
  tcpTeardown(client: FakeActor, server: FakeActor, conn = 'c1'): this {
    this.add(client, 'close', { remote: server.local, conn })
    this.add(server, 'eof', { remote: client.local, conn })
    this.add(server, 'close', { remote: client.local, conn })
    return this
  }
}

export const tcpServer = actor('tcp-server#1', 'server', 'tcp', SERVER_ADDR)
export const tcpClient = actor('tcp-client#2', 'client', 'tcp', CLIENT_ADDR)
export const udpServer = actor('udp-server#1', 'server', 'udp', SERVER_ADDR)
export const udpClient = actor('udp-client#2', 'client', 'udp', '127.0.0.1:41234')

/** The full TCP ping-pong of lab 1, between two of the app's actors. */
export function tcpPingPongTrace(count = 5): TraceEvent[] {
  return new TraceBuilder()
    .tcpServerUp(tcpServer)
    .tcpConnect(tcpClient, tcpServer)
    .tcpPingPong(tcpClient, tcpServer, count)
    .tcpTeardown(tcpClient, tcpServer).events
}

/** The app's TCP server talking to the student's own script (not traced). */
export function externalClientTrace(): TraceEvent[] {
  const b = new TraceBuilder().tcpServerUp(tcpServer)
  const student = '127.0.0.1:54999'
  b.add(tcpServer, 'accept', { remote: student, conn: 'c1' })
  for (let i = 0; i < 2; i++) {
    b.add(tcpServer, 'recv', { remote: student, conn: 'c1', bytes: 4, payload: 'PING' })
    b.add(tcpServer, 'send', { remote: student, conn: 'c1', bytes: 4, payload: 'PONG' })
  }
  b.add(tcpServer, 'eof', { remote: student, conn: 'c1' })
  b.add(tcpServer, 'close', { remote: student, conn: 'c1' })
  return b.events
}

/** UDP with a lossy server: the second reply is dropped and the client times out. */
export function lossyUdpTrace(): TraceEvent[] {
  const b = new TraceBuilder()
  const s = udpServer
  const c = udpClient
  b.add(s, 'socket')
  b.add(s, 'bind')
  b.add(c, 'socket')
  for (let i = 1; i <= 2; i++) {
    const ping = `PING ${i}`
    const pong = `PONG ${i}`
    b.add(c, 'sendto', { remote: s.local, bytes: ping.length, payload: ping })
    b.add(s, 'recvfrom', { remote: c.local, bytes: ping.length, payload: ping })
    if (i === 2) {
      b.add(s, 'drop', { remote: c.local, bytes: pong.length, payload: pong, level: 'warn' })
      b.add(c, 'timeout', { remote: s.local, message: 'no reply within 2 s', level: 'warn' })
    } else {
      b.add(s, 'sendto', { remote: c.local, bytes: pong.length, payload: pong })
      b.add(c, 'recvfrom', { remote: s.local, bytes: pong.length, payload: pong })
    }
  }
  b.add(c, 'close')
  return b.events
}

/** A long UDP session: `n` events of PING/PONG between two actors. */
export function bigUdpTrace(n: number): TraceEvent[] {
  const b = new TraceBuilder(0.01)
  b.add(udpServer, 'socket')
  b.add(udpServer, 'bind')
  b.add(udpClient, 'socket')
  let i = 0
  while (b.events.length < n) {
    i++
    const ping = `PING ${i}`
    const pong = `PONG ${i}`
    b.add(udpClient, 'sendto', { remote: SERVER_ADDR, bytes: ping.length, payload: ping })
    b.add(udpServer, 'recvfrom', { remote: udpClient.local, bytes: ping.length, payload: ping })
    b.add(udpServer, 'sendto', { remote: udpClient.local, bytes: pong.length, payload: pong })
    b.add(udpClient, 'recvfrom', { remote: SERVER_ADDR, bytes: pong.length, payload: pong })
  }
  b.events.length = n
  return b.events
}

export const TCP_SERVER_PY = `import socket

HOST = "127.0.0.1"
PORT = 50007

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # anchor: socket
server.bind((HOST, PORT))  # anchor: bind
server.listen()  # anchor: listen
conn, addr = server.accept()  # anchor: accept
with conn:
    while True:
        data = conn.recv(1024)  # anchor: recv
        if not data:  # anchor: eof
            break
        conn.sendall(b"PONG")  # anchor: send
server.close()  # anchor: close
`

export const TCP_CLIENT_PY = `import socket

client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # anchor: socket
client.connect(("127.0.0.1", 50007))  # anchor: connect
for _ in range(5):
    client.sendall(b"PING")  # anchor: send
    reply = client.recv(1024)  # anchor: recv
    print(reply.decode())
client.close()  # anchor: close
`

/** A small lab with two steps, shaped like what `labs:get` returns. */
export function fakeLab(): Lab {
  return {
    id: 'ping-pong',
    title: 'Ping-pong',
    summary: 'A client says PING, a server answers PONG, over TCP and over UDP.',
    order: 1,
    defaultPort: 50007,
    files: [
      { name: 'tcp_server.py', source: TCP_SERVER_PY },
      { name: 'tcp_client.py', source: TCP_CLIENT_PY },
    ],
    checkpoints: [
      {
        id: 'tcp-server-listening',
        title: 'The TCP server is listening',
        hint: 'Press “Start TCP server”.',
        rule: { kind: 'op-seen', op: 'listen' },
      },
      {
        id: 'tcp-five-pongs',
        title: 'Five PONGs over one connection',
        hint: 'Run the TCP client while the server is running.',
        rule: { kind: 'count', op: 'recv', payload: 'PONG', min: 5 },
      },
    ],
    steps: [
      {
        id: 'tcp',
        title: 'TCP ping-pong',
        text: 'tcp.md',
        markdown: '# TCP ping-pong\n\nStart the **server**, then run the client.\n',
        code: ['tcp_server.py', 'tcp_client.py'],
        panels: [],
        actors: ['tcp-server', 'tcp-client'],
        checkpoints: ['tcp-server-listening', 'tcp-five-pongs'],
        expected: {
          proto: 'tcp',
          lifelines: [
            { id: 'client', label: 'Client', role: 'client' },
            { id: 'server', label: 'Server', role: 'server' },
          ],
          events: [
            { actor: 'server', op: 'listen' },
            { actor: 'client', op: 'connect', peer: 'server' },
            { actor: 'server', op: 'accept', peer: 'client' },
            { actor: 'client', op: 'send', peer: 'server', payload: 'PING' },
            { actor: 'server', op: 'recv', peer: 'client', payload: 'PING' },
            { actor: 'server', op: 'send', peer: 'client', payload: 'PONG' },
            { actor: 'client', op: 'recv', peer: 'server', payload: 'PONG' },
            { actor: 'client', op: 'close', peer: 'server' },
            { actor: 'server', op: 'eof', peer: 'client' },
            { actor: 'server', op: 'close' },
          ],
        },
      },
      {
        id: 'compare',
        title: 'TCP vs UDP',
        text: 'compare.md',
        markdown: 'Compare the two.',
        code: [],
        panels: [],
        actors: [],
        checkpoints: [],
        comparison: {
          columns: ['TCP', 'UDP'],
          rows: [
            { aspect: 'Setup', values: ['socket, bind, listen, accept', 'socket, bind'] },
            { aspect: 'Teardown', values: ['close sends FIN', 'nothing on the wire'] },
          ],
        },
      },
    ],
  }
}
