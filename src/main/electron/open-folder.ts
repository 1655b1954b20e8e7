import { shell } from 'electron'

/**
 * Show a folder in the system's file manager (the student's workspace, to open its files in
 * their own editor). Answers '' on success, or the system's reason in words.
 */
export function openFolderInFileManager(dir: string): Promise<string> {
  return shell.openPath(dir)
}
