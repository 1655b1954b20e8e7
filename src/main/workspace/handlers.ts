import type { ActorStatus } from '@shared/actors'
import type { EventChannel, EventPayloads, InvokeParsedArgs, InvokeResult } from '@shared/ipc'
import { workspaceInvokeSchemas, type WorkspaceInfo } from '@shared/workspace'
import { UserFacingError } from '../core/user-facing-error'
import { InterpreterSetting } from '../student/interpreter-setting'
import { LabPrograms } from '../student/lab-programs'
import type { Probe } from '../student/platform'
import { appPortHolder } from '../student/port-holder'
import { StudentRunner } from '../student/runner'
import type { StudentTraceSink } from '../student/trace-sink'
import { starterNames, writeStarters } from './starters'
import { WorkspaceFiles } from './workspace-files'
import { WorkspaceWatcher } from './workspace-watcher'

export type StudentChannel = keyof typeof workspaceInvokeSchemas
export type StudentHandlerMap = {
  [C in StudentChannel]: (args: InvokeParsedArgs<C>) => Promise<InvokeResult<C>>
}

/** The handler map, each handler looked up when called (AppCore makes the group after its map). */
export function studentHandlersOf(group: () => StudentHandlers): StudentHandlerMap {
  const map: Record<string, (args: never) => Promise<unknown>> = {}
  for (const channel of Object.keys(workspaceInvokeSchemas) as StudentChannel[]) {
    map[channel] = (args) => (group().handlers[channel] as (a: never) => Promise<unknown>)(args)
  }
  return map as unknown as StudentHandlerMap
}

/** Knobs for tests; the app uses the defaults. */
export interface StudentOptions {
  probe?: Probe
  platform?: NodeJS.Platform
  graceMs?: number
  maxRunning?: number
  outputFlushMs?: number
  watchDebounceMs?: number
  tracerPath?: string
  /**
   * Shows a folder in the system's file manager; answers '' or what went wrong (Electron's
   * shell.openPath). Only the desktop app has one: the browser host leaves it out.
   */
  openFolder?: (dir: string) => Promise<string>
}

/** What the student's handlers need of the app around them. */
export interface StudentDeps {
  labsDir: string
  userDataDir: string
  /** Throws UserFacingError('not-found') for a lab that does not exist. */
  checkLab(labId: string): void
  /** The lab's session (opened if need be): the trace sink of its programs. */
  session(labId: string): StudentTraceSink
  /** Every actor of the app's open sessions, to name who holds a port. */
  appActors(): ActorStatus[]
  emit<E extends EventChannel>(channel: E, payload: EventPayloads[E]): void
  options?: StudentOptions
}

/**
 * The student's own programs behind the IPC contract: the workspace of each lab (list, read,
 * write, starters, changes made in other editors) and the programs run from it. AppCore merges
 * `handlers` into its own and calls `leaveLab` and `dispose`.
 */
export class StudentHandlers {
  readonly files: WorkspaceFiles
  readonly programs: LabPrograms
  readonly interpreter: InterpreterSetting
  private readonly watcher: WorkspaceWatcher

  constructor(private readonly deps: StudentDeps) {
    const o = deps.options ?? {}
    this.files = new WorkspaceFiles(deps.userDataDir)
    this.interpreter = new InterpreterSetting(deps.userDataDir, {
      probe: o.probe,
      platform: o.platform,
    })
    this.watcher = new WorkspaceWatcher(
      (labId) => void this.announceChanges(labId),
      o.watchDebounceMs,
    )
    this.programs = new LabPrograms({
      runner: new StudentRunner({
        graceMs: o.graceMs,
        maxRunning: o.maxRunning,
        platform: o.platform,
        tracerPath: o.tracerPath,
      }),
      interpreter: () => this.interpreter.current(),
      traceSink: (labId) => deps.session(labId),
      portHolder: (proto, port) => appPortHolder(deps.appActors(), proto, port),
      onStatus: (status) => deps.emit('program:status', status),
      onOutput: (output) => deps.emit('program:output', output),
      onNotice: (notice) => deps.emit('app:notice', notice),
      outputFlushMs: o.outputFlushMs,
    })
  }

  readonly handlers: StudentHandlerMap = {
    'workspace:get': async ({ labId }) => this.info(labId),
    'workspace:start': async ({ labId, from, overwrite }) => {
      this.deps.checkLab(labId)
      await writeStarters(this.files, this.deps.labsDir, labId, from, overwrite)
      return this.info(labId)
    },
    'workspace:openFolder': async ({ labId }) => {
      this.deps.checkLab(labId)
      const open = this.deps.options?.openFolder
      if (!open) {
        throw new UserFacingError(
          'failed',
          'Only the desktop app can open a folder; copy the path shown and open it yourself.',
        )
      }
      // The folder is the lab's own, never a path from the page.
      const dir = await this.files.ensureDir(labId)
      const problem = await open(dir)
      if (problem) {
        throw new UserFacingError('failed', `Could not open ${dir}: ${problem}`)
      }
      return null
    },
    'workspace:read': async ({ labId, name }) => {
      this.deps.checkLab(labId)
      return this.files.read(labId, name)
    },
    'workspace:write': async ({ labId, name, text, baseMtimeMs }) => {
      this.deps.checkLab(labId)
      return this.files.write(labId, name, text, baseMtimeMs)
    },
    'program:run': async ({ labId, name, args }) => {
      this.deps.checkLab(labId)
      // Only a file of the workspace itself, checked again here (links out are refused).
      const path = await this.files.existing(labId, name)
      const root = await this.files.ensureDir(labId)
      return this.programs.run({ labId, path, name, args, root })
    },
    'program:stop': async ({ labId, programId }) => {
      if (!(await this.programs.stop(labId, programId)))
        throw new UserFacingError('not-found', `No program ${programId} in the ${labId} lab.`)
      return null
    },
    'program:stdin': async ({ labId, programId, text }) => {
      if (!this.programs.sendLine(labId, programId, text)) {
        throw new UserFacingError(
          'failed',
          'The program is not running any more, so it cannot read this line.',
        )
      }
      return null
    },
    'program:list': async ({ labId }) => {
      this.deps.checkLab(labId)
      return this.programs.list(labId)
    },
    'interpreter:set': async ({ command }) => {
      try {
        return await this.interpreter.set(command)
      } catch (error) {
        throw new UserFacingError('failed', (error as Error).message)
      }
    },
  }

  /** The lab was left: its programs end and its folder is no longer watched. */
  async leaveLab(labId: string): Promise<void> {
    this.watcher.unwatch(labId)
    await this.programs.stopLab(labId)
  }

  async dispose(): Promise<void> {
    this.watcher.dispose()
    await this.programs.dispose()
    // A discovery still under way is a child process of ours: let it finish.
    await this.interpreter.searching
  }

  private async info(labId: string): Promise<WorkspaceInfo> {
    this.deps.checkLab(labId)
    const dir = await this.files.ensureDir(labId)
    this.watcher.watch(labId, dir)
    const [files, exercise, reference, interpreter] = await Promise.all([
      this.files.list(labId),
      starterNames(this.deps.labsDir, labId, 'exercise'),
      starterNames(this.deps.labsDir, labId, 'reference'),
      this.interpreter.info(),
    ])
    const canOpenFolder = this.deps.options?.openFolder !== undefined
    return { labId, dir, files, canOpenFolder, starters: { exercise, reference }, interpreter }
  }

  private async announceChanges(labId: string) {
    try {
      this.deps.emit('workspace:changed', { labId, files: await this.files.list(labId) })
    } catch {
      // The folder went away meanwhile: the next workspace:get makes it again.
    }
  }
}
