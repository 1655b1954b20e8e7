import { _electron as electron, expect, test } from '@playwright/test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findElectronBinary } from '../scripts/electron-binary.mjs'
import { freeLabPort } from './host'
import { wholeLab } from './journeys/ping-pong'

const binary = findElectronBinary()

const skipReason =
  "Electron's binary is not installed here (node_modules/electron has no dist/: its download comes from GitHub, out of reach on this machine). The same journey runs through the browser host."
if (binary === null) console.log(`[electron] skipped: ${skipReason}`)
test.skip(binary === null, skipReason)

test('the Electron window: secure defaults, then the whole Ping-pong lab', async () => {
  // Each snap() also runs axe-core twice (at its size and at 1366×768).
  test.setTimeout(180_000)
  const userData = await mkdtemp(join(tmpdir(), 'socket-labs-electron-'))
  const root = join(import.meta.dirname, '..')
  const app = await electron.launch({
    executablePath: binary!,
    // Running as root (as in CI) needs --no-sandbox for Chromium's own process sandbox.
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), root],
    env: { ...process.env, SOCKET_LABS_USER_DATA: userData },
  })
  try {
    const page = await app.firstWindow()
    // Served by our app:// protocol (out/renderer only, with its own CSP), never from file://.
    expect(page.url()).toMatch(/^app:\/\/socket-labs\//)
    // Context isolation canary: the page sees the named API, never Node or ipcRenderer.
    const seen = await page.evaluate(() => ({
      api: typeof (window as unknown as { socketLabs?: object }).socketLabs,
      require: typeof (globalThis as Record<string, unknown>).require,
      process: typeof (globalThis as Record<string, unknown>).process,
    }))
    expect(seen).toEqual({ api: 'object', require: 'undefined', process: 'undefined' })
    // window.open is denied.
    expect(await page.evaluate(() => window.open('about:blank'))).toBeNull()

    await wholeLab(page, { port: await freeLabPort() })
  } finally {
    await app.close()
    await rm(userData, { recursive: true, force: true })
  }
})
