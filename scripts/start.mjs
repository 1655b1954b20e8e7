import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findElectronBinary } from './electron-binary.mjs'

/**
 * `npm start` (after the build): the Electron window where Electron's binary is installed,
 * otherwise the browser host, with one line saying why.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const electron = findElectronBinary()
const extra = process.argv.slice(2)

const child = electron
  ? spawn(electron, [root, ...extra], { stdio: 'inherit' })
  : (console.log(
      "Electron's binary is not installed on this machine, so Socket Labs starts in your browser instead (same app, same sockets).",
    ),
    spawn(process.execPath, [join(root, 'out/main/host.js'), ...extra], { stdio: 'inherit' }))

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
