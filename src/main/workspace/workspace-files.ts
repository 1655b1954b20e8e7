import { lstat, mkdir, readdir, realpath, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import {
  MAX_WORKSPACE_FILE_CHARS,
  WorkspaceFileNameSchema,
  type WorkspaceFile,
  type WorkspaceFileText,
} from '@shared/workspace'
import { UserFacingError } from '../core/user-facing-error'
import { fsErrorWords } from '../fs-error-words'
import { readRegularFile, writeAtomically } from '../progress/progress-file'

/** A lab id as a folder name: the ids lab.yaml allows, nothing that could climb out. */
const LAB_FOLDER = /^[a-z0-9][a-z0-9-]{0,99}$/

/**
 * The student's files of each lab: one flat folder per lab, `<userDataDir>/workspaces/<labId>/`.
 * A file is reached by its name only (WorkspaceFileNameSchema), and the resolved file must
 * still be in that folder once links are followed: a link that points elsewhere is refused.
 */
export class WorkspaceFiles {
  readonly root: string

  constructor(userDataDir: string) {
    this.root = join(userDataDir, 'workspaces')
  }

  /** The lab's folder (not created). */
  dir(labId: string): string {
    if (!LAB_FOLDER.test(labId))
      throw new UserFacingError('not-found', `There is no lab "${labId}"`)
    return join(this.root, labId)
  }

  /** The lab's folder, created if need be, as its real path (links resolved). */
  async ensureDir(labId: string): Promise<string> {
    const dir = this.dir(labId)
    try {
      await mkdir(dir, { recursive: true })
      return await realpath(dir)
    } catch (error) {
      throw new UserFacingError(
        'failed',
        `The workspace folder ${dir} could not be made: ${fsErrorWords(error)}.`,
      )
    }
  }

  /** The Python files of the workspace, by name; other entries (folders, temp files) are left out. */
  async list(labId: string): Promise<WorkspaceFile[]> {
    const dir = await this.ensureDir(labId)
    const names = (await readdir(dir)).filter((n) => WorkspaceFileNameSchema.safeParse(n).success)
    const files = await Promise.all(
      names.map(async (name): Promise<WorkspaceFile | undefined> => {
        try {
          const path = await this.inside(dir, name)
          const info = await stat(path)
          return info.isFile() ? { name, size: info.size, mtimeMs: info.mtimeMs } : undefined
        } catch {
          return undefined // a link out of the folder, or a file removed meanwhile
        }
      }),
    )
    return files.filter((f) => f !== undefined).sort((a, b) => a.name.localeCompare(b.name))
  }

  /** The path of an existing file of the workspace, checked; what the runner may run. */
  async existing(labId: string, name: string): Promise<string> {
    const dir = await this.ensureDir(labId)
    const path = await this.inside(dir, checkedName(name))
    try {
      if ((await stat(path)).isFile()) return path
    } catch {
      // not there: said below
    }
    throw new UserFacingError('not-found', `There is no file ${name} in the ${labId} workspace.`)
  }

  async read(labId: string, name: string): Promise<WorkspaceFileText> {
    const path = await this.existing(labId, name)
    const got = await readRegularFile(path)
    if (got.kind === 'absent')
      throw new UserFacingError('not-found', `There is no file ${name} in the ${labId} workspace.`)
    if (got.kind === 'unreadable')
      throw new UserFacingError('failed', `${name} could not be read: ${got.reason}.`)
    const text = got.bytes.toString('utf8')
    if (text.length > MAX_WORKSPACE_FILE_CHARS) {
      throw new UserFacingError(
        'failed',
        `${name} is too long to open here (${text.length.toLocaleString('en')} characters, at most ${MAX_WORKSPACE_FILE_CHARS.toLocaleString('en')}): open it in your own editor.`,
      )
    }
    return { name, text, mtimeMs: (await stat(path)).mtimeMs }
  }

  /**
   * Save a file whole (a temporary file renamed over it). With `baseMtimeMs` (when the editor
   * loaded it), a file changed on disk since then is left as it is and the save refused, so
   * neither version is lost: the editor still holds its text.
   */
  async write(
    labId: string,
    name: string,
    text: string,
    baseMtimeMs?: number,
  ): Promise<{ name: string; mtimeMs: number }> {
    const dir = await this.ensureDir(labId)
    const path = await this.inside(dir, checkedName(name))
    const now = await statOrUndefined(path)
    if (now && !now.isFile()) throw new UserFacingError('failed', `${name} is not a file.`)
    if (now && baseMtimeMs !== undefined && now.mtimeMs > baseMtimeMs) {
      throw new UserFacingError(
        'failed',
        `${name} was changed on disk in another editor after you opened it, so it was not saved over. Your text is still here: reload the file to see the other version, or save again to replace it with yours.`,
      )
    }
    try {
      await writeAtomically(dir, path, text)
    } catch (error) {
      throw new UserFacingError('failed', `${name} was not saved: ${fsErrorWords(error)}.`)
    }
    return { name, mtimeMs: (await stat(path)).mtimeMs }
  }

  /** Does the workspace hold this file (a link out of it counts as not)? */
  async has(labId: string, name: string): Promise<boolean> {
    try {
      await this.existing(labId, name)
      return true
    } catch {
      return false
    }
  }

  /**
   * `dir/name`, once its real path is known to be in `dir` itself. A name that does not
   * exist yet is fine (a new file), unless it is a link that leads nowhere: the write would
   * follow no link (it renames over it), but such a link is refused all the same.
   */
  private async inside(dir: string, name: string): Promise<string> {
    const path = join(dir, name)
    let real: string
    try {
      real = await realpath(path)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      const link = await lstat(path).catch(() => undefined)
      if (link?.isSymbolicLink()) throw outside(name)
      return path
    }
    if (dirname(real) !== dir) throw outside(name)
    return path
  }
}

function checkedName(name: string): string {
  const parsed = WorkspaceFileNameSchema.safeParse(name)
  if (!parsed.success) throw new UserFacingError('failed', parsed.error.issues[0]!.message)
  return parsed.data
}

function outside(name: string): UserFacingError {
  return new UserFacingError(
    'failed',
    `${name} is a link to a file outside the workspace folder: Socket Labs only opens, saves and runs files that are in the folder itself.`,
  )
}

async function statOrUndefined(path: string) {
  try {
    return await stat(path)
  } catch {
    return undefined
  }
}
