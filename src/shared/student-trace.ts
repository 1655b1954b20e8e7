import { z } from 'zod'

/**
 * One record of the Python tracer (tracer/socketlabs_tracer.py): a socket call the student's
 * program made, as it reports it on its pipe, one JSON object per line. Validated here, at the
 * edge, before it becomes a trace event.
 */
export const STUDENT_TRACE_VERSION = 1

export const studentOps = [
  'socket',
  'bind',
  'listen',
  'accept',
  'connect',
  'send',
  'sendall',
  'sendto',
  'recv',
  'recvfrom',
  'recv_into',
  'recvfrom_into',
  'settimeout',
  'setblocking',
  'shutdown',
  'close',
] as const
export const StudentOpSchema = z.enum(studentOps)
export type StudentOp = z.infer<typeof StudentOpSchema>

/** How the call ended: returned, or which kind of exception it raised. */
export const studentOutcomes = [
  'ok',
  'timeout',
  'refused',
  'reset',
  'wouldblock',
  /** Ctrl+C (KeyboardInterrupt) arrived while the call waited. */
  'interrupted',
  'error',
] as const
export const StudentOutcomeSchema = z.enum(studentOutcomes)
export type StudentOutcome = z.infer<typeof StudentOutcomeSchema>

/** "host:port", "[v6 host]:port", or a path for a Unix socket: short, one line. */
const Address = z
  .string()
  .min(1, 'an address is empty')
  .max(300, 'an address is longer than 300 characters')
  .regex(/^[^\r\n]*$/, 'an address holds a line break')

const Count = z.number().int().nonnegative()

export const StudentTraceRecordSchema = z
  .object({
    v: z.literal(STUDENT_TRACE_VERSION, {
      error: `the tracer's version is not ${STUDENT_TRACE_VERSION}`,
    }),
    /** The record's number, from 1, in the order the program wrote them. */
    n: z.number().int().positive(),
    /** Python's time.monotonic(), in seconds. */
    t: z.number().nonnegative(),
    op: StudentOpSchema,
    /** The tracer's number for the socket, from 1 (0: not known). */
    sock: Count,
    proto: z.enum(['tcp', 'udp', 'other']),
    outcome: StudentOutcomeSchema,
    /** The innermost line of the student's own code that led to the call (null: none). */
    file: z.string().min(1).max(4096).nullable(),
    line: z.number().int().positive().nullable(),
    thread: z.string().max(200),
    tid: Count,
    local: Address.optional(),
    remote: Address.nullable().optional(),
    bytes: Count.optional(),
    /** The payload's first bytes (at most 200), one character per byte (latin-1). */
    data: z
      .string()
      .max(200, 'the payload preview is longer than 200 bytes')
      // eslint-disable-next-line no-control-regex
      .regex(/^[\x00-\xff]*$/, 'the payload preview is not one character per byte')
      .nullable()
      .optional(),
    errno: z.string().max(40).optional(),
    error: z.string().max(2000).optional(),
    // Per op:
    asked: Address.nullable().optional(),
    backlog: Count.nullable().optional(),
    conn_sock: Count.optional(),
    conn_local: Address.optional(),
    timeout: z.number().nonnegative().nullable().optional(),
    blocking: z.boolean().optional(),
    how: z.number().int().nullable().optional(),
    family: z.number().int().optional(),
    type: z.number().int().optional(),
    code: z.number().int().optional(),
  })
  .refine((r) => (r.file === null) === (r.line === null), {
    message: 'a file without a line (or a line without a file)',
  })
  .refine((r) => r.outcome === 'ok' || r.error !== undefined || r.errno !== undefined, {
    message: 'a failed call without its error',
  })
export type StudentTraceRecord = z.infer<typeof StudentTraceRecordSchema>

/**
 * A head definition: the fields that stay the same at one call site, sent once as
 * {"def": id, ...}; later records say {"h": id, ...the rest} (see the tracer's docstring).
 */
export const StudentTraceHeadSchema = z.object({
  v: z.literal(STUDENT_TRACE_VERSION, {
    error: `the tracer's version is not ${STUDENT_TRACE_VERSION}`,
  }),
  def: z.number().int().positive(),
  op: StudentOpSchema,
  sock: Count,
  proto: z.enum(['tcp', 'udp', 'other']),
  file: z.string().min(1).max(4096).nullable(),
  line: z.number().int().positive().nullable(),
  thread: z.string().max(200),
  tid: Count,
  local: Address.optional(),
  remote: Address.nullable().optional(),
})
export type StudentTraceHead = z.infer<typeof StudentTraceHeadSchema>

const OPS: ReadonlySet<unknown> = new Set(studentOps)
const PROTOS: ReadonlySet<unknown> = new Set(['tcp', 'udp', 'other'])
const isCount = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0
const isAddress = (x: unknown) =>
  typeof x === 'string' && x.length > 0 && x.length <= 300 && !/[\r\n]/.test(x)
const maybe = (x: unknown, check: (x: unknown) => boolean) => x === undefined || check(x)
const nullOr = (x: unknown, check: (x: unknown) => boolean) => x === null || check(x)
// eslint-disable-next-line no-control-regex
const ONE_BYTE_CHARS = /^[\x00-\xff]*$/

/**
 * A fast check of the common record, for the hot path (thousands of records a second): true
 * only for a record StudentTraceRecordSchema accepts too. A record it does not vouch for
 * goes through the schema, which gives the verdict and the reason.
 */
export function isPlainStudentRecord(r: Record<string, unknown>): boolean {
  return (
    r.v === STUDENT_TRACE_VERSION &&
    isPlainCall(r) &&
    OPS.has(r.op) &&
    isCount(r.sock) &&
    PROTOS.has(r.proto) &&
    ((r.file === null && r.line === null) ||
      (typeof r.file === 'string' &&
        r.file.length > 0 &&
        r.file.length <= 4096 &&
        isCount(r.line) &&
        (r.line as number) > 0)) &&
    typeof r.thread === 'string' &&
    r.thread.length <= 200 &&
    isCount(r.tid) &&
    maybe(r.local, isAddress) &&
    maybe(r.remote, (x) => nullOr(x, isAddress)) &&
    onlyKeys(r, PLAIN_KEYS)
  )
}

/**
 * The same fast check for the rest of a record whose head was defined (and validated) before:
 * {"h": id, "n", "t", "outcome": "ok", "bytes", "data"} and nothing else.
 */
export function isPlainRecordRest(r: Record<string, unknown>): boolean {
  return isPlainCall(r) && onlyKeys(r, REST_KEYS)
}

/** What changes from call to call of a call that returned: its number, time, bytes. */
function isPlainCall(r: Record<string, unknown>): boolean {
  const data = r.data
  return (
    isCount(r.n) &&
    (r.n as number) > 0 &&
    Number.isFinite(r.t) &&
    (r.t as number) >= 0 &&
    r.outcome === 'ok' &&
    maybe(r.bytes, isCount) &&
    (data === undefined ||
      data === null ||
      (typeof data === 'string' && data.length <= 200 && ONE_BYTE_CHARS.test(data)))
  )
}

/** Anything else (op-specific fields, an error) is for the schema to judge. */
function onlyKeys(r: Record<string, unknown>, keys: ReadonlySet<string>): boolean {
  for (const key in r) if (!keys.has(key)) return false
  return true
}

const REST_KEYS: ReadonlySet<string> = new Set(['h', 'n', 't', 'outcome', 'bytes', 'data'])

const PLAIN_KEYS: ReadonlySet<string> = new Set([
  'v',
  'n',
  't',
  'op',
  'sock',
  'proto',
  'outcome',
  'file',
  'line',
  'thread',
  'tid',
  'local',
  'remote',
  'bytes',
  'data',
])
