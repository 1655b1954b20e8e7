import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../src/main/impair/random'
import {
  calculatorReply,
  formatNumber,
  MAX_DEPTH,
  MAX_MAGNITUDE,
} from '../../../src/main/protocols/calculator'
import { CHAT_LIMITS, ChatRoom } from '../../../src/main/protocols/chat'
import { GuessGame } from '../../../src/main/protocols/guess'
import { KV_LIMITS, KvStore } from '../../../src/main/protocols/kv'
import {
  LineBuffer,
  MAX_LINE_BYTES,
  type FramedItem,
} from '../../../src/main/protocols/line-buffer'

/** Hostile text: any unicode, control characters, huge, or built to nest deeply. */
const hostileText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({
    unit: fc.constantFrom('(', ')', '-', '+', '*', '/', '.', '1', '0', ' ', '\t', 'x'),
    maxLength: 400,
  }),
  fc.integer({ min: 0, max: 5000 }).map((n) => '('.repeat(n) + '1' + ')'.repeat(n)),
  fc.integer({ min: 0, max: 5000 }).map((n) => '-'.repeat(n) + '1'),
  fc.integer({ min: 0, max: 100 }).map((n) => '9'.repeat(n) + '*' + '9'.repeat(n)),
  fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString('utf8')),
)

/** Runs `f` and checks it came back promptly: a parser that loops would fail here. */
function prompt<T>(f: () => T): T {
  const started = performance.now()
  const result = f()
  expect(performance.now() - started).toBeLessThan(250)
  return result
}

const noNewline = (line: string) => !line.includes('\n')

describe('fuzz: line framing', () => {
  const chunked = fc.array(
    fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
    {
      maxLength: 30,
    },
  )
  const withNewlines = fc.array(
    fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
      fc.constantFrom(Buffer.from('\n'), Buffer.from('\r\n'), Buffer.from('\r')),
    ),
    { maxLength: 40 },
  )

  const strip = (items: FramedItem[]) =>
    items.map((i) => (i.kind === 'line' ? i : { kind: 'too-long' as const }))

  it('gives the same items however the stream is cut, and holds at most the limit', () => {
    fc.assert(
      fc.property(
        fc.oneof(chunked, withNewlines),
        fc.array(fc.nat(), { maxLength: 20 }),
        (chunks, cuts) => {
          const stream = Buffer.concat(chunks)
          const whole = new LineBuffer().push(stream)
          // Cut the same stream at other places.
          const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort(
            (a, b) => a - b,
          )
          const buffer = new LineBuffer()
          const items: FramedItem[] = []
          let from = 0
          for (const to of [...points, stream.length]) {
            items.push(...buffer.push(stream.subarray(from, to)))
            expect(buffer.pendingBytes).toBeLessThanOrEqual(MAX_LINE_BYTES + 1)
            from = to
          }
          expect(strip(items)).toEqual(strip(whole))
          // One item per newline: every terminated line is answered exactly once.
          const newlines = stream.filter((b) => b === 0x0a).length
          const unterminatedTooLong = items.length - newlines
          expect(unterminatedTooLong === 0 || unterminatedTooLong === 1).toBe(true)
          for (const item of items) {
            if (item.kind === 'line') {
              expect(Buffer.byteLength(item.text)).toBeLessThanOrEqual(MAX_LINE_BYTES * 3)
              expect(noNewline(item.text)).toBe(true)
            } else expect(item.bytes).toBeGreaterThan(MAX_LINE_BYTES)
          }
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('fuzz: calculator', () => {
  const replyShape =
    /^(OK -?\d+(\.\d+)?|ERROR (empty expression|division by zero|overflow|expression too long \(max 200 bytes\)|nesting too deep \(max 50 levels\)|unexpected ".+" at column \d+|unexpected end of expression at column \d+|missing "\)" at column \d+))$/su

  it('answers any input with OK <number> or a documented error, promptly', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const reply = prompt(() => calculatorReply(text))
        expect(reply).toMatch(replyShape)
        expect(noNewline(reply)).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })

  type Tree = { n: number } | { neg: Tree } | { op: '+' | '-' | '*' | '/'; l: Tree; r: Tree }
  const tree = fc.letrec<{ tree: Tree }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.integer({ min: 0, max: 9999 }).map((n) => ({ n })),
      tie('tree').map((t) => ({ neg: t })),
      fc.record({ op: fc.constantFrom('+', '-', '*', '/'), l: tie('tree'), r: tie('tree') }),
    ),
  })).tree
  const render = (t: Tree): string =>
    'n' in t
      ? String(t.n)
      : 'neg' in t
        ? `-(${render(t.neg)})`
        : `(${render(t.l)} ${t.op} ${render(t.r)})`
  /** The expected answer, computed directly from the tree, not through the parser. */
  const expected = (t: Tree): number | 'div0' | 'overflow' => {
    if ('n' in t) return t.n
    if ('neg' in t) {
      const v = expected(t.neg)
      return typeof v === 'number' ? -v : v
    }
    const a = expected(t.l)
    if (typeof a !== 'number') return a
    const b = expected(t.r)
    if (typeof b !== 'number') return b
    if (t.op === '/' && b === 0) return 'div0'
    const v = t.op === '+' ? a + b : t.op === '-' ? a - b : t.op === '*' ? a * b : a / b
    return Math.abs(v) > MAX_MAGNITUDE || !Number.isFinite(v) ? 'overflow' : v
  }
  const depth = (t: Tree): number =>
    'n' in t ? 0 : 'neg' in t ? 1 + depth(t.neg) : 1 + Math.max(depth(t.l), depth(t.r))

  it('computes what the expression tree means, whatever its shape', () => {
    fc.assert(
      fc.property(tree, (t) => {
        const text = render(t)
        fc.pre(Buffer.byteLength(text) <= 200 && depth(t) < MAX_DEPTH)
        const want = expected(t)
        const reply = calculatorReply(text)
        if (want === 'div0') expect(reply).toBe('ERROR division by zero')
        else if (want === 'overflow') expect(reply).toBe('ERROR overflow')
        else expect(reply).toBe(`OK ${formatNumber(want)}`)
      }),
      { numRuns: 1000 },
    )
  })
})

describe('fuzz: guessing game', () => {
  it('answers every line with HIGHER, LOWER, CORRECT or the error, counting only guesses', () => {
    const line = fc.oneof(
      hostileText,
      fc.integer({ min: -5, max: 110 }).map((n) => `GUESS ${n}`),
    )
    fc.assert(
      fc.property(fc.nat(), fc.array(line, { maxLength: 60 }), (seed, lines) => {
        const game = new GuessGame(seededRandom(seed))
        let counted = 0
        for (const l of lines) {
          const reply = prompt(() => game.reply(l))
          expect(reply).toMatch(
            /^(HIGHER|LOWER|CORRECT in \d+ guess(es)?|ERROR expected GUESS <1-100>)$/,
          )
          if (reply.startsWith('CORRECT')) {
            expect(Number(reply.split(' ')[2])).toBe(counted + 1)
            counted = 0
          } else if (!reply.startsWith('ERROR')) counted++
          expect(game.guesses).toBe(counted)
          expect(game.secret).toBeGreaterThanOrEqual(1)
          expect(game.secret).toBeLessThanOrEqual(100)
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('fuzz: key-value store', () => {
  const key = fc.oneof(
    fc.constantFrom('a', 'b', 'name'),
    fc.string({ minLength: 1, maxLength: 40 }),
  )
  const command = fc.oneof(
    fc.tuple(key, fc.string({ maxLength: 120 })).map(([k, v]) => `SET ${k} ${v}`),
    key.map((k) => `GET ${k}`),
    key.map((k) => `DEL ${k}`),
    fc.constant('KEYS'),
    fc.nat({ max: 500 }).map((n) => `SET k${n} v${n}`),
    hostileText,
  )

  it('answers every command with OK, VALUE, KEYS or ERROR and never exceeds its limits', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 250 }), (lines) => {
        const store = new KvStore()
        for (const l of lines) {
          const reply = prompt(() => store.reply(l))
          expect(reply).toMatch(/^(OK|VALUE .+|KEYS( .+)?|ERROR .+)$/s)
          expect(store.size).toBeLessThanOrEqual(KV_LIMITS.keys)
          // A SET that said OK is what GET now gives back.
          const set = /^\s*SET\s+(\S+)\s+(.+?)\s*$/is.exec(l)
          if (reply === 'OK' && set) expect(store.reply(`GET ${set[1]}`)).toBe(`VALUE ${set[2]}`)
        }
        expect(store.bytes).toBeLessThanOrEqual(
          KV_LIMITS.keys * (KV_LIMITS.keyBytes + KV_LIMITS.valueBytes),
        )
      }),
      { numRuns: 200 },
    )
  })

  it('keeps the limits when filled far beyond them', () => {
    const store = new KvStore()
    for (let i = 0; i < 10_000; i++)
      store.reply(`SET ${'k'.repeat(i % 40)}${i} ${'v'.repeat(i % 150)}`)
    expect(store.size).toBe(KV_LIMITS.keys)
    expect(store.bytes).toBeLessThanOrEqual(
      KV_LIMITS.keys * (KV_LIMITS.keyBytes + KV_LIMITS.valueBytes),
    )
  })
})

describe('fuzz: chat room', () => {
  const id = fc.integer({ min: 0, max: 40 }).map((n) => `c${n}`)
  const event = fc.oneof(
    id.map((i) => ({ type: 'connect' as const, id: i })),
    fc
      .tuple(
        id,
        fc.oneof(hostileText, fc.constantFrom('NAME alice', 'NAME bob', 'NAME  x_1', 'hi')),
      )
      .map(([i, text]) => ({ type: 'line' as const, id: i, text })),
    fc.tuple(id, fc.boolean()).map(([i, slow]) => ({ type: 'leave' as const, id: i, slow })),
  )

  it('delivers only to open connections, keeps names unique and the room bounded', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 300 }), (events) => {
        const room = new ChatRoom()
        const open = new Set<string>()
        for (const e of events) {
          let out
          if (e.type === 'connect') {
            if (open.has(e.id)) continue
            out = room.connect(e.id)
            if (out.some((d) => d.close)) expect(open.size).toBe(CHAT_LIMITS.clients)
            else open.add(e.id)
          } else if (e.type === 'line') {
            if (!open.has(e.id)) continue
            out = prompt(() => room.line(e.id, e.text))
          } else {
            if (!open.delete(e.id)) continue
            out = room.disconnect(e.id, e.slow ? 'too-slow' : 'left')
          }
          for (const d of out) {
            expect(open.has(d.to) || d.close).toBe(true)
            expect(d.line).toMatch(
              /^(WELCOME \S+ \(\d+ online\)|\* \S+ (joined|left.*)|ERROR .+|[A-Za-z0-9_-]{1,16}: .*)$/s,
            )
          }
          const members = room.members
          expect(new Set(members).size).toBe(members.length)
          expect(room.connections).toBe(open.size)
          expect(room.connections).toBeLessThanOrEqual(CHAT_LIMITS.clients)
        }
      }),
      { numRuns: 200 },
    )
  })
})
