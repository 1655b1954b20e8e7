import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import type { ActorOptions } from '@shared/actors'
import type { ActorKind } from '@shared/lab'
import { seededRandom } from '../../src/main/impair/random'
import fc from 'fast-check'
import { calculatorReply } from '../../src/main/protocols/calculator'
import { GuessGame } from '../../src/main/protocols/guess'
import { KvStore } from '../../src/main/protocols/kv'
import { LineClient } from '../main/protocols/line-client'
import { LabSession } from '../../src/main/session/lab-session'
import { freeTcpPort, freeUdpPort, runPython, stopAllPython, tcpReady, udpReady } from './python'

const PROTOCOL_DIR = fileURLToPath(new URL('../../labs/protocol/', import.meta.url))
const HOST = '127.0.0.1'
const sessions: LabSession[] = []

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()))
  await stopAllPython()
})

async function startServer(kind: ActorKind, options: Partial<ActorOptions> = {}) {
  const session = new LabSession('protocol', { flushMs: 1 })
  sessions.push(session)
  const port = kind === 'upper-udp-server' ? await freeUdpPort() : await freeTcpPort()
  const server = session.startActor({ kind, host: HOST, port, options })
  await server.ready
  return { session, port, server }
}

const python = (file: string, args: (string | number)[]) => runPython(file, args, PROTOCOL_DIR)

describe('the Python reference clients against the app’s servers', () => {
  it('calc_client.py prints each expression with its reply', async () => {
    const { port } = await startServer('calc-server')
    const py = python('calc_client.py', ['--port', port, '2 * (3 + 4)', '1/0', '(1', '7/2'])
    expect((await py.exited).code).toBe(0)
    expect(py.stdout.trim().split('\n')).toEqual([
      '2 * (3 + 4) -> OK 14',
      '1/0 -> ERROR division by zero',
      '(1 -> ERROR missing ")" at column 3',
      '7/2 -> OK 3.5',
    ])
  })

  it('calc_client.py reads expressions typed on its standard input', async () => {
    const { port } = await startServer('calc-server')
    const py = python('calc_client.py', ['--port', port])
    py.child.stdin.end('1+1\n\n')
    expect((await py.exited).code).toBe(0)
    expect(py.stdout).toContain('1+1 -> OK 2\n')
    expect(py.stdout).toContain(' -> ERROR empty expression\n')
  })

  it('guess_client.py --auto finds the seeded secret by halving', async () => {
    const { port, session, server } = await startServer('guess-server', { seed: 7 })
    const secret = new GuessGame(seededRandom(7)).secret
    const py = python('guess_client.py', ['--port', port, '--auto'])
    expect((await py.exited).code).toBe(0)
    const lines = py.stdout.trim().split('\n')
    expect(lines.at(-1)).toMatch(new RegExp(`^GUESS ${secret} -> CORRECT in ${lines.length} guess`))
    expect(lines.length).toBeLessThanOrEqual(7)
    const eof = session.trace.find((e) => e.actor === server.id && e.op === 'eof')
    expect(eof?.anchor).toEqual({ file: 'guess_server.py', name: 'eof' })
  })

  it('kv_client.py: one client stores, another finds it', async () => {
    const { port } = await startServer('kv-server')
    const a = python('kv_client.py', ['--port', port, 'SET name Alice', 'SET city New York'])
    expect((await a.exited).code).toBe(0)
    expect(a.stdout).toBe('SET name Alice -> OK\nSET city New York -> OK\n')
    const b = python('kv_client.py', ['--port', port, 'GET city', 'KEYS', 'DEL nope', 'PUT x'])
    expect((await b.exited).code).toBe(0)
    expect(b.stdout.trim().split('\n')).toEqual([
      'GET city -> VALUE New York',
      'KEYS -> KEYS city name',
      'DEL nope -> ERROR no such key "nope"',
      'PUT x -> ERROR unknown command "PUT" (use SET, GET, DEL, KEYS)',
    ])
  })

  it('chat_client.py: two clients see each other join, talk and leave', async () => {
    const { port } = await startServer('chat-server')
    const alice = python('chat_client.py', ['--port', port, '--name', 'alice'])
    await alice.waitForLine(/^WELCOME alice \(1 online\)$/)
    const bob = python('chat_client.py', ['--port', port, '--name', 'bob'])
    await bob.waitForLine(/^WELCOME bob \(2 online\)$/)
    await alice.waitForLine(/^\* bob joined$/)
    bob.child.stdin.write('hello alice\n')
    await alice.waitForLine(/^bob: hello alice$/)
    alice.child.stdin.write('hi bob\n')
    await bob.waitForLine(/^alice: hi bob$/)
    // Bob presses Ctrl+D: he half-closes, the server closes back, and he exits.
    bob.child.stdin.end()
    expect((await bob.exited).code).toBe(0)
    expect(bob.stdout).toMatch(/\ndisconnected\n$/)
    await alice.waitForLine(/^\* bob left$/)
    const carol = python('chat_client.py', ['--port', port, '--name', 'alice'])
    expect((await carol.exited).code).toBe(1)
    expect(carol.stdout).toBe('ERROR the name "alice" is taken: choose another\n')
    alice.child.stdin.end()
    expect((await alice.exited).code).toBe(0)
  })

  it('upper_client.py over TCP and over UDP', async () => {
    const tcp = await startServer('upper-tcp-server')
    const a = python('upper_client.py', ['--port', tcp.port, 'hello', 'straße'])
    expect((await a.exited).code).toBe(0)
    expect(a.stdout).toBe('hello -> HELLO\nstraße -> STRASSE\n')
    const udp = await startServer('upper-udp-server')
    const b = python('upper_client.py', ['--udp', '--port', udp.port, 'over udp'])
    expect((await b.exited).code).toBe(0)
    expect(b.stdout).toBe('over udp -> OVER UDP\n')
    const ops = udp.session.trace.filter((e) => e.actor === udp.server.id).map((e) => e.op)
    expect(ops).toEqual(expect.arrayContaining(['recvfrom', 'sendto']))
  })

  it('upper_client.py --udp times out instead of hanging when no server answers', async () => {
    const port = await freeUdpPort()
    const py = python('upper_client.py', ['--udp', '--port', port, '--timeout', 0.3, 'anyone?'])
    expect((await py.exited).code).toBe(0)
    expect(py.stdout).toMatch(/^anyone\? -> (no reply within 0\.3 s|nothing is listening on .*)\n$/)
  })
})

describe('the Python reference servers speak the same protocol as the app’s', () => {
  async function pythonServer(file: string, udp = false, extra: string[] = []) {
    const port = udp ? await freeUdpPort() : await freeTcpPort()
    const py = python(file, ['--port', port, ...extra])
    await py.waitForLine(udp ? udpReady(port) : tcpReady(port))
    return { port, py }
  }

  it('calc_server.py answers generated expressions exactly as the app’s parser', async () => {
    const { port } = await pythonServer('calc_server.py')
    const client = await LineClient.connect(port)
    const expression = fc.oneof(
      fc.string({
        unit: fc.constantFrom('(', ')', '-', '+', '*', '/', '.', '1', '2', '0', '9', ' ', 'x'),
        maxLength: 40,
      }),
      fc.integer({ min: 45, max: 55 }).map((n) => '('.repeat(n) + '1' + ')'.repeat(n)),
      fc.constantFrom('', '1/0 +', '1/3', '99999999*99999999', '1'.repeat(250)),
    )
    const inputs = fc.sample(expression, { numRuns: 300, seed: 5 })
    const replies: string[] = []
    for (const input of inputs) replies.push(await client.request(input))
    expect(replies).toEqual(inputs.map((i) => calculatorReply(i)))
  })

  it('kv_server.py answers a session of commands as the app’s store', async () => {
    const { port } = await pythonServer('kv_server.py')
    const client = await LineClient.connect(port)
    const store = new KvStore()
    const commands = [
      'KEYS',
      'SET name Alice',
      'set city  New York ',
      'GET city',
      'GET nope',
      'DEL name',
      'DEL name',
      'KEYS',
      'FOO x',
      'SET',
      'SET k',
      'GET a b',
      'KEYS x',
      '',
      `SET ${'k'.repeat(33)} v`,
      `SET k ${'v'.repeat(101)}`,
    ]
    for (let i = 0; i < 101; i++) commands.push(`SET key${i} ${i}`)
    for (const command of commands) expect(await client.request(command)).toBe(store.reply(command))
  })

  it('guess_server.py plays with guess_client.py --auto', async () => {
    const { port } = await pythonServer('guess_server.py')
    const py = python('guess_client.py', ['--port', port, '--auto'])
    expect((await py.exited).code).toBe(0)
    expect(py.stdout).toMatch(/-> CORRECT in \d guess(es)?\n$/)
  })

  it('chat_server.py relays between two chat_client.py', async () => {
    const { port } = await pythonServer('chat_server.py')
    const alice = python('chat_client.py', ['--port', port, '--name', 'alice'])
    await alice.waitForLine(/^WELCOME alice \(1 online\)$/)
    const bob = python('chat_client.py', ['--port', port, '--name', 'bob'])
    await bob.waitForLine(/^WELCOME bob \(2 online\)$/)
    await alice.waitForLine(/^\* bob joined$/)
    bob.child.stdin.write('hello alice\n')
    await alice.waitForLine(/^bob: hello alice$/)
    bob.child.stdin.end()
    expect((await bob.exited).code).toBe(0)
    await alice.waitForLine(/^\* bob left$/)
    alice.child.stdin.end()
    expect((await alice.exited).code).toBe(0)
  })

  it('upper_tcp_server.py and upper_udp_server.py answer upper_client.py', async () => {
    // By default the course's way: one recv() per message, no newline, no line limit.
    const chunked = await pythonServer('upper_tcp_server.py')
    const c = python('upper_client.py', ['--port', chunked.port, 'hello', 'x'.repeat(201)])
    expect((await c.exited).code).toBe(0)
    expect(c.stdout).toBe(`hello -> HELLO\n${'x'.repeat(201)} -> ${'X'.repeat(201)}\n`)
    const tcp = await pythonServer('upper_tcp_server.py', false, ['--line'])
    const a = python('upper_client.py', ['--line', '--port', tcp.port, 'hello', 'x'.repeat(201)])
    expect((await a.exited).code).toBe(0)
    expect(a.stdout).toBe(
      `hello -> HELLO\n${'x'.repeat(201)} -> ERROR line too long (max 200 bytes)\n`,
    )
    const udp = await pythonServer('upper_udp_server.py', true)
    const b = python('upper_client.py', ['--udp', '--port', udp.port, 'over udp'])
    expect((await b.exited).code).toBe(0)
    expect(b.stdout).toBe('over udp -> OVER UDP\n')
  })
})
