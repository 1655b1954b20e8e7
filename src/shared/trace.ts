import { z } from 'zod'

/**
 * One trace event per socket call an actor makes. The event log, the live sequence
 * diagram, the code highlight and the checkpoints all read this one shape.
 */
export const traceOps = [
  'socket', // a socket object was created
  'bind',
  'listen',
  'accept', // TCP server: a connection came out of the backlog
  'connect', // TCP client: the handshake completed
  'send', // TCP sendall()
  'recv', // TCP recv() returned data
  'eof', // TCP recv() returned b'' — the peer closed its side (FIN)
  'sendto', // UDP
  'recvfrom', // UDP
  'timeout', // a receive gave up after the socket's timeout
  'drop', // a reply the program chose not to send (simulated loss)
  'close',
  'error',
  'note', // something worth telling that is not a socket call (e.g. "waiting in accept()")
] as const
export const TraceOpSchema = z.enum(traceOps)
export type TraceOp = z.infer<typeof TraceOpSchema>

export const ProtocolSchema = z.enum(['tcp', 'udp'])
export type Protocol = z.infer<typeof ProtocolSchema>

/** A relay sits between a client and a server and forwards what it receives (lab 4). */
export const ActorRoleSchema = z.enum(['server', 'client', 'relay'])
export type ActorRole = z.infer<typeof ActorRoleSchema>

/**
 * What happened to a datagram beyond the plain socket call, drawn as a badge in the diagram:
 * - `lost`: a reply dropped by a lossy server or a datagram dropped by the relay;
 * - `delayed`, `duplicated`, `reordered`: what the impairment relay did to a datagram;
 * - `late`: a client received a reply to an earlier request, after it had timed out;
 * - `duplicate`: a client received a reply to a request already answered.
 */
export const traceTags = [
  'lost',
  'delayed',
  'duplicated',
  'reordered',
  'late',
  'duplicate',
] as const
export const TraceTagSchema = z.enum(traceTags)
export type TraceTag = z.infer<typeof TraceTagSchema>

/** Names the line in a Python reference program that makes the same call. */
export const CodeAnchorSchema = z.object({ file: z.string(), name: z.string() })
export type CodeAnchor = z.infer<typeof CodeAnchorSchema>

export const TraceEventSchema = z.object({
  /** Position in the session's trace, from 1, never reused. */
  seq: z.number().int().positive(),
  /** Milliseconds since the session started. */
  t: z.number().nonnegative(),
  /** Which actor made the call, e.g. "tcp-server#1". */
  actor: z.string(),
  /** The kind of actor, e.g. "tcp-server"; the diagram groups lifelines by it. */
  actorKind: z.string(),
  role: ActorRoleSchema,
  proto: ProtocolSchema,
  op: TraceOpSchema,
  /** "host:port" of this socket, once known. */
  local: z.string().optional(),
  /** "host:port" of the peer (TCP) or of the datagram's other end (UDP). */
  remote: z.string().optional(),
  /** TCP: which connection, so sends and receives can be tied to one stream. */
  conn: z.string().optional(),
  bytes: z.number().int().nonnegative().optional(),
  /** Printable preview of the payload: control characters escaped, long data cut. */
  payload: z.string().optional(),
  /** Round-trip time in ms, on the receive that completed a request. */
  rttMs: z.number().nonnegative().optional(),
  anchor: CodeAnchorSchema.optional(),
  tag: TraceTagSchema.optional(),
  /** A sentence for the student, e.g. why a call failed. */
  message: z.string().optional(),
  level: z.enum(['info', 'warn', 'error']).default('info'),
})
export type TraceEvent = z.infer<typeof TraceEventSchema>

const decoder = new TextDecoder()
const printable = /^[\x20-\x7e]*$/

/** Printable preview of a payload: `\r`, `\n`, tabs and other control bytes made visible. */
export function previewPayload(data: Uint8Array | string, max = 64): string {
  const text = typeof data === 'string' ? data : decoder.decode(data)
  // Fast path for the common case, plain short ASCII such as PING: nothing to escape.
  if (text.length <= max && printable.test(text)) return text
  return showInvisible(text, max)
}

/**
 * Text with its invisible characters written out: `\r`, `\n`, `\t`, `\x00`… Cut with `…`
 * once `max` characters are written; never cut when `max` is left out.
 */
export function showInvisible(text: string, max = Infinity): string {
  let out = ''
  for (const ch of text) {
    if (out.length >= max) return out + '…'
    const code = ch.codePointAt(0) ?? 0
    if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`
    else out += ch
  }
  return out
}
