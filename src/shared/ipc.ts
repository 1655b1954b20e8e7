import { z } from 'zod'
import { HostSchema, PortSchema, StartActorArgsSchema, type ActorStatus } from './actors'
import type { CheckpointResult, Progress } from './checkpoints'
import { CheckListSchema, type Check, type CheckRun } from './checks'
import type { Lab, LabLoadError, LabSummary } from './lab'
import type { TraceEvent } from './trace'
import { WorksheetSchema } from './worksheet'
import type { PackedTrace } from './trace-wire'
import {
  workspaceInvokeSchemas as ws,
  type InterpreterInfo,
  type ProgramStatus,
  type WorkspaceEventPayloads,
  type WorkspaceFileText,
  type WorkspaceInfo,
} from './workspace'

/**
 * The whole IPC contract, declared once. Invoke channels: renderer asks, main answers.
 * Event channels: main tells the renderer. Both hosts (Electron, browser) implement it.
 */
const labRef = z.object({ labId: z.string().min(1).max(100) })

export interface SessionSnapshot {
  labId: string
  /** The newest events (at most SNAPSHOT_MAX_EVENTS), oldest first. */
  trace: TraceEvent[]
  /** Events of this session's trace not in `trace`: dropped by main's budget or left out. */
  omitted?: number
  actors: ActorStatus[]
  checkpoints: CheckpointResult[]
}

/**
 * The memory budget of one session's trace, in main and in the page alike: at most this
 * many events are kept. Past it, the oldest are dropped (a quarter at a time). Measured by
 * `npm run bench -- flood`: a minute of UDP flood at a lab server keeps the host under
 * 300 MB. The event log stays fast at this size.
 */
export const MAX_TRACE_EVENTS = 100_000

/**
 * A snapshot carries at most this many events: one message, even after a flood, stays a
 * few megabytes. Later events arrive as batches.
 */
export const SNAPSHOT_MAX_EVENTS = 20_000

export const invokeChannels = {
  'labs:list': {
    args: z.object({}),
    result: null as unknown as { labs: LabSummary[]; errors: LabLoadError[] },
  },
  'labs:get': { args: labRef, result: null as unknown as Lab },
  'session:open': { args: labRef, result: null as unknown as SessionSnapshot },
  'session:close': { args: labRef, result: null as unknown as null },
  'session:clear': { args: labRef, result: null as unknown as SessionSnapshot },
  'actor:start': { args: StartActorArgsSchema, result: null as unknown as ActorStatus },
  'actor:stop': {
    args: labRef.extend({ actorId: z.string().min(1).max(100) }),
    result: null as unknown as null,
  },
  'session:stopAll': { args: labRef, result: null as unknown as null },
  'progress:get': { args: z.object({}), result: null as unknown as Progress },
  'progress:reset': { args: labRef, result: null as unknown as Progress },
  'worksheet:save': {
    args: labRef.extend({ worksheet: WorksheetSchema }),
    result: null as unknown as Progress,
  },
  /** Raw console: send text (exactly these characters) on one of the lab's console actors. */
  'console:send': {
    args: labRef.extend({
      actorId: z.string().min(1).max(100),
      text: z
        .string({ error: 'text must be a string' })
        .min(1, 'Nothing to send: text is empty')
        .max(10_000, 'text is too long (max 10,000 characters)'),
    }),
    result: null as unknown as { bytes: number },
  },
  /** Run the student's checks, one after another, against host:port. */
  'checks:run': {
    args: labRef.extend({
      host: HostSchema,
      port: PortSchema,
      checks: CheckListSchema.min(1, 'No checks to run'),
    }),
    result: null as unknown as CheckRun,
  },
  /** Save the lab's checks with its progress; answers with the checks as saved. */
  'checks:save': {
    args: labRef.extend({ checks: CheckListSchema }),
    result: null as unknown as Check[],
  },
  /** The student's own programs: see workspace.ts. */
  'workspace:get': { args: ws['workspace:get'], result: null as unknown as WorkspaceInfo },
  /** Write the lab's starter files (exercise or reference); existing files kept unless overwrite. */
  'workspace:start': { args: ws['workspace:start'], result: null as unknown as WorkspaceInfo },
  'workspace:openFolder': { args: ws['workspace:openFolder'], result: null as unknown as null },
  'workspace:read': { args: ws['workspace:read'], result: null as unknown as WorkspaceFileText },
  'workspace:write': {
    args: ws['workspace:write'],
    result: null as unknown as { name: string; mtimeMs: number },
  },
  /** Check the syntax, then run the file traced; a syntax error answers without running. */
  'program:run': { args: ws['program:run'], result: null as unknown as ProgramStatus },
  'program:stop': { args: ws['program:stop'], result: null as unknown as null },
  'program:stdin': { args: ws['program:stdin'], result: null as unknown as null },
  'program:list': { args: ws['program:list'], result: null as unknown as ProgramStatus[] },
  'interpreter:set': { args: ws['interpreter:set'], result: null as unknown as InterpreterInfo },
} as const

export type InvokeChannel = keyof typeof invokeChannels
export type InvokeArgs<C extends InvokeChannel> = z.input<(typeof invokeChannels)[C]['args']>
export type InvokeParsedArgs<C extends InvokeChannel> = z.output<(typeof invokeChannels)[C]['args']>
export type InvokeResult<C extends InvokeChannel> = (typeof invokeChannels)[C]['result']

export interface Notice {
  level: 'info' | 'warn' | 'error'
  message: string
}

/** Whether progress reached the disk; a failed save is retried until this says saved again. */
export type ProgressSaveStatus = { saved: true } | { saved: false; message: string }

export interface EventPayloads extends WorkspaceEventPayloads {
  /** Trace events, batched (never one message per packet) and packed (see trace-wire.ts). */
  'trace:batch': { labId: string; trace: PackedTrace }
  'actor:status': ActorStatus
  'checkpoints:update': { labId: string; results: CheckpointResult[] }
  'app:notice': Notice
  'progress:saveStatus': ProgressSaveStatus
}
export type EventChannel = keyof EventPayloads
export const eventChannels: EventChannel[] = [
  'trace:batch',
  'actor:status',
  'checkpoints:update',
  'app:notice',
  'progress:saveStatus',
  'program:output',
  'program:status',
  'workspace:changed',
]

/** Every invoke answers with this envelope, so errors cross the boundary as data. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: IpcError }
export interface IpcError {
  code: 'bad-request' | 'not-found' | 'failed' | 'forbidden'
  message: string
}

export function isInvokeChannel(name: unknown): name is InvokeChannel {
  return typeof name === 'string' && Object.hasOwn(invokeChannels, name)
}

/** Validate a payload against its channel's schema; the message names the field at fault. */
export function parseInvokeArgs<C extends InvokeChannel>(
  channel: C,
  args: unknown,
): { ok: true; value: InvokeParsedArgs<C> } | { ok: false; error: IpcError } {
  const parsed = invokeChannels[channel].args.safeParse(args ?? {})
  if (parsed.success) return { ok: true, value: parsed.data as InvokeParsedArgs<C> }
  return { ok: false, error: { code: 'bad-request', message: formatZodError(parsed.error) } }
}

export function formatZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) =>
      issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
    )
    .join('; ')
}
