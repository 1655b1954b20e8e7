import { z } from 'zod'

/**
 * The student's own programs: a workspace folder per lab (in the user data folder) holding
 * their .py files, and the programs they run from it. Declared once here; main validates every
 * request against these schemas, the renderer gets the types.
 */

const labId = z.string().min(1).max(100)

/**
 * A file of a workspace is named, never pathed: one flat folder per lab, Python files only,
 * so a request can never reach outside the workspace (no `/`, `\`, `..` or hidden names).
 */
export const WorkspaceFileNameSchema = z
  .string({ error: 'File name must be text' })
  .max(100, 'File name is too long (max 100 characters)')
  .regex(
    /^[A-Za-z0-9_][A-Za-z0-9_.-]*\.py$/,
    'File name must end in .py and use only letters, digits, _, - and . (no folders)',
  )

/** A program's command-line arguments (the course's programs take a port, a count…). */
export const ProgramArgsSchema = z
  .array(z.string().max(200, 'An argument is too long (max 200 characters)'))
  .max(16, 'Too many arguments (max 16)')
  .default([])

/** What a file of the workspace holds at most: a lab program is a page or two. */
export const MAX_WORKSPACE_FILE_CHARS = 200_000

export interface WorkspaceFile {
  name: string
  size: number
  mtimeMs: number
}

/** Where a starter comes from: the course exercise (to complete) or the app's reference. */
export const StarterSourceSchema = z.enum(['exercise', 'reference'])
export type StarterSource = z.infer<typeof StarterSourceSchema>

export interface InterpreterInfo {
  /** Absent when none was found: `problem` then says how to install one or set its path. */
  command?: string
  version?: string
  problem?: string
}

export interface WorkspaceInfo {
  labId: string
  /** The folder on disk, shown so the student can open it in their own editor. */
  dir: string
  files: WorkspaceFile[]
  /** The desktop app can show the folder in the system's file manager; a browser page cannot. */
  canOpenFolder: boolean
  /** The starter files each source would write for this lab. */
  starters: Record<StarterSource, string[]>
  interpreter: InterpreterInfo
}

export interface WorkspaceFileText {
  name: string
  text: string
  mtimeMs: number
}

/** Where a program failed: the exception and, when it is in the student's file, the line. */
export interface ProgramFailure {
  file?: string
  line?: number
  column?: number
  exception: string
  message: string
}

export interface ProgramExitInfo {
  code: number | null
  signal: string | null
  /** True when Stop ended it (not a failure of theirs). */
  stopped: boolean
  failure?: ProgramFailure
  /** Why it could not start at all, in words. */
  startError?: string
}

export interface ProgramStatus {
  labId: string
  programId: string
  /** The workspace file it runs. */
  file: string
  args: string[]
  /** Its actor name in the trace, e.g. "your counter_server.py". */
  actor: string
  state: 'running' | 'exited'
  pid?: number
  exit?: ProgramExitInfo
}

export interface ProgramOutput {
  labId: string
  programId: string
  stream: 'stdout' | 'stderr' | 'stdin'
  /** Escape sequences already made harmless by main. */
  text: string
}

const fileRef = z.object({ labId, name: WorkspaceFileNameSchema })
const programRef = z.object({ labId, programId: z.string().min(1).max(100) })

export const workspaceInvokeSchemas = {
  'workspace:get': z.object({ labId }),
  'workspace:start': z.object({
    labId,
    from: StarterSourceSchema,
    /** Replace files that exist already (the student confirmed it). */
    overwrite: z.boolean().default(false),
  }),
  /** Show the lab's workspace in the system's file manager (the desktop app only). */
  'workspace:openFolder': z.object({ labId }),
  'workspace:read': fileRef,
  'workspace:write': fileRef.extend({
    text: z
      .string({ error: 'text must be a string' })
      .max(MAX_WORKSPACE_FILE_CHARS, 'The file is too long (max 200,000 characters)'),
    /** The mtime the editor loaded; a newer file on disk is not overwritten silently. */
    baseMtimeMs: z.number().optional(),
  }),
  'program:run': fileRef.extend({ args: ProgramArgsSchema }),
  'program:stop': programRef,
  'program:stdin': programRef.extend({
    text: z.string().max(10_000, 'The line is too long (max 10,000 characters)'),
  }),
  'program:list': z.object({ labId }),
  'interpreter:set': z.object({
    /** A path or command name; empty means "find it again". */
    command: z.string().max(1000),
  }),
} as const

export interface WorkspaceEventPayloads {
  'program:output': ProgramOutput
  'program:status': ProgramStatus
  /** Files of a workspace changed on disk (another editor saved, a file was added…). */
  'workspace:changed': { labId: string; files: WorkspaceFile[] }
}
