import { describe, expect, it } from 'vitest'
import type { StudentTraceRecord } from '@shared/student-trace'
import { StudentEventMapper, STUDENT_KIND } from '../../../src/main/student/student-events'
import { recordStudentTrace } from '../../../src/main/student/trace-sink'

const FILE = '/work/ws/counter/counter_server.py'
let n = 0
const rec = (
  fields: Partial<StudentTraceRecord> & Pick<StudentTraceRecord, 'op'>,
): StudentTraceRecord => ({
  v: 1,
  n: ++n,
  t: 1,
  sock: 1,
  proto: 'udp',
  outcome: 'ok',
  file: FILE,
  line: 10,
  thread: 'MainThread',
  tid: 1,
  ...fields,
})

describe('StudentEventMapper', () => {
  it('names the actor after the program and anchors each event at the student line', () => {
    const m = new StudentEventMapper({ programFile: FILE })
    expect(m.actor).toBe('your counter_server.py')
    const e = m.map(
      rec({
        op: 'recvfrom',
        line: 14,
        bytes: 4,
        data: 'PING',
        local: '127.0.0.1:5',
        remote: '127.0.0.1:6',
      }),
    )
    expect(e).toEqual({
      actor: 'your counter_server.py',
      actorKind: STUDENT_KIND,
      role: 'client',
      proto: 'udp',
      op: 'recvfrom',
      level: 'info',
      local: '127.0.0.1:5',
      remote: '127.0.0.1:6',
      bytes: 4,
      payload: 'PING',
      anchor: { file: 'counter_server.py', name: 'line:14' },
    })
  })

  it('names a file in a subfolder of the root by its relative path, one outside by its name', () => {
    const m = new StudentEventMapper({ programFile: FILE, root: '/work/ws' })
    expect(m.map(rec({ op: 'bind' }))?.anchor).toEqual({
      file: 'counter/counter_server.py',
      name: 'line:10',
    })
    expect(m.map(rec({ op: 'bind', file: '/elsewhere/helper.py' }))?.anchor?.file).toBe('helper.py')
    expect(m.map(rec({ op: 'bind', file: null, line: null }))?.anchor).toBeUndefined()
  })

  it('makes a UDP socket bound to a port a server, and a listening TCP socket too', () => {
    const m = new StudentEventMapper({ programFile: FILE })
    expect(m.map(rec({ op: 'socket', family: 2, type: 2 }))).toMatchObject({
      op: 'socket',
      role: 'client',
      message: 'socket(AF_INET, SOCK_DGRAM)',
    })
    expect(m.map(rec({ op: 'bind', asked: '127.0.0.1:5' }))).toMatchObject({
      role: 'server',
      message: 'bind(127.0.0.1:5)',
    })
    expect(m.map(rec({ op: 'sendto', bytes: 7, data: 'PONG #1' }))).toMatchObject({
      op: 'sendto',
      role: 'server',
      payload: 'PONG #1',
    })
    expect(m.map(rec({ op: 'listen', sock: 2, proto: 'tcp' }))?.role).toBe('server')
    expect(m.map(rec({ op: 'close' }))?.op).toBe('close')
    // Closed: a new socket with the same number starts over.
    expect(m.map(rec({ op: 'socket', type: 2 }))?.role).toBe('client')
  })

  it('ties a TCP connection both ways as the app names it: client -> server', () => {
    const m = new StudentEventMapper({ programFile: FILE })
    const accept = m.map(
      rec({
        op: 'accept',
        proto: 'tcp',
        sock: 1,
        local: '127.0.0.1:80',
        remote: '127.0.0.1:4000',
        conn_sock: 2,
        conn_local: '127.0.0.1:80',
      }),
    )
    expect(accept).toMatchObject({ op: 'accept', conn: '127.0.0.1:4000->127.0.0.1:80' })
    const recv = m.map(
      rec({ op: 'recv', proto: 'tcp', sock: 2, bytes: 4, data: 'PING', thread: 'Thread-1' }),
    )
    expect(recv).toMatchObject({
      actor: 'your counter_server.py · Thread-1',
      op: 'recv',
      role: 'server',
      conn: '127.0.0.1:4000->127.0.0.1:80',
    })
    const eof = m.map(rec({ op: 'recv_into', proto: 'tcp', sock: 2, bytes: 0, data: '' }))
    expect(eof).toMatchObject({ op: 'eof', bytes: 0 })
    const c = m.map(
      rec({
        op: 'connect',
        proto: 'tcp',
        sock: 3,
        local: '127.0.0.1:5000',
        remote: '127.0.0.1:80',
      }),
    )
    expect(c).toMatchObject({ role: 'client', conn: '127.0.0.1:5000->127.0.0.1:80' })
    expect(
      m.map(rec({ op: 'sendall', proto: 'tcp', sock: 3, bytes: 4, data: 'PI\r\n' })),
    ).toMatchObject({ op: 'send', conn: '127.0.0.1:5000->127.0.0.1:80', payload: 'PI\\r\\n' })
  })

  it('turns a timeout into a warning and refused, reset and other errors into errors', () => {
    const m = new StudentEventMapper({ programFile: FILE })
    expect(
      m.map(rec({ op: 'recvfrom', outcome: 'timeout', error: 'TimeoutError: timed out' })),
    ).toMatchObject({
      op: 'timeout',
      level: 'warn',
      message: 'recvfrom() timed out (TimeoutError: timed out)',
    })
    expect(
      m.map(
        rec({
          op: 'connect',
          proto: 'tcp',
          outcome: 'refused',
          errno: 'ECONNREFUSED',
          remote: '127.0.0.1:9',
        }),
      )?.message,
    ).toBe('connect() to 127.0.0.1:9 was refused: nothing is listening there (ECONNREFUSED)')
    expect(
      m.map(rec({ op: 'recv', proto: 'tcp', outcome: 'reset', error: 'ConnectionResetError: x' })),
    ).toMatchObject({
      op: 'error',
      level: 'error',
      message: 'recv(): the connection was reset by the other side (ConnectionResetError: x)',
    })
    expect(
      m.map(rec({ op: 'bind', outcome: 'error', errno: 'EACCES', error: 'PermissionError: no' }))
        ?.message,
    ).toBe('bind() failed (PermissionError: no)')
  })

  it('says a busy port is busy, and names the app’s own actor when it holds it', () => {
    const busy = rec({
      op: 'bind',
      proto: 'udp',
      outcome: 'error',
      errno: 'EADDRINUSE',
      error: 'OSError: [Errno 98] Address already in use',
      asked: '127.0.0.1:50008',
    })
    const plain = new StudentEventMapper({ programFile: FILE })
    expect(plain.map(busy)).toMatchObject({
      op: 'error',
      level: 'error',
      message:
        'bind(127.0.0.1:50008) failed: that port is already in use; another program holds it (another copy of yours?): stop that one first, or use another port (OSError: [Errno 98] Address already in use)',
    })
    const asked: unknown[] = []
    const app = new StudentEventMapper({
      programFile: FILE,
      portHolder: (proto, port) => {
        asked.push([proto, port])
        return port === 50008 ? "the app's own counter-server#1" : undefined
      },
    })
    expect(app.map(busy)?.message).toMatch(
      /^bind\(127\.0\.0\.1:50008\) failed: that port is already in use; the app's own counter-server#1 holds it: stop it there first/,
    )
    expect(asked).toEqual([['udp', 50008]])
  })

  it('notes a bind to every interface (0.0.0.0, "", ::) as reachable from other machines', () => {
    const m = new StudentEventMapper({ programFile: FILE })
    for (const asked of ['0.0.0.0:50008', ':50008', '[::]:50008']) {
      expect(m.map(rec({ op: 'bind', proto: 'udp', asked, local: asked }))).toMatchObject({
        op: 'bind',
        level: 'warn',
        message: expect.stringMatching(/other machines on your network can reach this program/),
      })
    }
    expect(
      m.map(rec({ op: 'bind', proto: 'udp', asked: '127.0.0.1:1', local: '127.0.0.1:1' })),
    ).toMatchObject({ level: 'info', message: 'bind(127.0.0.1:1)' })
  })

  it('notes a call interrupted by Ctrl+C as a warning, not a socket error', () => {
    const m = new StudentEventMapper({ programFile: FILE })
    expect(
      m.map(rec({ op: 'recvfrom', outcome: 'interrupted', error: 'KeyboardInterrupt: ' })),
    ).toMatchObject({
      op: 'note',
      level: 'warn',
      message: 'recvfrom() was interrupted by Ctrl+C (KeyboardInterrupt)',
    })
  })

  it('leaves out non-blocking polls and sockets of other kinds', () => {
    const m = new StudentEventMapper({ programFile: FILE })
    expect(m.map(rec({ op: 'accept', outcome: 'wouldblock', errno: 'EAGAIN' }))).toBeUndefined()
    expect(m.map(rec({ op: 'socket', proto: 'other' }))).toBeUndefined()
  })

  it('says what settimeout, setblocking and shutdown did, as notes', () => {
    const m = new StudentEventMapper({ programFile: FILE })
    expect(m.map(rec({ op: 'settimeout', timeout: 2 }))).toMatchObject({
      op: 'note',
      message: 'settimeout(2): a call that waits longer raises socket.timeout',
    })
    expect(m.map(rec({ op: 'settimeout', timeout: null }))?.message).toMatch(/^settimeout\(None\)/)
    expect(m.map(rec({ op: 'setblocking', blocking: false }))?.message).toBe('setblocking(False)')
    expect(m.map(rec({ op: 'shutdown', how: 1 }))?.message).toBe('shutdown(SHUT_WR)')
  })
})

describe('recordStudentTrace', () => {
  it('records each record as an event, and reports garbage without stopping', () => {
    const recorded: unknown[] = []
    const rejected: string[] = []
    const r = recordStudentTrace(
      { record: (e) => recorded.push(e) },
      { programFile: FILE, onRejected: (l) => rejected.push(l.reason) },
    )
    const one = JSON.stringify(rec({ op: 'sendto', bytes: 4, data: 'PING' }))
    r.push(`${one}\nnot json\n${one.slice(0, 20)}`)
    r.push(`${one.slice(20)}\n`)
    r.push(JSON.stringify(rec({ op: 'recv', outcome: 'wouldblock', errno: 'EAGAIN' })) + '\n')
    r.end()
    expect(recorded).toHaveLength(2)
    expect(rejected).toEqual(['the line is not JSON'])
    expect(r.counts).toEqual({ records: 3, events: 2, rejected: 1 })
  })
})
