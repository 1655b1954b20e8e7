import { promises as fs } from 'node:fs'
import { isAbsolute, join, relative, sep } from 'node:path'
import { contentTypeOf } from '../content-types'

/**
 * What the app:// protocol serves: files of the built renderer (out/renderer) and nothing
 * else. Kept free of Electron so that it can be tested in plain Node.
 */

export const APP_SCHEME = 'app'
export const APP_HOST = 'socket-labs'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

/**
 * The Electron window's own CSP, sent as a header with every file. Stricter than the meta tag
 * in index.html (which the browser host shares): the window talks to main over IPC, so it needs
 * no WebSocket, and it is never framed and never submits forms. Both policies apply at once.
 */
export const APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // Vue's style bindings set inline styles.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * The file under `root` that an app:// URL names, or null when the URL is not ours or would
 * leave `root` (`..`, encoded slashes, absolute paths, NUL bytes). "/" is index.html.
 */
export function rendererFileFor(root: string, requestUrl: string): string | null {
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return null
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null
  let path: string
  try {
    path = decodeURIComponent(url.pathname)
  } catch {
    return null
  }
  if (path.includes('\0') || path.includes('\\')) return null
  if (path === '/' || path === '') path = '/index.html'
  const file = join(root, path)
  return isInside(root, file) ? file : null
}

function isInside(root: string, file: string): boolean {
  const rel = relative(root, file)
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel)
}

/** The response to one app:// request: the file with its type and the CSP, or 404/403. */
export async function serveRendererRequest(root: string, requestUrl: string): Promise<Response> {
  const file = rendererFileFor(root, requestUrl)
  if (file === null) return plain(403, 'Forbidden')
  try {
    // A symlink inside out/renderer must not lead outside it either. (fs.* looked up at call
    // time: Electron patches them to read inside app.asar.)
    const [realRoot, realFile] = await Promise.all([fs.realpath(root), fs.realpath(file)])
    if (!isInside(realRoot, realFile)) return plain(403, 'Forbidden')
    const body = await fs.readFile(realFile)
    return new Response(body, {
      status: 200,
      headers: {
        'Content-Type': contentTypeOf(realFile),
        'Content-Security-Policy': APP_CSP,
        'X-Content-Type-Options': 'nosniff',
      },
    })
  } catch {
    return plain(404, 'Not found')
  }
}

function plain(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': APP_CSP },
  })
}
