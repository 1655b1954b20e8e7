import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  isPlainRecordRest,
  isPlainStudentRecord,
  StudentTraceRecordSchema,
} from '@shared/student-trace'

// The fast check on the hot path may only vouch for records the schema accepts: a record it
// wrongly let through would skip validation altogether.

const good: Record<string, unknown> = {
  v: 1,
  n: 3,
  t: 12.5,
  op: 'recv',
  sock: 2,
  proto: 'tcp',
  outcome: 'ok',
  file: '/ws/client.py',
  line: 9,
  thread: 'MainThread',
  tid: 77,
  local: '127.0.0.1:5000',
  remote: '127.0.0.1:6000',
  bytes: 4,
  data: 'PONG',
}
// A fixed seed keeps the test deterministic; change it to explore other records.
const SEED = Number(process.env.STUDENT_TRACE_SEED ?? 15)
const keys = [...Object.keys(good), 'error', 'errno', 'timeout', 'extra']

const value = fc.oneof(
  fc.anything(),
  fc.constantFrom(
    -1,
    0,
    1,
    1.5,
    201,
    2 ** 53,
    Infinity,
    '',
    'x'.repeat(301),
    '\n',
    '\u20ac',
    null,
    undefined,
    NaN,
  ),
  fc.string(),
  fc.integer(),
)

describe('isPlainStudentRecord', () => {
  it('vouches for the plain record, as the schema accepts it', () => {
    expect(isPlainStudentRecord(good)).toBe(true)
    expect(StudentTraceRecordSchema.safeParse(good).success).toBe(true)
  })

  it('never vouches for a record the schema rejects (random changes to a good record)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...keys), value, fc.boolean()), {
          minLength: 1,
          maxLength: 4,
        }),
        (changes) => {
          const r: Record<string, unknown> = { ...good }
          for (const [key, v, remove] of changes) {
            if (remove) delete r[key]
            else r[key] = v
          }
          if (isPlainStudentRecord(r))
            expect(StudentTraceRecordSchema.safeParse(r).success).toBe(true)
        },
      ),
      { numRuns: 3000, seed: SEED },
    )
  })

  it.each([
    ['a failed call', { outcome: 'timeout', error: 'TimeoutError: timed out' }],
    ['an op-specific field', { timeout: 2 }],
    ['an unknown field', { extra: 1 }],
    ['a preview over 200 bytes', { data: 'x'.repeat(201) }],
    ['a file without a line', { line: null }],
  ])('leaves %s to the schema', (_, change) => {
    expect(isPlainStudentRecord({ ...good, ...change })).toBe(false)
  })
})

// The fast path must also vouch for every plain record the schema accepts, up to each limit:
// a fast check that is too strict sends the hot path through the slow schema.
const edges: [string, Record<string, unknown>][] = [
  ['time zero', { t: 0 }],
  ['socket number zero (not known)', { sock: 0 }],
  ['no bytes counted', { bytes: 0 }],
  ['an address of 300 characters', { local: '1'.repeat(300), remote: '2'.repeat(300) }],
  ['no remote yet', { remote: null }],
  ['no local or remote field', { local: undefined, remote: undefined }],
  ['a file path of 4,096 characters', { file: `/${'f'.repeat(4095)}` }],
  ['a thread name of 200 characters', { thread: 't'.repeat(200) }],
  ['a preview of exactly 200 bytes', { data: '\u00ff'.repeat(200) }],
  ['no preview', { data: null }],
  ['no preview field', { data: undefined, bytes: undefined }],
  ["no line of the student's (both null)", { file: null, line: null }],
]

describe('the fast path vouches for plain records up to every limit', () => {
  it.each(edges)('%s', (_, change) => {
    const record = { ...good, ...change }
    expect(StudentTraceRecordSchema.safeParse(record).success).toBe(true)
    expect(isPlainStudentRecord(record)).toBe(true)
  })
})

describe('isPlainRecordRest', () => {
  const rest = { h: 4, n: 3, t: 12.5, outcome: 'ok', bytes: 4, data: 'PONG' }

  it('vouches for the rest of a plain record, at its limits too', () => {
    expect(isPlainRecordRest(rest)).toBe(true)
    expect(isPlainRecordRest({ ...rest, t: 0, bytes: 0, data: 'x'.repeat(200) })).toBe(true)
    expect(isPlainRecordRest({ h: 4, n: 1, t: 1, outcome: 'ok' })).toBe(true)
    expect(isPlainRecordRest({ ...rest, data: null })).toBe(true)
  })

  it.each([
    ['a failed call', { outcome: 'timeout', error: 'TimeoutError: timed out' }],
    ['an op-specific field', { timeout: 2 }],
    ['a number zero', { n: 0 }],
    ['a negative time', { t: -1 }],
    ['a byte count that is not whole', { bytes: 1.5 }],
    ['a preview over 200 bytes', { data: 'x'.repeat(201) }],
    ['a preview with a character above one byte', { data: '\u20ac' }],
    ['a preview that is not text', { data: 7 }],
  ])('leaves %s to the schema', (_, change) => {
    expect(isPlainRecordRest({ ...rest, ...change })).toBe(false)
  })
})
