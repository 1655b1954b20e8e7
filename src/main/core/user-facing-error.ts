import type { IpcError } from '@shared/ipc'

/** A failure the student caused and can fix; its message crosses IPC as is. */
export class UserFacingError extends Error {
  constructor(
    readonly code: IpcError['code'],
    message: string,
  ) {
    super(message)
  }
}
