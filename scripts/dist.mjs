import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findElectronBinary } from './electron-binary.mjs'

/**
 * `npm run dist [-- electron-builder options]`: builds the app, then the installers that
 * electron-builder.yml lists for this platform, with the fuses flipped. Needs Electron's binary:
 * where it could not be downloaded, say so in one line and stop before doing anything.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)

if (findElectronBinary() === null) {
  console.error(
    "npm run dist needs Electron's binary, which is not installed on this machine (it is downloaded from GitHub, out of reach here): no installer was built.",
  )
  process.exit(1)
}

/** Runs a package's command line with this Node (no shell, the same on every platform). */
function run(name, args) {
  const manifest = require.resolve(`${name}/package.json`)
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8'))
  const script = join(dirname(manifest), typeof bin === 'string' ? bin : bin[name])
  const result = spawnSync(process.execPath, [script, ...args], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

run('electron-vite', ['build'])
run('electron-builder', ['--publish', 'never', ...process.argv.slice(2)])
