import { z } from 'zod'
import { ActorKindSchema } from './lab'

/** Ports below 1024 need root on Linux; the labs never ask a student for that. */
export const MIN_PORT = 1024
export const MAX_PORT = 65535

export const HostSchema = z
  .string()
  .trim()
  .min(1, 'Host is empty: enter an address such as 127.0.0.1')
  .refine(isLoopback, {
    message:
      'Host must be a loopback address (127.x.x.x, localhost or ::1): the labs stay on this machine',
  })

export const PortSchema = z
  .number({ error: 'Port must be a whole number' })
  .int('Port must be a whole number')
  .max(MAX_PORT, `Port must be at most ${MAX_PORT}`)
  .refine((p) => p >= 1, { message: 'Port must be between 1024 and 65535' })
  .refine((p) => p >= MIN_PORT, {
    message: `Ports below ${MIN_PORT} are privileged (only root may bind them): choose ${MIN_PORT}–${MAX_PORT}`,
  })

export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase()
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
}

/** How the counter server counts PINGs: see labs/counter/counter_server.py. */
export const countModes = ['shared', 'per-client'] as const
export const CountModeSchema = z.enum(countModes, {
  error: 'Count mode must be "shared" or "per-client"',
})
export type CountMode = z.infer<typeof CountModeSchema>

export const ActorOptionsSchema = z.object({
  /** Client: how many PINGs to send. */
  count: z.number().int().min(1).max(1000).default(5),
  /** Client: pause between PINGs, so a class can follow each call. */
  intervalMs: z.number().int().min(0).max(10_000).default(0),
  /** UDP client: how long recvfrom() waits for each reply. */
  timeoutMs: z.number().int().min(10).max(60_000).default(2000),
  /** Counter server: one count for the whole server, or one per client address. */
  countMode: CountModeSchema.default('shared'),
  /** Multi-client sequential server: stop by itself after this many clients (0: no limit). */
  maxClients: z.number().int().min(0).max(100_000).default(0),
  /** Multi-client servers: hang up on a client that sends nothing for this long (0: never). */
  idleTimeoutMs: z.number().int().min(0).max(600_000).default(30_000),
})
export type ActorOptions = z.infer<typeof ActorOptionsSchema>

export const StartActorArgsSchema = z.object({
  labId: z.string(),
  kind: ActorKindSchema,
  host: HostSchema,
  port: PortSchema,
  options: ActorOptionsSchema.partial().default({}),
})
export type StartActorArgs = z.input<typeof StartActorArgsSchema>

export type ActorState = 'starting' | 'running' | 'finished' | 'stopped' | 'failed'

export interface ActorStatus {
  labId: string
  actorId: string
  kind: z.infer<typeof ActorKindSchema>
  state: ActorState
  /** Where it listens (servers) or what it talks to (clients). */
  address: string
  /** Why it failed, in words a student can act on. */
  message?: string
}
