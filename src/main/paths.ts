import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The project root, where labs/ and out/renderer live: the nearest folder above this file
 * with a package.json (the bundler may put this code in out/main or in out/main/chunks).
 */
export function findAppRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir
    if (dirname(dir) === dir) throw new Error(`No package.json above ${from}`)
  }
}

const appRoot = findAppRoot()

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
