import { createSocket } from 'node:dgram'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ActorOptions } from '@shared/actors'
import type { ActorKind } from '@shared/lab'
import type { TraceEvent } from '@shared/trace'
import { seededRandom } from '../../../src/main/impair/random'
import { GuessGame } from '../../../src/main/protocols/guess'
import { MAX_LINE_BYTES } from '../../../src/main/protocols/line-buffer'
import {
  freePort,
  freeUdpPort,
  HOST,
  REAL_LABS_DIR,
  sessionFactory,
  waitForEvent,
} from '../helpers'
import { LineClient } from './line-client'

const newSession = sessionFactory('protocol')

async function startServer(kind: ActorKind, options: Partial<ActorOptions> = {}) {
  const { session, sink } = newSession()
  const port = kind === 'upper-udp-server' ? await freeUdpPort() : await freePort()
  const server = session.startActor({ kind, host: HOST, port, options })
  await server.ready
  const waitFor = (match: (e: TraceEvent) => boolean) => waitForEvent(session, sink, match)
  return { session, port, server, waitFor, client: () => LineClient.connect(port) }
}

/** The anchors (op → anchor name) of one actor's events, to compare with its Python file. */
function anchorsOf(trace: readonly TraceEvent[], actor: string, file: string) {
  const ops = new Map<string, string>()
  for (const e of trace) {
    if (e.actor !== actor || !e.anchor) continue
    expect(e.anchor.file).toBe(file)
    if (!ops.has(e.op)) ops.set(e.op, e.anchor.name)
  }
  return Object.fromEntries(ops)
}

/** Every anchor a server's trace names is a `# anchor:` line of its Python reference. */
function expectAnchorsInPython(trace: readonly TraceEvent[]) {
  const byFile = new Map<string, Set<string>>()
  for (const e of trace) {
    if (!e.anchor) continue
    const names = byFile.get(e.anchor.file) ?? new Set()
    names.add(e.anchor.name)
    byFile.set(e.anchor.file, names)
  }
  expect(byFile.size).toBeGreaterThan(0)
  for (const [file, names] of byFile) {
    const text = readFileSync(join(REAL_LABS_DIR, 'protocol', file), 'utf8')
    for (const name of names)
      expect(text, `${file} lacks # anchor: ${name}`).toContain(`# anchor: ${name}\n`)
  }
}

describe('calculator server', () => {
  it('answers each line, serves two clients at once and traces every call', async () => {
    const { session, server, client, waitFor } = await startServer('calc-server')
    const a = await client()
    const b = await client()
    expect(await a.request('1 + 2 * 3')).toBe('OK 7')
    expect(await b.request('(1+2')).toBe('ERROR missing ")" at column 5')
    expect(await a.request('1/0')).toBe('ERROR division by zero')
    expect(await b.request('')).toBe('ERROR empty expression')
    // Two requests in one segment, a third split over two: framing, not segments, counts.
    b.send('2*2\n3*3\n4*')
    b.send('4\r\n')
    expect([await b.next(), await b.next(), await b.next()]).toEqual(['OK 4', 'OK 9', 'OK 16'])
    a.socket.end()
    await a.ended
    await waitFor((e) => e.op === 'close' && e.conn !== undefined)
    expect(anchorsOf(session.trace, server.id, 'calc_server.py')).toEqual({
      socket: 'socket',
      bind: 'bind',
      listen: 'listen',
      note: 'accept',
      accept: 'accept',
      recv: 'recv',
      send: 'send',
      eof: 'eof',
      close: 'close-conn',
    })
    await session.stopActor(server.id)
    expect((await server.done).state).toBe('stopped')
    const last = session.trace.filter((e) => e.actor === server.id).at(-1)!
    expect(last).toMatchObject({ op: 'close', anchor: { name: 'close' } })
    expectAnchorsInPython(session.trace)
  })

  it('answers an over-long line with the expression error and stays usable', async () => {
    const { session, server, client } = await startServer('calc-server')
    const a = await client()
    a.send('1+'.repeat(MAX_LINE_BYTES))
    a.send('1\n')
    expect(await a.next()).toBe(`ERROR expression too long (max ${MAX_LINE_BYTES} bytes)`)
    expect(await a.request('6*7')).toBe('OK 42')
    const error = session.trace.find((e) => e.actor === server.id && e.op === 'error')
    expect(error).toMatchObject({ level: 'warn', anchor: { name: 'recv' } })
  })

  it('fails with a clear message when the port is taken', async () => {
    const { session, port } = await startServer('calc-server')
    const second = session.startActor({ kind: 'calc-server', host: HOST, port })
    await expect(second.ready).rejects.toThrow(/already in use/)
    expect((await second.done).state).toBe('failed')
  })
})

describe('guessing-game server', () => {
  it('deals the seeded secret and counts the guesses to CORRECT', async () => {
    const { session, server, client } = await startServer('guess-server', { seed: 42 })
    const secret = new GuessGame(seededRandom(42)).secret
    const a = await client()
    let low = 1
    let high = 100
    let reply = ''
    let guesses = 0
    const guessed: number[] = []
    while (!reply.startsWith('CORRECT') && guesses < 10) {
      const guess = Math.floor((low + high) / 2)
      guessed.push(guess)
      guesses++
      reply = await a.request(`GUESS ${guess}`)
      if (reply === 'HIGHER') low = guess + 1
      if (reply === 'LOWER') high = guess - 1
    }
    expect(guessed.at(-1)).toBe(secret)
    expect(reply).toBe(`CORRECT in ${guesses} ${guesses === 1 ? 'guess' : 'guesses'}`)
    expect(await a.request('GUESS 500')).toBe('ERROR expected GUESS <1-100>')
    const seedNote = session.trace.find((e) => e.actor === server.id && e.op === 'note')
    expect(seedNote?.message).toMatch(/^seed 42:/)
    expect(seedNote?.anchor).toEqual({ file: 'guess_server.py', name: 'seed' })
    a.socket.end()
    await a.ended
    await session.stopActor(server.id)
    expectAnchorsInPython(session.trace)
  })

  it('picks and shows a seed when none is given', async () => {
    const { session, server } = await startServer('guess-server')
    const seedNote = session.trace.find((e) => e.actor === server.id && e.op === 'note')
    expect(seedNote?.message).toMatch(/^seed \d+:/)
  })
})

describe('key-value server', () => {
  it('shares one store between clients, and a restart starts empty', async () => {
    const { session, server, client, port } = await startServer('kv-server')
    const a = await client()
    const b = await client()
    expect(await a.request('SET name Alice')).toBe('OK')
    expect(await b.request('GET name')).toBe('VALUE Alice')
    expect(await b.request('DEL name')).toBe('OK')
    expect(await a.request('GET name')).toBe('ERROR no such key "name"')
    expect(await a.request('SET k v')).toBe('OK')
    expect(await a.request('PUT k v')).toBe('ERROR unknown command "PUT" (use SET, GET, DEL, KEYS)')
    await session.stopActor(server.id)
    const again = session.startActor({ kind: 'kv-server', host: HOST, port })
    await again.ready
    const c = await LineClient.connect(port)
    expect(await c.request('KEYS')).toBe('KEYS')
    expectAnchorsInPython(session.trace)
  })
})

describe('chat server', () => {
  it('welcomes, broadcasts to the others with the name, and announces leaving', async () => {
    const { client } = await startServer('chat-server')
    const alice = await client()
    expect(await alice.request('NAME alice')).toBe('WELCOME alice (1 online)')
    const bob = await client()
    expect(await bob.request('hello?')).toBe('ERROR send NAME <name> first')
    expect(await bob.request('NAME alice')).toBe('ERROR the name "alice" is taken: choose another')
    expect(await bob.request('NAME bob')).toBe('WELCOME bob (2 online)')
    expect(await alice.next()).toBe('* bob joined')
    const carol = await client()
    expect(await carol.request('NAME carol')).toBe('WELCOME carol (3 online)')
    expect(await alice.next()).toBe('* carol joined')
    expect(await bob.next()).toBe('* carol joined')
    bob.send('hi there\n')
    expect(await alice.next()).toBe('bob: hi there')
    expect(await carol.next()).toBe('bob: hi there')
    bob.socket.destroy()
    expect(await alice.next()).toBe('* bob left')
    expect(await carol.next()).toBe('* bob left')
    // Nothing reached bob's own connection except his replies: no echo.
    expect(bob.lines).toEqual([
      'ERROR send NAME <name> first',
      'ERROR the name "alice" is taken: choose another',
      'WELCOME bob (2 online)',
      '* carol joined',
    ])
  })

  it('drops a client that stops reading, and the others go on', async () => {
    const { session, server, client, waitFor } = await startServer('chat-server')
    const stuck = await client()
    expect(await stuck.request('NAME stuck')).toBe('WELCOME stuck (1 online)')
    stuck.socket.pause()
    const reader = await client()
    expect(await reader.request('NAME reader')).toBe('WELCOME reader (2 online)')
    const talker = await client()
    expect(await talker.request('NAME talker')).toBe('WELCOME talker (3 online)')
    const dropped = waitFor((e) => e.actor === server.id && e.anchor?.name === 'slow-client')
    const message = 'm'.repeat(180)
    let sent = 0
    let gotDrop = false
    void dropped.then(() => (gotDrop = true))
    // Keep talking until the server gives up on the stuck client (its kernel buffers fill
    // first: a few MB on loopback). After each batch, wait for the reader to catch up.
    while (!gotDrop && sent < 200_000) {
      talker.send(Array.from({ length: 500 }, (_, i) => `${message} ${sent + i}\n`).join(''))
      sent += 500
      await reader.received(2 + sent)
    }
    const drop = await dropped
    expect(drop.message).toMatch(/not reading/)
    expect(drop.bytes).toBeLessThanOrEqual(64 * 1024)
    // Everyone else is told, and the room goes on.
    const notice = '* stuck left (disconnected: it was not reading its messages)'
    await waitFor((e) => e.op === 'send' && e.payload === `${notice}\\n`)
    talker.send('still here\n')
    await reader.received(2 + sent + 2)
    // The notice comes in the middle of the talk, right where the stuck client was dropped.
    expect(reader.lines.filter((l) => l === notice)).toHaveLength(1)
    expect(reader.lines.at(-1)).toBe('talker: still here')
    expect(reader.lines).toHaveLength(2 + sent + 2)
    expectAnchorsInPython(session.trace)
    expect(session.trace.some((e) => e.op === 'close' && /not reading/.test(e.message ?? ''))).toBe(
      true,
    )
  }, 60_000)
})

describe('uppercase servers', () => {
  it('TCP in line mode: each line comes back in capitals', async () => {
    const { client } = await startServer('upper-tcp-server', { framing: 'line' })
    const a = await client()
    expect(await a.request('hello, world')).toBe('HELLO, WORLD')
    expect(await a.request('straße')).toBe('STRASSE')
    a.send('x'.repeat(MAX_LINE_BYTES + 1) + '\n')
    expect(await a.next()).toBe(`ERROR line too long (max ${MAX_LINE_BYTES} bytes)`)
    expect(await a.request('ok')).toBe('OK')
  })

  it('TCP by default (the course’s way): each recv() comes back in capitals, no newline', async () => {
    const { port, waitFor } = await startServer('upper-tcp-server')
    const socket = connect({ host: HOST, port })
    await once(socket, 'connect')
    try {
      socket.write('hello')
      const [reply] = (await once(socket, 'data')) as [Buffer]
      expect(reply.toString('utf8')).toBe('HELLO')
      await waitFor((e) => e.op === 'send' && e.payload === 'HELLO')
    } finally {
      socket.destroy()
    }
  })

  it('UDP: each datagram comes back in capitals to its sender', async () => {
    const { session, server, port } = await startServer('upper-udp-server')
    const socket = createSocket('udp4')
    socket.bind(0, HOST)
    await once(socket, 'listening')
    try {
      const ask = async (text: string) => {
        socket.send(text, port, HOST)
        const [data] = (await once(socket, 'message')) as [Buffer]
        return data.toString('utf8')
      }
      expect(await ask('hello udp')).toBe('HELLO UDP')
      // The course reads recvfrom(2048): that much fits, one byte more is refused.
      expect(await ask('z'.repeat(2048))).toBe('Z'.repeat(2048))
      expect(await ask('y'.repeat(2049))).toBe('ERROR datagram too long (max 2048 bytes)')
    } finally {
      socket.close()
    }
    const ops = session.trace.filter((e) => e.actor === server.id).map((e) => e.anchor?.name)
    expect(ops).toEqual(expect.arrayContaining(['socket', 'bind', 'recvfrom', 'sendto']))
    await session.stopActor(server.id)
    expectAnchorsInPython(session.trace)
  })
})
