import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isPlainStudentRecord, StudentTraceRecordSchema } from '@shared/student-trace'

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
