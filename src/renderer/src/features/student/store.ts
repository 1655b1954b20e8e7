import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef } from 'vue'
import type {
  InterpreterInfo,
  ProgramStatus,
  StarterSource,
  WorkspaceFile,
  WorkspaceInfo,
} from '@shared/workspace'
import { getApi } from '@renderer/bridge'
import { errorMessage } from '@renderer/errors'
import { TerminalBuffer } from './terminal-buffer'

/** A program of this lab as the page shows it: its status and its bounded output. */
export interface ProgramView {
  status: ProgramStatus
  output: TerminalBuffer
}

/**
 * The student's side of the open lab: their workspace (folder, files, interpreter), the
 * file open in the editor and the programs they run, each with its terminal output.
 * Output is kept in bounded buffers outside Vue's reactivity; the terminals pull from them
 * once per frame, so a program that prints fast never re-renders anything per chunk.
 */
export const useStudentStore = defineStore('student', () => {
  const labId = ref<string | null>(null)
  const info = ref<WorkspaceInfo | null>(null)
  const loadError = ref('')
  const actionError = ref('')
  const busy = ref(false)
  /** The file open in the editor. */
  const openName = ref('')
  /** Bumped when a file's mtime on disk changes: the editor judges whether to reload. */
  const diskChange = ref<{ name: string; mtimeMs: number; n: number } | null>(null)
  const programs = shallowRef<ProgramView[]>([])
  const selectedProgramId = ref<string | null>(null)
  /** The files the step shows, in its order: the editor opens the first the folder has. */
  const preferred = ref<string[]>([])

  let unsubscribers: (() => void)[] = []
  let diskChanges = 0
  /** Output of a program whose status has not arrived yet (the run's answer is on its way). */
  const early = new Map<string, TerminalBuffer>()

  const files = computed<WorkspaceFile[]>(() => info.value?.files ?? [])
  const interpreter = computed<InterpreterInfo | null>(() => info.value?.interpreter ?? null)
  const running = computed(() => programs.value.filter((p) => p.status.state === 'running'))

  /** The newest failure of a program of this file that names a line: marked in the editor. */
  const failureOf = (file: string) => {
    for (let i = programs.value.length - 1; i >= 0; i--) {
      const s = programs.value[i]!.status
      if (s.file !== file) continue
      if (s.state === 'running') return null
      const f = s.exit?.failure
      return f?.line !== undefined && (!f.file || f.file === file) ? f : null
    }
    return null
  }

  async function open(id: string): Promise<void> {
    if (labId.value === id) return
    close()
    labId.value = id
    const api = getApi()
    unsubscribers = [
      api.onWorkspaceChanged((e) => {
        if (e.labId === labId.value) setFiles(e.files)
      }),
      api.onProgramStatus((s) => {
        if (s.labId === labId.value) upsert(s)
      }),
      api.onProgramOutput((o) => {
        if (o.labId !== labId.value) return
        const p = programs.value.find((x) => x.status.programId === o.programId)
        let out = p?.output ?? early.get(o.programId)
        if (!out) early.set(o.programId, (out = markRaw(new TerminalBuffer())))
        // What the student typed is echoed, marked, so it reads like a terminal session.
        out.append(o.stream === 'stdin' ? `> ${o.text}` : o.text)
      }),
    ]
    try {
      const [ws, list] = await Promise.all([api.getWorkspace(id), api.listPrograms(id)])
      if (labId.value !== id) return
      info.value = ws
      for (const s of list) upsert(s)
      openName.value = pickOpen(ws.files, [...preferred.value, ...ws.starters.exercise])
    } catch (err) {
      if (labId.value === id) loadError.value = errorMessage(err)
    }
  }

  function close(): void {
    for (const u of unsubscribers) u()
    unsubscribers = []
    labId.value = null
    info.value = null
    loadError.value = ''
    actionError.value = ''
    openName.value = ''
    programs.value = []
    early.clear()
    selectedProgramId.value = null
    diskChange.value = null
  }

  function setFiles(next: WorkspaceFile[]): void {
    if (!info.value) return
    const before = new Map(info.value.files.map((f) => [f.name, f.mtimeMs]))
    info.value = { ...info.value, files: next }
    for (const f of next) {
      if (before.get(f.name) !== f.mtimeMs) {
        diskChange.value = { name: f.name, mtimeMs: f.mtimeMs, n: ++diskChanges }
      }
    }
    if (!next.some((f) => f.name === openName.value)) {
      openName.value = pickOpen(next, [...preferred.value, ...info.value.starters.exercise])
    }
  }

  /** The starter files the given source would write that exist already. */
  function wouldOverwrite(from: StarterSource): string[] {
    const names = new Set(files.value.map((f) => f.name))
    return (info.value?.starters[from] ?? []).filter((n) => names.has(n))
  }

  async function start(from: StarterSource, overwrite: boolean): Promise<void> {
    const id = labId.value
    if (!id) return
    busy.value = true
    actionError.value = ''
    try {
      const ws = await getApi().startWorkspace({ labId: id, from, overwrite })
      if (labId.value !== id) return
      const old = info.value
      info.value = old ? { ...ws, files: old.files } : ws
      setFiles(ws.files)
      const written = ws.starters[from].filter((n) => ws.files.some((f) => f.name === n))
      const first = preferred.value.find((n) => written.includes(n)) ?? written[0]
      if (first) openName.value = first
    } catch (err) {
      actionError.value = errorMessage(err)
    } finally {
      busy.value = false
    }
  }

  /** The desktop app shows the folder in the system's file manager. */
  async function openFolder(): Promise<void> {
    const id = labId.value
    if (!id) return
    actionError.value = ''
    try {
      await getApi().openWorkspaceFolder(id)
    } catch (err) {
      actionError.value = errorMessage(err)
    }
  }

  async function setInterpreter(command: string): Promise<void> {
    actionError.value = ''
    try {
      const found = await getApi().setInterpreter(command)
      if (info.value) info.value = { ...info.value, interpreter: found }
    } catch (err) {
      actionError.value = errorMessage(err)
    }
  }

  /** Run a file; a syntax error comes back as an exited program without anything running. */
  async function run(file: string, args: string[]): Promise<ProgramStatus | null> {
    const id = labId.value
    if (!id) return null
    actionError.value = ''
    try {
      const status = await getApi().runProgram({ labId: id, name: file, args })
      if (labId.value !== id) return null
      upsert(status)
      selectedProgramId.value = status.programId
      return status
    } catch (err) {
      actionError.value = errorMessage(err)
      return null
    }
  }

  async function stop(programId: string): Promise<void> {
    const id = labId.value
    if (!id) return
    try {
      await getApi().stopProgram(id, programId)
    } catch (err) {
      actionError.value = errorMessage(err)
    }
  }

  async function sendLine(programId: string, text: string): Promise<void> {
    const id = labId.value
    if (!id) return
    await getApi().sendProgramLine(id, programId, text)
  }

  /** Forget the programs that ended (their terminals close). */
  function clearExited(): void {
    programs.value = programs.value.filter((p) => p.status.state === 'running')
    if (!programs.value.some((p) => p.status.programId === selectedProgramId.value)) {
      selectedProgramId.value = programs.value.at(-1)?.status.programId ?? null
    }
  }

  function upsert(status: ProgramStatus): void {
    const list = programs.value
    const i = list.findIndex((p) => p.status.programId === status.programId)
    if (i >= 0) {
      const next = list.slice()
      next[i] = { status, output: list[i]!.output }
      programs.value = next
    } else {
      const output = early.get(status.programId) ?? markRaw(new TerminalBuffer())
      early.delete(status.programId)
      programs.value = [...list, { status, output }]
      selectedProgramId.value ??= status.programId
    }
  }

  return {
    labId,
    info,
    loadError,
    actionError,
    busy,
    openName,
    diskChange,
    programs,
    selectedProgramId,
    preferred,
    files,
    interpreter,
    running,
    failureOf,
    open,
    close,
    wouldOverwrite,
    start,
    openFolder,
    setInterpreter,
    run,
    stop,
    sendLine,
    clearExited,
  }
})

/** The file the editor opens first: the open one if still there, else a starter, else the first. */
function pickOpen(files: WorkspaceFile[], preferred: string[]): string {
  const names = files.map((f) => f.name)
  return preferred.find((n) => names.includes(n)) ?? names[0] ?? ''
}
