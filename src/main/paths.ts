import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** out/main → the project root, where labs/ and out/renderer live in a source checkout. */
const appRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

export function defaultLabsDir(): string {
  return process.env.SOCKET_LABS_LABS_DIR ?? join(appRoot, 'labs')
}

export function defaultRendererDir(): string {
  return join(appRoot, 'out/renderer')
}

/** The browser host's user data folder: the same place Electron's app.getPath('userData') uses on Linux. */
export function defaultUserDataDir(): string {
  const config = process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config')
  return join(config, 'socket-labs')
}
