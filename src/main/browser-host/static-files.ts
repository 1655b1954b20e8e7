import { readFile, stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { join, normalize, sep } from 'node:path'
import { contentTypeOf } from '../content-types'

/** On every answer: no sniffing, and the address (with its token) never leaves as a Referer. */
const COMMON_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const

/** The same policy the Electron window gets from its index.html meta tag, as a header too. */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/** Serve one file of the built renderer; never anything outside `root`. */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse, csp: string) {
  let relative: string
  try {
    relative = decodeURIComponent(urlPath)
  } catch {
    return send(res, 400, 'Bad path')
  }
  if (relative === '/' || relative === '') relative = '/index.html'
  const file = normalize(join(root, relative))
  if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep))
    return send(res, 403, 'Forbidden')
  try {
    const info = await stat(file)
    if (!info.isFile()) return send(res, 404, 'Not found')
    const body = await readFile(file)
    res.writeHead(200, {
      'content-type': contentTypeOf(file),
      'content-security-policy': csp,
      ...COMMON_HEADERS,
      'cache-control': 'no-store',
    })
    res.end(body)
  } catch {
    send(res, 404, 'Not found')
  }
}

export function send(res: ServerResponse, status: number, text: string) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...COMMON_HEADERS })
  res.end(text + '\n')
}
