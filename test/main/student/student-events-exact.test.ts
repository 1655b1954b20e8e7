import { describe, expect, it } from 'vitest'
import type { StudentTraceRecord } from '@shared/student-trace'
import { StudentEventMapper, STUDENT_KIND } from '../../../src/main/student/student-events'

// Each record as the tracer writes it, and the exact event it must become: no field more
// (toStrictEqual), no field less. A mapper that drew a TCP recv as recvfrom, a refused
// connect without its address or an accept on the listening port would draw the student's
// program wrongly, so every branch is pinned here.

const FILE = '/work/ws/counter/counter_server.py'
const rec = (fields: Partial<StudentTraceRecord> & Pick<StudentTraceRecord, 'op'>) =>
  ({
    v: 1,
    n: 1,
    t: 1,
    sock: 1,
    proto: 'tcp',
    outcome: 'ok',
    file: FILE,
    line: 10,
    thread: 'MainThread',
    tid: 1,
    ...fields,
  }) as StudentTraceRecord
const base = {
  actor: 'your counter_server.py',
  actorKind: STUDENT_KIND,
  role: 'client',
  proto: 'tcp',
  level: 'info',
  anchor: { file: 'counter_server.py', name: 'line:10' },
}
const mapOne = (r: StudentTraceRecord) => new StudentEventMapper({ programFile: FILE }).map(r)

describe('each call that returned, exactly', () => {
  it.each([
    [
      'socket(AF_INET, SOCK_STREAM)',
      rec({ op: 'socket', family: 2, type: 1 }),
      { op: 'socket', message: 'socket(AF_INET, SOCK_STREAM)' },
    ],
    [
      'socket(AF_INET6, SOCK_DGRAM)',
      rec({ op: 'socket', family: 10, type: 2 }),
      { op: 'socket', message: 'socket(AF_INET6, SOCK_DGRAM)' },
    ],
    [
      'socket(AF_INET6) as Windows numbers it',
      rec({ op: 'socket', family: 23, type: 2 }),
      { op: 'socket', message: 'socket(AF_INET6, SOCK_DGRAM)' },
    ],
    [
      'socket(AF_INET6) as macOS numbers it',
      rec({ op: 'socket', family: 30, type: 1 }),
      { op: 'socket', message: 'socket(AF_INET6, SOCK_STREAM)' },
    ],
    [
      'a Unix socket',
      rec({ op: 'socket', family: 1, type: 1 }),
      { op: 'socket', message: 'socket(AF_UNIX, SOCK_STREAM)' },
    ],
    [
      'an unknown family and kind',
      rec({ op: 'socket', family: 99, type: 5 }),
      { op: 'socket', message: 'socket(family 99, type 5)' },
    ],
    [
      'bind with the address asked',
      rec({ op: 'bind', asked: '127.0.0.1:50008', local: '127.0.0.1:50008' }),
      { op: 'bind', local: '127.0.0.1:50008', message: 'bind(127.0.0.1:50008)' },
    ],
    [
      'bind to every interface, with a warning',
      rec({ op: 'bind', asked: '0.0.0.0:50008', local: '0.0.0.0:50008' }),
      {
        op: 'bind',
        level: 'warn',
        local: '0.0.0.0:50008',
        message:
          'bind(0.0.0.0:50008): bound to every network interface, so other machines on your network can reach this program too (127.0.0.1 keeps it on this machine)',
      },
    ],
    [
      'bind without the address asked',
      rec({ op: 'bind', local: '127.0.0.1:50008' }),
      { op: 'bind', local: '127.0.0.1:50008' },
    ],
    ['close', rec({ op: 'close' }), { op: 'close' }],
    [
      'sendall with its payload',
      rec({ op: 'sendall', bytes: 4, data: 'PING', remote: '127.0.0.1:5' }),
      { op: 'send', bytes: 4, payload: 'PING', remote: '127.0.0.1:5' },
    ],
    ['send of nothing', rec({ op: 'send', bytes: 0 }), { op: 'send', bytes: 0 }],
    [
      'a payload that is not plain text, previewed',
      rec({ op: 'send', bytes: 2, data: '\u0000\u00ff' }),
      { op: 'send', bytes: 2, payload: '\\x00\ufffd' },
    ],
    [
      'a TCP recv of nothing: end of stream',
      rec({ op: 'recv', bytes: 0, data: '' }),
      { op: 'eof', bytes: 0 },
    ],
    [
      'a TCP recv_into',
      rec({ op: 'recv_into', bytes: 4, data: 'PONG' }),
      { op: 'recv', bytes: 4, payload: 'PONG' },
    ],
    [
      'a UDP recv of an empty datagram is a datagram, not an end',
      rec({ op: 'recv', proto: 'udp', bytes: 0, data: '' }),
      { op: 'recvfrom', proto: 'udp', bytes: 0 },
    ],
    [
      'a UDP recvfrom_into',
      rec({ op: 'recvfrom_into', proto: 'udp', bytes: 4, data: 'PING', remote: '127.0.0.1:9' }),
      { op: 'recvfrom', proto: 'udp', bytes: 4, payload: 'PING', remote: '127.0.0.1:9' },
    ],
    [
      'settimeout(None) given as null',
      rec({ op: 'settimeout', timeout: null }),
      { op: 'note', message: 'settimeout(None): calls wait as long as it takes' },
    ],
    [
      'settimeout with no value at all',
      rec({ op: 'settimeout' }),
      { op: 'note', message: 'settimeout(None): calls wait as long as it takes' },
    ],
    [
      'settimeout(0.5)',
      rec({ op: 'settimeout', timeout: 0.5 }),
      {
        op: 'note',
        message: 'settimeout(0.5): a call that waits longer raises socket.timeout',
      },
    ],
    [
      'setblocking(True)',
      rec({ op: 'setblocking', blocking: true }),
      { op: 'note', message: 'setblocking(True)' },
    ],
    [
      'setblocking(False)',
      rec({ op: 'setblocking', blocking: false }),
      { op: 'note', message: 'setblocking(False)' },
    ],
    [
      'shutdown(SHUT_RD)',
      rec({ op: 'shutdown', how: 0 }),
      { op: 'note', message: 'shutdown(SHUT_RD)' },
    ],
    [
      'shutdown(SHUT_WR)',
      rec({ op: 'shutdown', how: 1 }),
      { op: 'note', message: 'shutdown(SHUT_WR)' },
    ],
    [
      'shutdown of an unknown how',
      rec({ op: 'shutdown', how: 7 }),
      { op: 'note', message: 'shutdown(7)' },
    ],
  ])('%s', (_, record, expected) => {
    expect(mapOne(record)).toStrictEqual({ ...base, ...expected })
  })

  it('an event without a line of the student has no anchor', () => {
    const { anchor: _anchor, ...noAnchor } = base
    expect(mapOne(rec({ op: 'close', file: null, line: null }))).toStrictEqual({
      ...noAnchor,
      op: 'close',
    })
  })
})

describe('each call that raised, exactly', () => {
  it.each([
    [
      'a refused connect names the address',
      rec({ op: 'connect', outcome: 'refused', remote: '127.0.0.1:9', errno: 'ECONNREFUSED' }),
      {
        op: 'error',
        level: 'error',
        remote: '127.0.0.1:9',
        message: 'connect() to 127.0.0.1:9 was refused: nothing is listening there (ECONNREFUSED)',
      },
    ],
    [
      'a refused call without an address says "the server"',
      rec({ op: 'recv', outcome: 'refused', error: 'ConnectionRefusedError: [Errno 111]' }),
      {
        op: 'error',
        level: 'error',
        message:
          'recv() to the server was refused: nothing is listening there (ConnectionRefusedError: [Errno 111])',
      },
    ],
    [
      'a reset',
      rec({ op: 'recv', outcome: 'reset', error: 'ConnectionResetError: reset' }),
      {
        op: 'error',
        level: 'error',
        message: 'recv(): the connection was reset by the other side (ConnectionResetError: reset)',
      },
    ],
    [
      'any other error without its text',
      rec({ op: 'bind', outcome: 'error', errno: 'EACCES' }),
      { op: 'error', level: 'error', message: 'bind() failed (EACCES)' },
    ],
    [
      'a timeout is a warning',
      rec({ op: 'recvfrom', proto: 'udp', outcome: 'timeout', error: 'TimeoutError: timed out' }),
      {
        op: 'timeout',
        proto: 'udp',
        level: 'warn',
        message: 'recvfrom() timed out (TimeoutError: timed out)',
      },
    ],
  ])('%s', (_, record, expected) => {
    expect(mapOne(record)).toStrictEqual({ ...base, ...expected })
  })

  it('an error with neither text nor errno still says it failed', () => {
    const r = rec({ op: 'send', outcome: 'error' })
    expect(mapOne(r)?.message).toBe('send() failed (an error)')
  })
})

describe('what a socket learns from its calls', () => {
  it('a TCP connect ties the socket to its connection; the next send carries it', () => {
    const m = new StudentEventMapper({ programFile: FILE })
    const connected = { local: '127.0.0.1:4000', remote: '127.0.0.1:50008' }
    expect(m.map(rec({ op: 'connect', ...connected }))).toMatchObject({
      conn: '127.0.0.1:4000->127.0.0.1:50008',
    })
    expect(m.map(rec({ op: 'send', bytes: 1, data: 'x' }))?.conn).toBe(
      '127.0.0.1:4000->127.0.0.1:50008',
    )
  })

  it('a UDP connect names no connection, and a failed connect teaches nothing', () => {
    const m = new StudentEventMapper({ programFile: FILE })
    const udp = m.map(
      rec({ op: 'connect', proto: 'udp', local: '127.0.0.1:4000', remote: '127.0.0.1:5' }),
    )
    expect(udp).not.toHaveProperty('conn')
    const m2 = new StudentEventMapper({ programFile: FILE })
    m2.map(
      rec({
        op: 'connect',
        outcome: 'refused',
        errno: 'ECONNREFUSED',
        local: '127.0.0.1:1',
        remote: '127.0.0.1:2',
      }),
    )
    expect(m2.map(rec({ op: 'send', bytes: 1 }))).not.toHaveProperty('conn')
  })

  it('a connect whose addresses are not known names no connection', () => {
    const m = new StudentEventMapper({ programFile: FILE })
    expect(m.map(rec({ op: 'connect', remote: '127.0.0.1:5' }))).not.toHaveProperty('conn')
    const m2 = new StudentEventMapper({ programFile: FILE })
    expect(m2.map(rec({ op: 'connect', local: '127.0.0.1:5' }))).not.toHaveProperty('conn')
  })

  it('accept belongs to the new connection, drawn at the server, on its own local address', () => {
    const m = new StudentEventMapper({ programFile: FILE })
    m.map(rec({ op: 'listen', local: '127.0.0.1:50008' }))
    const accepted = m.map(
      rec({
        op: 'accept',
        local: '0.0.0.0:50008',
        remote: '127.0.0.1:4000',
        conn_sock: 2,
        conn_local: '127.0.0.1:50008',
      }),
    )
    expect(accepted).toStrictEqual({
      ...base,
      role: 'server',
      op: 'accept',
      local: '127.0.0.1:50008',
      remote: '127.0.0.1:4000',
      conn: '127.0.0.1:4000->127.0.0.1:50008',
    })
    const sent = m.map(rec({ op: 'send', sock: 2, bytes: 4, data: 'PONG' }))
    expect(sent).toMatchObject({ role: 'server', conn: '127.0.0.1:4000->127.0.0.1:50008' })
  })

  it('an accept without the new socket or its addresses names no connection', () => {
    const m = new StudentEventMapper({ programFile: FILE })
    const noSock = m.map(rec({ op: 'accept', remote: '127.0.0.1:4000', conn_local: '127.0.0.1:5' }))
    expect(noSock).not.toHaveProperty('conn')
    const noLocal = m.map(rec({ op: 'accept', remote: '127.0.0.1:4000', conn_sock: 3 }))
    expect(noLocal).not.toHaveProperty('conn')
    expect(m.map(rec({ op: 'send', sock: 3, bytes: 1 }))).toMatchObject({ role: 'server' })
    expect(m.map(rec({ op: 'send', sock: 3, bytes: 1 }))).not.toHaveProperty('conn')
    const noRemote = m.map(rec({ op: 'accept', conn_sock: 4, conn_local: '127.0.0.1:5' }))
    expect(noRemote).not.toHaveProperty('conn')
  })

  it('a TCP bind alone does not make a server; a UDP bind does', () => {
    const m = new StudentEventMapper({ programFile: FILE })
    expect(m.map(rec({ op: 'bind', local: '127.0.0.1:1' }))?.role).toBe('client')
    expect(m.map(rec({ op: 'bind', proto: 'udp', sock: 2, local: '127.0.0.1:2' }))?.role).toBe(
      'server',
    )
  })

  it('a failed listen leaves the socket a client', () => {
    const m = new StudentEventMapper({ programFile: FILE })
    m.map(rec({ op: 'listen', outcome: 'error', errno: 'EINVAL' }))
    expect(m.map(rec({ op: 'close' }))?.role).toBe('client')
  })

  it('a closed socket number used again starts afresh', () => {
    const m = new StudentEventMapper({ programFile: FILE })
    m.map(rec({ op: 'listen' }))
    m.map(rec({ op: 'close' }))
    expect(m.map(rec({ op: 'send', bytes: 1 }))?.role).toBe('client')
  })
})

describe('file names', () => {
  it('a file in the root folder itself, and the same file twice', () => {
    const m = new StudentEventMapper({ programFile: FILE })
    const at = (file: string) => m.map(rec({ op: 'close', file }))?.anchor?.file
    expect(at(FILE)).toBe('counter_server.py')
    expect(at(FILE)).toBe('counter_server.py')
    expect(at('/work/ws/counter/lib/helpers.py')).toBe('lib/helpers.py')
    expect(at('/work/ws/other.py')).toBe('other.py')
    expect(at('/work/ws/counter..x/odd.py')).toBe('odd.py')
  })

  it('a program named without a folder', () => {
    expect(
      new StudentEventMapper({ programFile: 'prog.py' }).map(rec({ op: 'close', file: 'prog.py' }))
        ?.anchor?.file,
    ).toBe('prog.py')
  })

  it('the root folder of a program at the top of the file system', () => {
    const m = new StudentEventMapper({ programFile: '/server.py' })
    expect(m.map(rec({ op: 'close', file: '/server.py' }))?.anchor?.file).toBe('server.py')
    expect(m.map(rec({ op: 'close', file: '/lib/x.py' }))?.anchor?.file).toBe('lib/x.py')
  })
})
