import { z } from 'zod'
import { HostSchema, PortSchema } from './endpoint'

/**
 * Every option an app program can be started with, each written once. A kind's own options
 * schema (see actor-catalogue.ts) picks the ones it reads, so a lab file or a start request
 * that gives a program an option it does not have is told so by name.
 */

/** How the counter server counts PINGs: see labs/counter/counter_server.py. */
export const countModes = ['shared', 'per-client'] as const
export const CountModeSchema = z.enum(countModes, {
  error: 'Count mode must be "shared" or "per-client"',
})
export type CountMode = z.infer<typeof CountModeSchema>

/** Lab 4's impairment relay: what may happen to each datagram it forwards, all seeded. */
export const ImpairmentSchema = z.strictObject({
  /** Probability that a datagram is dropped. */
  drop: z.number().min(0).max(0.9).default(0),
  /** Extra delay added to each forwarded datagram, and a random ± spread around it. */
  delayMs: z.number().int().min(0).max(10_000).default(0),
  jitterMs: z.number().int().min(0).max(10_000).default(0),
  /** Probability that a datagram is sent twice. */
  duplicate: z.number().min(0).max(0.9).default(0),
  /** Probability that a datagram is held back and sent after the next one. */
  reorder: z.number().min(0).max(0.9).default(0),
})
export type Impairment = z.infer<typeof ImpairmentSchema>

export const MAX_SEED = 2 ** 32 - 1

/** Framing relay limits: pieces up to 64 KiB, a merge window up to 5 s. */
export const MAX_SPLIT_BYTES = 65_536
export const MAX_MERGE_MS = 5000

export const optionFields = {
  /** Clients: how many PINGs (or requests) to send. */
  count: z.number().int().min(1).max(1000).default(5),
  /** Every program: the pace, a pause between calls so a class can follow each one. */
  intervalMs: z.number().int().min(0).max(10_000).default(0),
  /**
   * Clients: how long a receive waits for each reply. 0 means no timeout, as
   * settimeout(None): the lossy client then blocks until a reply comes or Stop cancels it.
   */
  timeoutMs: z
    .number()
    .int()
    .min(0)
    .max(60_000)
    .refine((ms) => ms === 0 || ms >= 10, { message: 'Timeout must be 0 (none) or at least 10 ms' })
    .default(2000),
  /** Counter server: one count for the whole server, or one per client address. */
  countMode: CountModeSchema.default('shared'),
  /** Multi-client sequential server: stop by itself after this many clients (0: no limit). */
  maxClients: z.number().int().min(0).max(100_000).default(0),
  /** Multi-client servers: hang up on a client that sends nothing for this long (0: never). */
  idleTimeoutMs: z.number().int().min(0).max(600_000).default(30_000),
  /** Lossy server: probability of dropping each reply (0 to 0.9). */
  dropRate: z.number().min(0).max(0.9).default(0),
  /**
   * Lossy server, relay, guessing game: the random seed. The same seed over the same datagrams
   * gives the same fates. Absent: the actor picks one and shows it in its first trace event.
   */
  seed: z.number().int().min(0).max(MAX_SEED).optional(),
  /** Lossy server: drop exactly the replies to these PING numbers (instead of dropRate). */
  dropList: z.array(z.number().int().min(1).max(100_000)).max(1000).optional(),
  /** Relays: where they forward what clients send (a relay listens on host:port). */
  targetHost: HostSchema.default('127.0.0.1'),
  targetPort: PortSchema.optional(),
  /** Impairment relay: what it does to datagrams, both directions. */
  impair: ImpairmentSchema.default(ImpairmentSchema.parse({})),
  /**
   * Multi-client and uppercase-over-TCP actors: how a message is framed on the wire. `chunk`
   * (the course's way): one recv() is one message, `PING` with no newline. `line`: one message
   * per line ending in \n, what the framing steps switch on.
   */
  framing: z.enum(['chunk', 'line']).default('chunk'),
  /** Framing relay (lab 5): forward in pieces of at most this many bytes (0: as received). */
  splitBytes: z
    .number({ error: 'Split size must be a whole number of bytes' })
    .int('Split size must be a whole number of bytes')
    .min(0, 'Split size must be 0 (off) or more bytes')
    .max(MAX_SPLIT_BYTES, `Split size must be at most ${MAX_SPLIT_BYTES} bytes`)
    .default(0),
  /** Framing relay (lab 5): hold bytes this long so that several messages leave as one write. */
  mergeMs: z
    .number({ error: 'Merge window must be a whole number of milliseconds' })
    .int('Merge window must be a whole number of milliseconds')
    .min(0, 'Merge window must be 0 (off) or more milliseconds')
    .max(MAX_MERGE_MS, `Merge window must be at most ${MAX_MERGE_MS} ms`)
    .default(0),
}
export type OptionName = keyof typeof optionFields

/**
 * A program's options as its run receives them: every field, each kind's own ones as given
 * and the rest at their defaults (a program reads only its own).
 */
export const ActorOptionsSchema = z.object(optionFields)
export type ActorOptions = z.infer<typeof ActorOptionsSchema>

/** A kind's options schema: the fields it reads, nothing else (an unknown one is named). */
export function optionsOf<const K extends OptionName>(names: readonly K[]) {
  const shape = Object.fromEntries(names.map((n) => [n, optionFields[n]])) as {
    [N in K]: (typeof optionFields)[N]
  }
  return z.strictObject(shape)
}
