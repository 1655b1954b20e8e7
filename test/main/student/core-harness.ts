import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { afterEach } from 'vitest'
import type { EventChannel, EventPayloads, Reply } from '@shared/ipc'
import type { ProgramOutput, ProgramStatus } from '@shared/workspace'
import { AppCore, type AppCoreOptions } from '../../../src/main/core/app-core'
import { tempDir } from '../helpers'

export const labsDir = join(import.meta.dirname, '../../../labs')

type Seen = { [E in EventChannel]: { channel: E; payload: EventPayloads[E] } }[EventChannel]

/** An AppCore on a fresh user data folder, with every event it emits recorded; disposed after the test. */
export interface Harness {
  core: AppCore
  userData: string
  events: Seen[]
  invoke<T = unknown>(channel: string, args: unknown): Promise<T>
  reply(channel: string, args: unknown): Promise<Reply<unknown>>
  write(labId: string, name: string, text: string): Promise<void>
  /** Resolves with the first event matching, past or future. */
  next<E extends EventChannel>(
    channel: E,
    match?: (payload: EventPayloads[E]) => boolean,
  ): Promise<EventPayloads[E]>
  /** The program's exited status (its event), once it comes. */
  exited(programId: string): Promise<ProgramStatus>
  /** Everything a program has printed so far, all streams in order. */
  output(programId: string, stream?: ProgramOutput['stream']): string
  /** Resolves once the program's output matches. */
  printed(programId: string, pattern: RegExp): Promise<void>
}

const harnesses: AppCore[] = []
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((core) => core.dispose()))
})

export async function harness(options: Partial<AppCoreOptions> = {}): Promise<Harness> {
  const userData = await tempDir('socket-labs-student-core-')
  const core = await AppCore.create({
    labsDir,
    userDataDir: userData,
    flushMs: 5,
    ...options,
    student: { graceMs: 1000, outputFlushMs: 10, watchDebounceMs: 20, ...options.student },
  })
  harnesses.push(core)
  const events: Seen[] = []
  const waiters: { test: (e: Seen) => boolean; resolve: (e: Seen) => void }[] = []
  core.subscribe((channel, payload) => {
    const e = { channel, payload } as Seen
    events.push(e)
    for (const w of waiters.splice(0)) {
      if (w.test(e)) w.resolve(e)
      else waiters.push(w)
    }
  })
  const wait = (test: (e: Seen) => boolean) => {
    const past = events.find(test)
    if (past) return Promise.resolve(past)
    return new Promise<Seen>((resolve) => waiters.push({ test, resolve }))
  }
  const reply = (channel: string, args: unknown) => core.invoke(channel, args)
  const invoke = async <T>(channel: string, args: unknown): Promise<T> => {
    const r = await reply(channel, args)
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`)
    return r.value as T
  }
  const output = (programId: string, stream?: ProgramOutput['stream']) =>
    events
      .flatMap((e) =>
        e.channel === 'program:output' &&
        e.payload.programId === programId &&
        (!stream || e.payload.stream === stream)
          ? [e.payload.text]
          : [],
      )
      .join('')
  return {
    core,
    userData,
    events,
    invoke,
    reply,
    async write(labId, name, text) {
      await invoke('workspace:write', { labId, name, text })
    },
    next: (channel, match) =>
      wait((e) => e.channel === channel && (!match || match(e.payload as never))).then(
        (e) => e.payload as never,
      ),
    exited: (programId) =>
      wait(
        (e) =>
          e.channel === 'program:status' &&
          e.payload.programId === programId &&
          e.payload.state === 'exited',
      ).then((e) => e.payload as ProgramStatus),
    output,
    async printed(programId, pattern) {
      await wait(() => pattern.test(output(programId)))
    },
  }
}

/** Is a process alive (a zombie waiting for its parent counts as ended)? */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  const stat = `/proc/${pid}/stat`
  return !(existsSync(stat) && / Z /.test(readFileSync(stat, 'utf8')))
}

/**
 * The pids still alive after up to `ms` to finish dying: a killed process lets go of its
 * pipes a moment before it leaves the process table.
 */
export async function survivors(pids: number[], ms = 3000): Promise<number[]> {
  const until = Date.now() + ms
  while (pids.some(alive) && Date.now() < until) await delay(10)
  return pids.filter(alive)
}
