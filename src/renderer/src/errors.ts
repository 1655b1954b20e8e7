import { IpcCallError } from '@shared/client-api'

/** A sentence for the student from whatever was thrown. */
export function errorMessage(err: unknown): string {
  if (err instanceof IpcCallError) return err.message
  if (err instanceof Error) return err.message
  return String(err)
}
