import { join } from 'node:path'
import { findAppRoot } from '../paths'

/**
 * The tracer ships as a plain .py file in tracer/ at the app's root, next to labs/: the
 * bundler only packs TypeScript, and Python must read the file from disk. It is found the
 * way labs/ is (the folder above the built code that holds package.json), so the same path
 * works from src/ in tests, from out/main in the built app and in the browser host.
 */
export const TRACER_FILE_NAME = 'socketlabs_tracer.py'

export function defaultTracerPath(): string {
  return process.env.SOCKET_LABS_TRACER ?? join(findAppRoot(), 'tracer', TRACER_FILE_NAME)
}
