import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { TraceEvent } from '@shared/trace'
import { STUDENT_KIND } from '../../src/main/student/student-events'
import { freePort, sessionFactory, waitForEvent } from '../main/helpers'
import { freeUdpPort } from './python'
import { lineOf, STUDENT_PROGRAMS, startWatched, studentRunner } from './student-run'

// A student's own programs (course style, in student-programs/) run under the tracer against
// the app's actors, in one lab session: their socket calls arrive as trace events of "your
// <file>" with the right ops, bytes and the student's own line numbers.

const newSession = sessionFactory('student')
const runner = studentRunner()
const HOST = '127.0.0.1'

const mine = (trace: readonly TraceEvent[], actor: string) =>
  trace
    .filter((e) => e.actor.startsWith(actor))
    .map((e) => [e.op, e.anchor?.name, e.bytes, e.payload])

describe('a traced student program in a lab session', () => {
  it('UDP counter server: recvfrom(1024) and sendto at their lines, against the app counter client', async () => {
    const { session, sink } = newSession()
    const port = await freeUdpPort()
    const file = join(STUDENT_PROGRAMS, 'counter_server.py')
    const server = startWatched(runner(), { file, args: [String(port)], traceSink: session })
    await server.printed(/UDP server ready/)
    const client = session.startActor({
      kind: 'counter-client',
      host: HOST,
      port,
      options: { count: 3 },
    })
    expect((await client.done).state).toBe('finished')
    await waitForEvent(
      session,
      sink,
      (e) => e.actor === 'your counter_server.py' && e.op === 'sendto' && e.payload === 'PONG #3',
    )
    await server.program.stop()
    await waitForEvent(
      session,
      sink,
      (e) => e.actor === 'your counter_server.py' && e.op === 'close',
    )

    const events = session.trace.filter((e) => e.actor === 'your counter_server.py')
    expect(events.every((e) => e.actorKind === STUDENT_KIND && e.proto === 'udp')).toBe(true)
    expect(events.every((e) => e.anchor?.file === 'counter_server.py')).toBe(true)
    const at = (code: string) => lineOf(file, code)
    const round = (n: number) => [
      ['recvfrom', at('server.recvfrom(1024)'), 4, 'PING'],
      ['sendto', at('server.sendto('), 7, `PONG #${n}`],
    ]
    expect(mine(session.trace, 'your counter_server.py')).toEqual([
      ['socket', at('server = socket.socket('), undefined, undefined],
      ['bind', at('server.bind('), undefined, undefined],
      ...round(1),
      ...round(2),
      ...round(3),
      // Stop's Ctrl+C arrived while the server waited in recvfrom().
      ['note', at('server.recvfrom(1024)'), undefined, undefined],
      ['close', at('server.close()'), undefined, undefined],
    ])
    const bind = events.find((e) => e.op === 'bind')!
    expect(bind).toMatchObject({ role: 'server', local: `${HOST}:${port}` })
    // The app's client sent to the address the student's server received on, and back.
    const appSends = session.trace.filter((e) => e.actor === client.id && e.op === 'sendto')
    const studentRecvs = events.filter((e) => e.op === 'recvfrom')
    expect(studentRecvs.map((e) => e.remote)).toEqual(appSends.map((e) => e.local))
  })

  it('TCP ping client: connect, sendall(b"PING") and recv(1024) at their lines, one connection with the app server', async () => {
    const { session, sink } = newSession()
    const port = await freePort()
    const server = session.startActor({ kind: 'tcp-server', host: HOST, port })
    await server.ready
    const file = join(STUDENT_PROGRAMS, 'ping_client.py')
    const client = startWatched(runner(), { file, args: [String(port), '3'], traceSink: session })
    expect((await client.program.exited).code).toBe(0)
    await waitForEvent(session, sink, (e) => e.actor === 'your ping_client.py' && e.op === 'close')
    await server.done

    const at = (code: string) => lineOf(file, code)
    expect(mine(session.trace, 'your ping_client.py')).toEqual([
      ['socket', at('client = socket.socket('), undefined, undefined],
      ['connect', at('client.connect('), undefined, undefined],
      ['note', at('client.settimeout(2)'), undefined, undefined],
      ...[1, 2, 3].flatMap(() => [
        ['send', at('client.sendall(b"PING")'), 4, 'PING'],
        ['recv', at('client.recv(1024)'), 4, 'PONG'],
      ]),
      ['close', at('client.close()'), undefined, undefined],
    ])
    const accept = session.trace.find((e) => e.actor === server.id && e.op === 'accept')!
    const connect = session.trace.find(
      (e) => e.actor === 'your ping_client.py' && e.op === 'connect',
    )!
    expect(connect.conn).toBe(accept.conn)
    expect(connect).toMatchObject({ role: 'client', proto: 'tcp', remote: `${HOST}:${port}` })
  })

  it('a refused connect is an error event at the student line, and the traceback names it', async () => {
    const { session, sink } = newSession()
    const port = await freePort()
    const file = join(STUDENT_PROGRAMS, 'broken.py')
    const exit = await runner().start({ file, args: [String(port)], traceSink: session }).exited
    expect(exit.failure).toEqual({
      file,
      line: Number(lineOf(file, 'sock.connect(').slice(5)),
      exception: 'ConnectionRefusedError',
      message: '[Errno 111] Connection refused',
    })
    const error = await waitForEvent(
      session,
      sink,
      (e) => e.actor === 'your broken.py' && e.op === 'error',
    )
    expect(error).toMatchObject({
      level: 'error',
      anchor: { file: 'broken.py', name: lineOf(file, 'sock.connect(') },
      remote: `${HOST}:${port}`,
    })
    expect(error.message).toMatch(
      /^connect\(\) to 127\.0\.0\.1:\d+ was refused: nothing is listening there/,
    )
  })

  it('threaded ClientThread server: a lifeline per client thread, each on its own connection', async () => {
    const { session, sink } = newSession()
    const port = await freePort()
    const file = join(STUDENT_PROGRAMS, 'threaded_server.py')
    const server = startWatched(runner(), { file, args: [String(port), '2'], traceSink: session })
    await server.printed(/TCP server ready/)
    const clients = [1, 2].map(() =>
      session.startActor({ kind: 'tcp-client', host: HOST, port, options: { count: 2 } }),
    )
    for (const c of clients) expect((await c.done).state).toBe('finished')
    expect((await server.program.exited).code).toBe(0)
    await waitForEvent(
      session,
      sink,
      (e) => e.actor === 'your threaded_server.py' && e.op === 'close',
    )

    const student = session.trace.filter((e) => e.actor.startsWith('your threaded_server.py'))
    const accepts = student.filter((e) => e.op === 'accept')
    const at = (code: string) => lineOf(file, code)
    expect(accepts.map((e) => [e.actor, e.anchor?.name])).toEqual([
      ['your threaded_server.py', at('server.accept()')],
      ['your threaded_server.py', at('server.accept()')],
    ])
    const appConns = clients.map(
      (c) => session.trace.find((e) => e.actor === c.id && e.op === 'connect')!.conn,
    )
    expect(new Set(accepts.map((e) => e.conn))).toEqual(new Set(appConns))
    const threads = [...new Set(student.filter((e) => e.op === 'recv').map((e) => e.actor))]
    expect(threads).toHaveLength(2)
    for (const thread of threads) {
      expect(thread).toMatch(/^your threaded_server\.py · Thread-\d+$/)
      const own = student.filter((e) => e.actor === thread)
      expect(own.map((e) => [e.op, e.anchor?.name, e.bytes])).toEqual([
        ['recv', at('self.conn.recv(1024)'), 4],
        ['send', at('self.conn.sendall('), 4],
        ['recv', at('self.conn.recv(1024)'), 4],
        ['send', at('self.conn.sendall('), 4],
        ['eof', at('self.conn.recv(1024)'), 0],
        ['close', at('self.conn.close()'), undefined],
      ])
      // One thread, one connection: the lane is the client's.
      expect(new Set(own.map((e) => e.conn)).size).toBe(1)
      expect(appConns).toContain(own[0]!.conn)
    }
  })
})
