// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import {
  buildDiagram,
  DEFAULT_MAX_ROWS,
  normalizeAddress,
  studentTitle,
  type ArrowRow,
  type DiagramRow,
} from '@renderer/features/diagram/build-diagram'
import {
  CLIENT_ADDR,
  SERVER_ADDR,
  TraceBuilder,
  actor,
  bigUdpTrace,
  externalClientTrace,
  lossyUdpTrace,
  tcpClient,
  tcpPingPongTrace,
  tcpServer,
} from './fixtures'

const arrows = (rows: DiagramRow[]) => rows.filter((r): r is ArrowRow => r.kind === 'arrow')
const labels = (rows: DiagramRow[]) => arrows(rows).map((r) => r.label)

describe('buildDiagram', () => {
  it('gives one lifeline per actor, labelled with kind and local address, client first', () => {
    const d = buildDiagram(tcpPingPongTrace())
    expect(d.lifelines.map((l) => l.label)).toEqual([
      `TCP client ${CLIENT_ADDR}`,
      `TCP server ${SERVER_ADDR}`,
    ])
    expect(d.lifelines.every((l) => !l.external)).toBe(true)
    expect(d.hiddenEvents).toBe(0)
  })

  it('draws a TCP ping-pong: local calls, handshake, data arrows, FIN', () => {
    const trace = tcpPingPongTrace(5)
    const d = buildDiagram(trace)
    const calls = d.rows.filter((r) => r.kind === 'call').map((r) => (r as { op: string }).op)
    expect(calls.slice(0, 3)).toEqual(['socket', 'bind', 'listen'])
    expect(calls).toContain('accept')
    expect(calls).toContain('connect')
    expect(calls).toContain('eof')

    expect(labels(d.rows)).toEqual([
      'SYN (inferred)',
      'SYN-ACK (inferred)',
      'ACK (inferred)',
      ...Array.from({ length: 5 }, () => ['PING · 4 B', 'PONG · 4 B']).flat(),
      'FIN (inferred)',
    ])
    const [syn, synAck, ack] = arrows(d.rows)
    expect(syn).toMatchObject({ from: 'tcp-client#2', to: 'tcp-server#1', inferred: true })
    expect(synAck).toMatchObject({ from: 'tcp-server#1', to: 'tcp-client#2', inferred: true })
    expect(ack).toMatchObject({ from: 'tcp-client#2', to: 'tcp-server#1', inferred: true })
    const fin = arrows(d.rows).at(-1)!
    expect(fin).toMatchObject({ from: 'tcp-client#2', to: 'tcp-server#1', inferred: true })
    // The handshake is drawn once, not again when the server's accept comes in.
    expect(labels(d.rows).filter((l) => l.startsWith('SYN ('))).toHaveLength(1)
  })

  it('pairs each receive with its send: one arrow, marked with the arrival', () => {
    const trace = tcpPingPongTrace(1)
    const d = buildDiagram(trace)
    const ping = arrows(d.rows).find((r) => r.label === 'PING · 4 B')!
    const send = trace.find((e) => e.op === 'send' && e.payload === 'PING')!
    const recv = trace.find((e) => e.op === 'recv' && e.payload === 'PING')!
    expect(ping.seq).toBe(send.seq)
    expect(ping.arrivalSeq).toBe(recv.seq)
    expect(ping.inferred).toBe(false)
    // No second arrow and no box for the matched receive.
    expect(d.rows.some((r) => r.seq === recv.seq)).toBe(false)
  })

  it('draws the handshake when the accept is traced before the connect', () => {
    const b = new TraceBuilder().tcpServerUp(tcpServer)
    b.add(tcpClient, 'socket')
    b.add(tcpServer, 'accept', { remote: CLIENT_ADDR })
    b.add(tcpClient, 'connect', { remote: SERVER_ADDR })
    const d = buildDiagram(b.events)
    expect(labels(d.rows)).toEqual(['SYN (inferred)', 'SYN-ACK (inferred)', 'ACK (inferred)'])
    expect(d.lifelines.some((l) => l.external)).toBe(false)
  })

  it('turns a peer that is not a traced actor into a "Your program" lifeline', () => {
    const d = buildDiagram(externalClientTrace())
    expect(d.lifelines.map((l) => l.label)).toEqual([
      'Your program 127.0.0.1:54999',
      `TCP server ${SERVER_ADDR}`,
    ])
    const you = d.lifelines[0]!
    expect(you.external).toBe(true)
    expect(you.role).toBe('client')
    // Receives from an untraced program draw their own arrows, from the peer.
    const ping = arrows(d.rows).filter((r) => r.label === 'PING · 4 B')
    expect(ping).toHaveLength(2)
    expect(ping[0]).toMatchObject({ from: you.id, to: 'tcp-server#1' })
    // accept from a peer still implies a handshake; eof implies its FIN.
    expect(labels(d.rows)).toContain('SYN (inferred)')
    expect(labels(d.rows)).toContain('FIN (inferred)')
  })

  it('draws a dropped reply as lost and a timeout as a marker', () => {
    const d = buildDiagram(lossyUdpTrace())
    const lost = arrows(d.rows).find((r) => r.lost)!
    expect(lost).toMatchObject({
      label: 'PONG 2 · 6 B (lost)',
      from: 'udp-server#1',
      to: 'udp-client#2',
      inferred: false,
    })
    const timeout = d.rows.find((r) => r.kind === 'timeout')!
    expect(timeout).toMatchObject({ lifeline: 'udp-client#2', label: 'timeout' })
    // UDP: no handshake, no FIN.
    expect(arrows(d.rows).some((r) => r.inferred)).toBe(false)
    expect(labels(d.rows)).toEqual([
      'PING 1 · 6 B',
      'PONG 1 · 6 B',
      'PING 2 · 6 B',
      'PONG 2 · 6 B (lost)',
    ])
  })

  it('draws a receive whose send was not traced as an arrow from the remote', () => {
    const b = new TraceBuilder().tcpServerUp(tcpServer)
    b.add(tcpServer, 'accept', { remote: CLIENT_ADDR })
    b.add(tcpClient, 'connect', { remote: SERVER_ADDR })
    b.add(tcpServer, 'recv', { remote: CLIENT_ADDR, bytes: 5, payload: 'HELLO' })
    const d = buildDiagram(b.events)
    expect(arrows(d.rows).at(-1)).toMatchObject({
      from: 'tcp-client#2',
      to: 'tcp-server#1',
      label: 'HELLO · 5 B',
    })
  })

  it('numbers the runs of a server restarted on the same address', () => {
    const b = new TraceBuilder()
    const first = actor('udp-server#1', 'server', 'udp', SERVER_ADDR)
    const second = actor('udp-server#2', 'server', 'udp', SERVER_ADDR)
    const c = actor('udp-client#1', 'client', 'udp', CLIENT_ADDR)
    b.add(first, 'bind')
    b.add(first, 'close')
    b.add(second, 'bind')
    b.add(c, 'sendto', { remote: SERVER_ADDR, bytes: 4, payload: 'PING' })
    const d = buildDiagram(b.events)
    expect(d.lifelines.map((l) => l.label)).toEqual([
      `UDP client ${CLIENT_ADDR}`,
      `UDP server (run 1) ${SERVER_ADDR}`,
      `UDP server (run 2) ${SERVER_ADDR}`,
    ])
  })

  it('matches by bytes: the earliest unmatched send of the same size', () => {
    const b = new TraceBuilder()
    const s = actor('udp-server#1', 'server', 'udp', SERVER_ADDR)
    const c = actor('udp-client#2', 'client', 'udp', CLIENT_ADDR)
    b.add(s, 'bind')
    const a1 = b.add(c, 'sendto', { remote: SERVER_ADDR, bytes: 3, payload: 'abc' })
    const a2 = b.add(c, 'sendto', { remote: SERVER_ADDR, bytes: 5, payload: 'abcde' })
    const r2 = b.add(s, 'recvfrom', { remote: CLIENT_ADDR, bytes: 5, payload: 'abcde' })
    const r1 = b.add(s, 'recvfrom', { remote: CLIENT_ADDR, bytes: 3, payload: 'abc' })
    const d = buildDiagram(b.events)
    const byseq = new Map(arrows(d.rows).map((r) => [r.seq, r]))
    expect(byseq.get(a1.seq)?.arrivalSeq).toBe(r1.seq)
    expect(byseq.get(a2.seq)?.arrivalSeq).toBe(r2.seq)
    // The receive that comes later than the very next row is shown as a box.
    expect(d.rows.find((r) => r.seq === r1.seq)).toMatchObject({ kind: 'call', op: 'recvfrom' })
    expect(d.rows.some((r) => r.seq === r2.seq)).toBe(false)
  })

  it('a receive recorded late but made before the next row is read at once, not "sent earlier"', () => {
    // A student's program reports its calls through a pipe, a few ms after they happen: its
    // recvfrom comes in after the app's client already sent again, stamped with its own time.
    const b = new TraceBuilder()
    const s = actor('your counter_server.py', 'server', 'udp', SERVER_ADDR)
    const c = actor('counter-client#1', 'client', 'udp', CLIENT_ADDR)
    b.add(s, 'bind')
    const ping1 = b.add(c, 'sendto', { remote: SERVER_ADDR, bytes: 4, payload: 'PING' })
    const ping2 = b.add(c, 'sendto', { remote: SERVER_ADDR, bytes: 5, payload: 'PING2' })
    const early = b.add(s, 'recvfrom', { remote: CLIENT_ADDR, bytes: 4, payload: 'PING' })
    early.t = ping1.t + 0.1 // made before PING2 was sent
    const late = b.add(s, 'recvfrom', { remote: CLIENT_ADDR, bytes: 5, payload: 'PING2' })
    const d = buildDiagram(b.events)
    expect(arrows(d.rows).find((r) => r.seq === ping1.seq)?.arrivalSeq).toBe(early.seq)
    expect(d.rows.some((r) => r.seq === early.seq)).toBe(false)
    // PING2's receive was made after it was sent and nothing came between: read at once too.
    expect(arrows(d.rows).find((r) => r.seq === ping2.seq)?.arrivalSeq).toBe(late.seq)
    expect(d.rows.some((r) => r.seq === late.seq)).toBe(false)
  })

  it("a student's send that reaches the app after the peer's receive is drawn once, before it", () => {
    // The student's server answers PONG; the app's client receives it and sends the next PING
    // before the student's sendto comes through the tracer's pipe (stamped with its own time).
    const b = new TraceBuilder()
    const s = actor('your counter_server.py', 'server', 'udp', SERVER_ADDR)
    const c = actor('counter-client#1', 'client', 'udp', CLIENT_ADDR)
    b.add(s, 'bind')
    const ping1 = b.add(c, 'sendto', { remote: SERVER_ADDR, bytes: 4, payload: 'PING' })
    const got1 = b.add(s, 'recvfrom', { remote: CLIENT_ADDR, bytes: 4, payload: 'PING' })
    got1.t = ping1.t + 0.1
    const pongRecv = b.add(c, 'recvfrom', { remote: SERVER_ADDR, bytes: 7, payload: 'PONG #1' })
    const ping2 = b.add(c, 'sendto', { remote: SERVER_ADDR, bytes: 4, payload: 'PING' })
    const pongSend = b.add(s, 'sendto', { remote: CLIENT_ADDR, bytes: 7, payload: 'PONG #1' })
    pongSend.t = pongRecv.t - 0.2 // made before the client's receive, reported after
    const d = buildDiagram(b.events)
    // One PONG arrow, not two, and it comes before the second PING.
    const pongs = arrows(d.rows).filter((r) => r.label.startsWith('PONG #1'))
    expect(pongs).toHaveLength(1)
    expect(pongs[0]).toMatchObject({ from: s.id, to: c.id })
    const order = d.rows.map((r) => r.seq)
    expect(order.indexOf(pongs[0]!.seq)).toBeLessThan(order.indexOf(ping2.seq))
    expect(d.rows.some((r) => r.seq === pongSend.seq)).toBe(false)
  })

  it('a receive with no send yet is not paired with a later send made after it', () => {
    // A send made after the receive cannot be what it received: both are drawn.
    const b = new TraceBuilder()
    const s = actor('your counter_server.py', 'server', 'udp', SERVER_ADDR)
    const c = actor('counter-client#1', 'client', 'udp', CLIENT_ADDR)
    b.add(s, 'bind')
    const recv = b.add(c, 'recvfrom', { remote: SERVER_ADDR, bytes: 7, payload: 'PONG #1' })
    const send = b.add(s, 'sendto', { remote: CLIENT_ADDR, bytes: 7, payload: 'PONG #1' })
    send.t = recv.t + 5
    const other = b.add(s, 'sendto', { remote: CLIENT_ADDR, bytes: 6, payload: 'PONG 2' })
    other.t = recv.t - 1 // made before it, but not the same size: not what it received
    const d = buildDiagram(b.events)
    expect(arrows(d.rows).filter((r) => r.label.startsWith('PONG #1'))).toHaveLength(2)
    expect(d.rows.some((r) => r.seq === other.seq)).toBe(true)
  })

  it("titles a student program's thread lane by its thread first, so its lanes differ at a glance", () => {
    expect(studentTitle('your threaded_server.py · Thread-2')).toBe('Thread-2 · threaded_server.py')
    expect(studentTitle('your threaded_server.py')).toBe('your threaded_server.py')
    expect(studentTitle('your threaded_server.py · Thread-3 (serve)')).toBe(
      'Thread-3 · threaded_server.py',
    )
    const b = new TraceBuilder()
    const t = actor('your threaded_server.py · Thread-1', 'server', 'tcp', SERVER_ADDR)
    b.add({ ...t, kind: 'student-program' }, 'recv', {
      remote: CLIENT_ADDR,
      bytes: 4,
      payload: 'PING',
    })
    const d = buildDiagram(b.events)
    expect(d.lifelines.find((l) => l.id === t.id)?.title).toBe('Thread-1 · threaded_server.py')
  })

  it('a receive made after the next row happened still waited in the buffer', () => {
    const b = new TraceBuilder()
    const s = actor('your counter_server.py', 'server', 'udp', SERVER_ADDR)
    const c = actor('counter-client#1', 'client', 'udp', CLIENT_ADDR)
    b.add(s, 'bind')
    b.add(c, 'sendto', { remote: SERVER_ADDR, bytes: 4, payload: 'PING' })
    const next = b.add(c, 'note', { message: 'waiting' })
    const r = b.add(s, 'recvfrom', { remote: CLIENT_ADDR, bytes: 4, payload: 'PING' })
    r.t = next.t // not before it
    const d = buildDiagram(b.events)
    expect(d.rows.find((row) => row.seq === r.seq)).toMatchObject({ kind: 'call', op: 'recvfrom' })
  })

  it('resolves a wildcard listener and IPv4-mapped peers', () => {
    const b = new TraceBuilder()
    const s = actor('tcp-server#1', 'server', 'tcp', '0.0.0.0:50007')
    b.add(s, 'bind')
    b.add(tcpClient, 'connect', { remote: '127.0.0.1:50007' })
    b.add(s, 'accept', { remote: '::ffff:127.0.0.1:54012' })
    const d = buildDiagram(b.events)
    expect(d.lifelines.some((l) => l.external)).toBe(false)
    expect(labels(d.rows)).toEqual(['SYN (inferred)', 'SYN-ACK (inferred)', 'ACK (inferred)'])
    expect(normalizeAddress('[::FFFF:127.0.0.1]:80')).toBe('127.0.0.1:80')
    expect(normalizeAddress('localhost:80')).toBe('127.0.0.1:80')
  })

  it('keeps TCP and UDP port spaces apart, and names a silent peer "Unknown peer"', () => {
    const b = new TraceBuilder().tcpServerUp(tcpServer)
    const c = actor('udp-client#3', 'client', 'udp', '127.0.0.1:41234')
    b.add(c, 'sendto', { remote: SERVER_ADDR, bytes: 4, payload: 'PING' })
    b.add(c, 'timeout', { remote: SERVER_ADDR, message: 'no reply within 2 s' })
    const d = buildDiagram(b.events)
    const ping = arrows(d.rows).find((r) => r.label === 'PING · 4 B')!
    expect(ping.to).not.toBe('tcp-server#1')
    const peer = d.lifelines.find((l) => l.id === ping.to)!
    expect(peer).toMatchObject({ external: true, label: `Unknown peer ${SERVER_ADDR}` })
  })

  it('marks errors', () => {
    const b = new TraceBuilder()
    b.add(tcpClient, 'socket')
    b.add(tcpClient, 'error', { message: 'Connection refused: is the server running?' })
    const d = buildDiagram(b.events)
    expect(d.rows.at(-1)).toMatchObject({
      kind: 'call',
      level: 'error',
      detail: 'Connection refused: is the server running?',
    })
  })

  it('draws only the last DEFAULT_MAX_ROWS rows for 100,000 events', () => {
    const trace = bigUdpTrace(100_000)
    const d = buildDiagram(trace)
    expect(d.rows.length).toBeLessThanOrEqual(DEFAULT_MAX_ROWS)
    expect(d.rows.length).toBeGreaterThan(DEFAULT_MAX_ROWS - 10)
    expect(d.totalEvents).toBe(100_000)
    expect(d.hiddenEvents).toBeGreaterThan(99_000)
    // The newest event is the last row's arrival.
    const last = d.rows.at(-1) as ArrowRow
    expect(last.arrivalSeq ?? last.seq).toBe(trace.at(-1)!.seq)
    expect(d.lifelines).toHaveLength(2)
  })

  it('honours a smaller row budget', () => {
    const d = buildDiagram(tcpPingPongTrace(5), { maxRows: 5 })
    expect(d.rows).toHaveLength(5)
    expect(d.hiddenEvents).toBeGreaterThan(0)
  })
})

describe('buildDiagram on a TCP stream', () => {
  const setup = () => {
    const b = new TraceBuilder().tcpServerUp(tcpServer)
    b.tcpConnect(tcpClient, tcpServer)
    return b
  }

  it('takes two sends read by one recv() as one receive, without a stray arrow', () => {
    const b = setup()
    const s1 = b.add(tcpClient, 'send', { remote: SERVER_ADDR, bytes: 4, payload: 'PING' })
    const s2 = b.add(tcpClient, 'send', { remote: SERVER_ADDR, bytes: 4, payload: 'PING' })
    const r = b.add(tcpServer, 'recv', { remote: CLIENT_ADDR, bytes: 8, payload: 'PINGPING' })
    const next = b.add(tcpClient, 'send', { remote: SERVER_ADDR, bytes: 4, payload: 'PING' })
    const r2 = b.add(tcpServer, 'recv', { remote: CLIENT_ADDR, bytes: 4, payload: 'PING' })
    const d = buildDiagram(b.events)
    const byseq = new Map(d.rows.map((row) => [row.seq, row]))
    expect((byseq.get(s1.seq) as ArrowRow).arrivalSeq).toBe(r.seq)
    expect((byseq.get(s2.seq) as ArrowRow).arrivalSeq).toBe(r.seq)
    expect(byseq.get(r.seq)).toMatchObject({ kind: 'call', op: 'recv' })
    expect((byseq.get(r.seq) as { detail: string }).detail).toContain(
      '2 sends arrived in one recv()',
    )
    // The stream stays in step: the next send pairs with the next recv.
    expect((byseq.get(next.seq) as ArrowRow).arrivalSeq).toBe(r2.seq)
    expect(byseq.has(r2.seq)).toBe(false)
  })

  it('takes one send read by two recv() calls', () => {
    const b = setup()
    const s = b.add(tcpClient, 'send', { remote: SERVER_ADDR, bytes: 2000 })
    const r1 = b.add(tcpServer, 'recv', { remote: CLIENT_ADDR, bytes: 1024 })
    const r2 = b.add(tcpServer, 'recv', { remote: CLIENT_ADDR, bytes: 976 })
    const d = buildDiagram(b.events)
    const byseq = new Map(d.rows.map((row) => [row.seq, row]))
    expect((byseq.get(s.seq) as ArrowRow).arrivalSeq).toBe(r2.seq)
    expect((byseq.get(r1.seq) as { detail: string }).detail).toContain('part of a send')
    expect(byseq.get(r2.seq)).toMatchObject({ kind: 'call' })
    expect(arrows(d.rows).filter((a) => !a.inferred)).toHaveLength(1)
  })
})

describe('a student’s UDP server', () => {
  it('is drawn on the servers’ side once it binds, though its socket() came first as a client’s', () => {
    // The tracer only learns a UDP socket serves when it binds: its first event says client.
    const student = {
      ...actor('your lossy_server.py', 'client', 'udp', SERVER_ADDR, 'lossy_server.py'),
      kind: 'student-program',
    }
    const client = {
      ...actor('lossy-client#1', 'client', 'udp', CLIENT_ADDR),
      kind: 'lossy-client',
    }
    const b = new TraceBuilder()
    b.add(student, 'socket')
    b.add({ ...student, role: 'server' }, 'bind')
    b.add(client, 'sendto', { remote: SERVER_ADDR, payload: 'PING 1', bytes: 6 })
    b.add({ ...student, role: 'server' }, 'recvfrom', {
      remote: CLIENT_ADDR,
      payload: 'PING 1',
      bytes: 6,
    })
    const lanes = buildDiagram(b.events).lifelines
    expect(lanes.map((l) => [l.title, l.role])).toEqual([
      ['lossy client', 'client'],
      ['your lossy_server.py', 'server'],
    ])
  })

  it('shows the address of the program’s latest run, each run being a new socket', () => {
    const run = (port: number) => ({
      ...actor('your lossy_client.py', 'client', 'udp', `0.0.0.0:${port}`, 'lossy_client.py'),
      kind: 'student-program',
    })
    const b = new TraceBuilder()
    b.add(run(40001), 'sendto', { remote: SERVER_ADDR, payload: 'PING', bytes: 4 })
    b.add(run(40002), 'sendto', { remote: SERVER_ADDR, payload: 'PING', bytes: 4 })
    const lane = buildDiagram(b.events).lifelines.find((l) => l.id === 'your lossy_client.py')!
    expect(lane.subtitle).toBe('0.0.0.0:40002')
  })
})
