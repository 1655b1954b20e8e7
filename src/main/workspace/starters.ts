import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { WorkspaceFileNameSchema, type StarterSource } from '@shared/workspace'
import { UserFacingError } from '../core/user-facing-error'
import { fsErrorWords } from '../fs-error-words'
import type { WorkspaceFiles } from './workspace-files'

/**
 * Where a lab's starter files come from: the exercises we wrote from the course
 * (`labs/<labId>/exercises/*.py`, what to change marked `# TODO`, nothing solved) or the
 * lab's reference programs (`labs/<labId>/*.py`).
 */
export function starterFolder(labsDir: string, labId: string, from: StarterSource): string {
  return from === 'exercise' ? join(labsDir, labId, 'exercises') : join(labsDir, labId)
}

/** The starter files one source holds for a lab, by name (none when the folder is absent). */
export async function starterNames(
  labsDir: string,
  labId: string,
  from: StarterSource,
): Promise<string[]> {
  let entries
  try {
    entries = await readdir(starterFolder(labsDir, labId, from), { withFileTypes: true })
  } catch {
    return []
  }
  return entries
    .filter((e) => e.isFile() && WorkspaceFileNameSchema.safeParse(e.name).success)
    .map((e) => e.name)
    .sort()
}

export interface StartedFiles {
  written: string[]
  /** Files the workspace had already, left as they were (no overwrite asked). */
  kept: string[]
}

/** Copy a source's starters into the lab's workspace; existing files are kept unless `overwrite`. */
export async function writeStarters(
  files: WorkspaceFiles,
  labsDir: string,
  labId: string,
  from: StarterSource,
  overwrite: boolean,
): Promise<StartedFiles> {
  const names = await starterNames(labsDir, labId, from)
  if (names.length === 0) {
    throw new UserFacingError(
      'not-found',
      from === 'exercise'
        ? `The ${labId} lab has no exercise to start from: start from the reference programs instead.`
        : `The ${labId} lab has no reference programs to copy.`,
    )
  }
  const result: StartedFiles = { written: [], kept: [] }
  for (const name of names) {
    if (!overwrite && (await files.has(labId, name))) {
      result.kept.push(name)
      continue
    }
    const text = await readStarter(join(starterFolder(labsDir, labId, from), name))
    // Through the workspace's own write: the same name and link checks, and atomic.
    await files.write(labId, name, text)
    result.written.push(name)
  }
  return result
}

async function readStarter(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    throw new UserFacingError(
      'failed',
      `The starter ${path} could not be read: ${fsErrorWords(error)}.`,
    )
  }
}
