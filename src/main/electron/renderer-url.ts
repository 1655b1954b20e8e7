import { APP_ENTRY_URL, APP_ORIGIN } from './renderer-files'

/** Where the window loads the renderer from, and which origins may call IPC. */
export interface RendererSource {
  url: string
  /** Origins whose main frame is our renderer (scheme://host[:port]). */
  trustedOrigins: string[]
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]'])

/**
 * The electron-vite dev server's URL, only in an unpackaged app and only when it is a plain
 * http URL on loopback. Anything else is ignored with a warning: the window gets our preload,
 * so it must never load a page from elsewhere.
 */
export function devServerUrl(
  value: string | undefined,
  isPackaged: boolean,
  warn: (message: string) => void = console.warn,
): string | null {
  if (isPackaged || value === undefined || value === '') return null
  let url: URL
  try {
    url = new URL(value)
  } catch {
    warn(`Ignoring ELECTRON_RENDERER_URL=${value}: it is not a URL.`)
    return null
  }
  if (
    url.protocol !== 'http:' ||
    !loopbackHosts.has(url.hostname) ||
    url.username !== '' ||
    url.password !== ''
  ) {
    warn(
      `Ignoring ELECTRON_RENDERER_URL=${value}: only the dev server on http://localhost or http://127.0.0.1 is loaded.`,
    )
    return null
  }
  return url.href
}

export function rendererSource(env: string | undefined, isPackaged: boolean): RendererSource {
  const dev = devServerUrl(env, isPackaged)
  if (dev !== null) return { url: dev, trustedOrigins: [originOf(dev)] }
  return { url: APP_ENTRY_URL, trustedOrigins: [APP_ORIGIN] }
}

/**
 * scheme://host[:port] of a URL, or '' when it has none. Node gives custom schemes the origin
 * "null", so the origin is built from the parts.
 */
export function originOf(value: string): string {
  try {
    const url = new URL(value)
    return url.host === '' ? '' : `${url.protocol}//${url.host}`
  } catch {
    return ''
  }
}
