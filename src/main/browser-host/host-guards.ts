import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/**
 * The checks every request to the browser host passes before anything else: a URL that
 * parses, a Host header naming this host (so a rebound DNS name cannot reach it), the run's
 * token, and, for the WebSocket, our own Origin. Pure functions of the request.
 */

/** Shortest token the host accepts: anything shorter can be guessed. */
export const MIN_TOKEN_LENGTH = 16

/** The request's URL, or undefined when its request target does not parse (e.g. `//[`). */
export function requestUrl(req: Pick<IncomingMessage, 'url'>): URL | undefined {
  try {
    return new URL(req.url ?? '/', 'http://127.0.0.1')
  } catch {
    return undefined
  }
}

/** The names this host answers to: a page from any other name is not ours. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`]
}

export function hostAllowed(req: Pick<IncomingMessage, 'headers'>, port: number): boolean {
  const host = req.headers.host?.toLowerCase()
  return host !== undefined && allowedHosts(port).includes(host)
}

export function originAllowed(req: Pick<IncomingMessage, 'headers'>, port: number): boolean {
  const origin = req.headers.origin
  return origin !== undefined && allowedHosts(port).some((h) => origin === `http://${h}`)
}

/** Constant-time comparison, so the token cannot be found a character at a time. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The cookie that lets a reload of the page in, once the address no longer shows the token. */
export function tokenCookieName(port: number): string {
  // Cookies ignore ports: two hosts on one machine must not read each other's.
  return `socket_labs_${port}`
}

export function cookieValue(req: Pick<IncomingMessage, 'headers'>, name: string): string {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return ''
}

/** Why a token given on the command line or by a caller cannot be used, if it cannot. */
export function tokenProblem(token: string): string | undefined {
  if (token.length < MIN_TOKEN_LENGTH)
    return `The token must be at least ${MIN_TOKEN_LENGTH} characters long (it was ${token.length}): leave --token out to get a random one.`
  if (!/^[A-Za-z0-9_-]+$/.test(token))
    return 'The token may hold only letters, digits, _ and - (it travels in the address).'
  return undefined
}
