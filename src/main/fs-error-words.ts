/**
 * File system errors in words a student understands. Node's messages ("EROFS: read-only
 * file system, open '…'") are for developers; everything the app shows about a file it
 * could not read or write goes through here instead.
 */
const words: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'your disk quota is used up',
  EROFS: 'the folder is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of its path is a file, not a folder',
  ENOENT: 'the folder does not exist',
  EMFILE: 'too many files are open',
  ENFILE: 'too many files are open',
  EIO: 'the disk reported a read or write error',
  EBUSY: 'the file is in use by another program',
  ENAMETOOLONG: 'its path is too long',
  ELOOP: 'its path has a loop of links',
}

/** "the disk is full", "the folder is read-only", … for an error thrown by node:fs. */
export function fsErrorWords(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return (code && words[code]) ?? 'the file system reported an unexpected error'
}
