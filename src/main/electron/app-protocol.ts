import { protocol } from 'electron'
import { APP_SCHEME, serveRendererRequest } from './renderer-files'

/**
 * The renderer is loaded from app://socket-labs/, not file://: a file:// page could read any
 * file its links name, while app:// serves out/renderer only, each response with our CSP.
 */

/** Must run before the app is ready: a standard, secure scheme gets an origin and ES modules. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ])
}

/** After ready: answer app:// requests from `rendererDir` (out/renderer). */
export function serveAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => serveRendererRequest(rendererDir, request.url))
}
