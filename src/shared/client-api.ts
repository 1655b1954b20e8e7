import type { StartActorArgs } from './actors'
import type { TraceEvent } from './trace'
import type { CheckInput } from './checks'
import type { Worksheet } from './worksheet'
import { unpackTrace } from './trace-wire'
import type {
  EventChannel,
  EventPayloads,
  InvokeArgs,
  InvokeChannel,
  InvokeResult,
  Reply,
} from './ipc'

export interface TraceBatch {
  labId: string
  events: TraceEvent[]
}

/** How a host moves messages. Electron's preload and the browser bridge each provide one. */
export interface Transport {
  invoke(channel: InvokeChannel, args: unknown): Promise<Reply<unknown>>
  subscribe(channel: EventChannel, listener: (payload: unknown) => void): () => void
}

/** Raised in the renderer when main answers with an error envelope. */
export class IpcCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'IpcCallError'
  }
}

/**
 * The typed API the renderer uses: one named method per channel, nothing generic.
 * Built from a transport by the preload (Electron) and by the browser bridge.
 */
export function createClientApi(transport: Transport) {
  async function call<C extends InvokeChannel>(
    channel: C,
    args: InvokeArgs<C>,
  ): Promise<InvokeResult<C>> {
    const reply = await transport.invoke(channel, args)
    if (!reply.ok) throw new IpcCallError(reply.error.code, reply.error.message)
    return reply.value as InvokeResult<C>
  }
  function on<E extends EventChannel>(channel: E) {
    return (listener: (payload: EventPayloads[E]) => void) =>
      transport.subscribe(channel, listener as (payload: unknown) => void)
  }
  return {
    listLabs: () => call('labs:list', {}),
    getLab: (labId: string) => call('labs:get', { labId }),
    openSession: (labId: string) => call('session:open', { labId }),
    closeSession: (labId: string) => call('session:close', { labId }),
    clearSession: (labId: string) => call('session:clear', { labId }),
    startActor: (args: StartActorArgs) => call('actor:start', args),
    stopActor: (labId: string, actorId: string) => call('actor:stop', { labId, actorId }),
    stopAll: (labId: string) => call('session:stopAll', { labId }),
    getProgress: () => call('progress:get', {}),
    resetProgress: (labId: string) => call('progress:reset', { labId }),
    saveWorksheet: (labId: string, worksheet: Worksheet) =>
      call('worksheet:save', { labId, worksheet }),
    /** Raw console: send exactly `text` on a console actor. */
    consoleSend: (labId: string, actorId: string, text: string) =>
      call('console:send', { labId, actorId, text }),
    runChecks: (args: InvokeArgs<'checks:run'>) => call('checks:run', args),
    saveChecks: (labId: string, checks: CheckInput[]) => call('checks:save', { labId, checks }),
    getWorkspace: (labId: string) => call('workspace:get', { labId }),
    startWorkspace: (args: InvokeArgs<'workspace:start'>) => call('workspace:start', args),
    openWorkspaceFolder: (labId: string) => call('workspace:openFolder', { labId }),
    readFile: (labId: string, name: string) => call('workspace:read', { labId, name }),
    writeFile: (args: InvokeArgs<'workspace:write'>) => call('workspace:write', args),
    runProgram: (args: InvokeArgs<'program:run'>) => call('program:run', args),
    stopProgram: (labId: string, programId: string) => call('program:stop', { labId, programId }),
    sendProgramLine: (labId: string, programId: string, text: string) =>
      call('program:stdin', { labId, programId, text }),
    listPrograms: (labId: string) => call('program:list', { labId }),
    setInterpreter: (command: string) => call('interpreter:set', { command }),
    onProgramOutput: on('program:output'),
    onProgramStatus: on('program:status'),
    onWorkspaceChanged: on('workspace:changed'),
    /** New trace events of a session, unpacked. */
    onTraceBatch: (listener: (batch: TraceBatch) => void) =>
      on('trace:batch')(({ labId, trace }) => listener({ labId, events: unpackTrace(trace) })),
    onActorStatus: on('actor:status'),
    onCheckpoints: on('checkpoints:update'),
    onNotice: on('app:notice'),
    /** Whether progress reached the disk; "not saved" until a retry succeeds. */
    onProgressSaveStatus: on('progress:saveStatus'),
  }
}

export type SocketLabsApi = ReturnType<typeof createClientApi>
