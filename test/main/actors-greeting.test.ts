import { connect, type Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { perConnection } from '../../src/main/protocols/line-protocol'
import {
  COURSE_GREETING,
  endingOn,
  withGreeting,
} from '../../src/main/net/line-servers/greeting-server'
import { anchorsOf, freePort, HOST, sessionFactory, waitForEvent } from './helpers'

// The greeting server: the course's threaded server as data (a greeting and a reply) over
// the general line server, against raw sockets that read every byte.

const newSession = sessionFactory('echo')

/** A raw client and the bytes it has received so far. */
async function rawClient(port: number) {
  const socket: Socket = connect({ host: HOST, port })
  let received = ''
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => (received += chunk))
  await new Promise<void>((resolve) => socket.once('connect', resolve))
  const until = (text: string) =>
    new Promise<void>((resolve) => {
      const look = () => received.includes(text) && (socket.off('data', look), resolve())
      if (!look()) socket.on('data', look)
    })
  return {
    socket,
    until,
    get received() {
      return received
    },
  }
}

/** A greeting server with two raw clients, each greeted already. */
async function twoGreetedClients() {
  const { session, sink } = newSession()
  const port = await freePort()
  const server = session.startActor({ kind: 'greeting-server', host: HOST, port })
  await server.ready
  const a = await rawClient(port)
  const b = await rawClient(port)
  await Promise.all([a.until('\r\n'), b.until('\r\n')])
  return { session, sink, server, a, b }
}

describe('withGreeting', () => {
  it('greets on connect, first, then serves as the inner protocol does', () => {
    const p = withGreeting(
      'Hi\r\n',
      perConnection(() => (line) => line.toUpperCase()),
    )
    expect(p.connect('c1')).toEqual([{ to: 'c1', line: 'Hi\r\n', at: 'greet' }])
    expect(p.line('c1', 'abc')).toEqual([{ to: 'c1', line: 'ABC' }])
  })
})

describe('greeting-server', () => {
  it('sends each client exactly the course greeting, then each recv() back in capitals', async () => {
    const { session, sink, server, a, b } = await twoGreetedClients()
    expect(a.received).toBe(COURSE_GREETING)
    expect(COURSE_GREETING).toBe('Thank you for connecting\r\n')
    a.socket.write('hello')
    await a.until('HELLO')
    b.socket.write('two words')
    await b.until('TWO WORDS')
    // No newline is added to anything: the bytes are the course's.
    expect(a.received).toBe('Thank you for connecting\r\nHELLO')
    expect(b.received).toBe('Thank you for connecting\r\nTWO WORDS')
    a.socket.end()
    await waitForEvent(session, sink, (e) => e.op === 'close' && e.conn !== undefined)
    b.socket.destroy()

    const calls = anchorsOf(session.trace, server.id)
    expect(calls.slice(0, 4)).toEqual([
      ['socket', 'greeting_server.py', 'socket'],
      ['bind', 'greeting_server.py', 'bind'],
      ['listen', 'greeting_server.py', 'listen'],
      ['note', 'greeting_server.py', 'accept'],
    ])
    const greets = session.trace.filter((e) => e.anchor?.name === 'greet')
    expect(greets.map((e) => [e.op, e.payload, e.bytes])).toEqual([
      ['send', 'Thank you for connecting\\r\\n', 26],
      ['send', 'Thank you for connecting\\r\\n', 26],
    ])
  })
})

describe('endingOn', () => {
  it('hangs up without a reply on exactly the word, and serves everything else', () => {
    const p = endingOn(
      'bye',
      perConnection(() => (line) => line.toUpperCase()),
    )
    p.connect('c1')
    expect(p.line('c1', 'bye')).toEqual([
      {
        to: 'c1',
        line: '',
        close: true,
        because: 'the client sent "bye": the server ended the connection',
      },
    ])
    // Only the exact message: the course compares the whole decoded recv() with 'bye'.
    expect(p.line('c1', 'bye\n')).toEqual([{ to: 'c1', line: 'BYE\n' }])
    expect(p.line('c1', 'Bye')).toEqual([{ to: 'c1', line: 'BYE' }])
    expect(p.line('c1', 'goodbye')).toEqual([{ to: 'c1', line: 'GOODBYE' }])
  })
})

describe('greeting-server and "bye"', () => {
  it('ends the client’s connection on exactly "bye", with no reply, and keeps serving others', async () => {
    const { session, sink, server, a, b } = await twoGreetedClients()
    const ended = new Promise<void>((resolve) => a.socket.once('end', resolve))
    a.socket.write('bye')
    await ended
    expect(a.received).toBe(COURSE_GREETING)
    const close = await waitForEvent(
      session,
      sink,
      (e) => e.actor === server.id && e.op === 'close' && e.conn !== undefined,
    )
    expect(close.message).toBe('the client sent "bye": the server ended the connection')
    const sends = session.trace.filter((e) => e.actor === server.id && e.op === 'send')
    expect(sends.map((e) => e.payload)).not.toContain('BYE')
    // The other client is still served.
    b.socket.write('still here')
    await b.until('STILL HERE')
    a.socket.destroy()
    b.socket.destroy()
  })
})
