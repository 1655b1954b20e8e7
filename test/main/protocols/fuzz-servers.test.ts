import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ActorKind } from '@shared/lab'
import { seededRandom } from '../../../src/main/impair/random'
import { calculatorReply, CALC_ERRORS } from '../../../src/main/protocols/calculator'
import { GuessGame } from '../../../src/main/protocols/guess'
import { KvStore } from '../../../src/main/protocols/kv'
import { LineBuffer, LINE_TOO_LONG_REPLY } from '../../../src/main/protocols/line-buffer'
import { upperReply } from '../../../src/main/protocols/upper'
import { freePort, HOST, sessionFactory } from '../helpers'
import { LineClient } from './line-client'

const newSession = sessionFactory('protocol')

/** Random, binary and over-long pieces of a byte stream, some with newlines and `\r`. */
const hostileStream = fc.array(
  fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.string({ unit: 'grapheme', maxLength: 120 }).map((s) => Buffer.from(s + '\n')),
    fc
      .constantFrom('\n', '\r\n', 'GUESS 50\n', 'SET a b\n', '(((1)))\n', '1/0\n')
      .map((s) => Buffer.from(s)),
    fc.integer({ min: 201, max: 20_000 }).map((n) => Buffer.alloc(n, 0x28)),
  ),
  { maxLength: 25 },
)

/**
 * The replies a fresh connection should get for `stream`, from the pure protocol the server
 * is built on: one reply per newline (the test ends the stream with one).
 */
type Model = (stream: Buffer) => string[]
const perLine =
  (reply: (line: string) => string, tooLong = LINE_TOO_LONG_REPLY): Model =>
  (stream) =>
    new LineBuffer().push(stream).map((i) => (i.kind === 'line' ? reply(i.text) : tooLong))

async function fuzzServer(kind: ActorKind, model: () => Model, options = {}) {
  const { session } = newSession()
  const port = await freePort()
  const server = session.startActor({ kind, host: HOST, port, options })
  await server.ready
  await fc.assert(
    fc.asyncProperty(hostileStream, async (pieces) => {
      const expected = model()
      const client = await LineClient.connect(port)
      // End with a newline, so every line the stream started is finished and answered.
      const chunks = [...pieces.map((p) => Buffer.from(p)), Buffer.from('\n')]
      const stream = Buffer.concat(chunks)
      for (const chunk of chunks) client.send(chunk)
      const want = expected(stream)
      await client.received(want.length)
      // Every line got its answer, in order, including those after an over-long one.
      expect(client.lines).toEqual(want)
      client.socket.destroy()
    }),
    { numRuns: 25 },
  )
  await session.stopActor(server.id)
  expect((await server.done).state).toBe('stopped')
}

describe('fuzz: the servers over real sockets', () => {
  it('calculator answers every line as the parser does, over-long ones included', async () => {
    await fuzzServer('calc-server', () => perLine(calculatorReply, CALC_ERRORS.tooLong))
  })

  it('uppercase TCP in line mode answers every line in capitals', async () => {
    await fuzzServer('upper-tcp-server', () => perLine(upperReply), { framing: 'line' })
  })

  it('guessing game answers as a game dealt from the same seed', async () => {
    // Connections come one after another, so they draw from the server's generator in order.
    const random = seededRandom(99)
    await fuzzServer(
      'guess-server',
      () => {
        const game = new GuessGame(random)
        return perLine((line) => game.reply(line))
      },
      { seed: 99 },
    )
  })

  it('key-value store answers as one store shared by the connections', async () => {
    const store = new KvStore()
    await fuzzServer('kv-server', () => perLine((line) => store.reply(line)))
  })

  it('chat passes only well-formed lines to others and keeps serving', async () => {
    const { session } = newSession()
    const port = await freePort()
    const server = session.startActor({ kind: 'chat-server', host: HOST, port })
    await server.ready
    const watcher = await LineClient.connect(port)
    expect(await watcher.request('NAME watcher')).toBe('WELCOME watcher (1 online)')
    let n = 0
    await fc.assert(
      fc.asyncProperty(hostileStream, async (pieces) => {
        const client = await LineClient.connect(port)
        const name = `fuzz${n++}`
        expect(await client.request(`NAME ${name}`)).toMatch(/^WELCOME /)
        await watcher.received(watcher.lines.length + 1)
        for (const p of pieces) client.send(Buffer.from(p))
        client.send('\nlast line\n')
        // The marker arrives last: everything before it has been passed on or refused.
        while (watcher.lines.at(-1) !== `${name}: last line`) {
          await watcher.received(watcher.lines.length + 1)
        }
        client.socket.destroy()
        await watcher.received(watcher.lines.length + 1)
        expect(watcher.lines.at(-1)).toBe(`* ${name} left`)
        for (const line of client.lines) expect(line).toMatch(/^(WELCOME .+|ERROR .+)$/s)
      }),
      { numRuns: 20 },
    )
    for (const line of watcher.lines) {
      expect(line).toMatch(/^(WELCOME watcher \(1 online\)|\* fuzz\d+ (joined|left)|fuzz\d+: .*)$/s)
    }
    await session.stopActor(server.id)
  })
})
