import { parseArgs } from 'node:util'
import { AppCore } from './core/app-core'
import { startBrowserHost } from './browser-host/browser-host'
import { tokenProblem } from './browser-host/host-guards'
import { reportUnhandledRejections } from './unhandled'
import { defaultLabsDir, defaultRendererDir, defaultUserDataDir } from './paths'
import { acquireDataFolderLock, alreadyRunningMessage } from './data-folder-lock'

/**
 * `node out/main/host.js`: Socket Labs in a browser tab, for machines without Electron's
 * binary and for the end-to-end tests. Prints the address to open, token included.
 */
const usage = `Usage: node out/main/host.js [--port N] [--user-data DIR] [--labs DIR] [--json]
Exits with 3 when Socket Labs already runs with the same data folder.`

async function main() {
  reportUnhandledRejections()
  let values
  try {
    values = parseArgs({
      options: {
        port: { type: 'string', default: '5178' },
        'user-data': { type: 'string' },
        labs: { type: 'string' },
        renderer: { type: 'string' },
        token: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`)
    process.exit(2)
  }
  if (values.help) {
    console.log(usage)
    return
  }
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(
      `--port must be a whole number from 0 to 65535 (0 picks a free port), not "${values.port}"`,
    )
    process.exit(2)
  }
  const badToken = values.token === undefined ? undefined : tokenProblem(values.token)
  if (badToken) {
    console.error(`--token: ${badToken}`)
    process.exit(2)
  }
  const userDataDir = values['user-data'] ?? defaultUserDataDir()
  // Before progress is read: a second instance on this folder must not touch it.
  const locked = await acquireDataFolderLock(userDataDir, '')
  if (!locked.ok) {
    console.error(alreadyRunningMessage(locked))
    process.exit(3)
  }
  if (locked.warning) console.warn(locked.warning)
  process.on('exit', () => locked.lock.release())
  const core = await AppCore.create({ labsDir: values.labs ?? defaultLabsDir(), userDataDir })
  const start = (p: number) =>
    startBrowserHost({
      core,
      rendererDir: values.renderer ?? defaultRendererDir(),
      port: p,
      token: values.token,
    })
  let host
  try {
    host = await start(port)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw error
    console.log(`Port ${port} is busy; picking a free one.`)
    host = await start(0)
  }
  await locked.lock.update(`http://127.0.0.1:${host.port}/`)
  const notice = core.takeStartupNotice()
  if (values.json) {
    console.log(
      JSON.stringify({ url: host.url, port: host.port, token: host.token, userDataDir, notice }),
    )
  } else {
    if (notice) console.log(notice)
    console.log(`Socket Labs is running. Open this address in your browser:\n\n  ${host.url}\n`)
    console.log(`Progress is saved in ${userDataDir}. Press Ctrl+C to stop.`)
  }
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await host.close()
    await core.dispose()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error) => {
  console.error(`Socket Labs host failed to start: ${(error as Error).message}`)
  process.exit(1)
})
