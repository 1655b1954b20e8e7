/** A failure the student caused and can fix; its message crosses IPC as is. */
export class UserFacingError extends Error {
  constructor(
    readonly code: 'not-found' | 'failed',
    message: string,
  ) {
    super(message)
  }
}
