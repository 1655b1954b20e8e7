import { test as base, expect, type Page } from '@playwright/test'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { freeLabPort, makeUserDataDir, startHost, type RunningHost } from './host'

export { expect }

const screenshots = join(import.meta.dirname, 'screenshots')

/** Save a full-page screenshot under e2e/screenshots/ (git-ignored) to look at. */
export async function snap(page: Page, name: string): Promise<void> {
  await mkdir(screenshots, { recursive: true })
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: false })
}

interface Fixtures {
  /** A fresh user data folder, removed after the test. */
  userDataDir: string
  /** The browser host, started on that folder; tests may stop and start it again. */
  host: RunningHost
  /** A free port for the lab's programs, so runs never collide with anything else. */
  labPort: number
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  userDataDir: async ({}, use) => {
    const dir = await makeUserDataDir()
    await use(dir.dir)
    await dir.remove()
  },
  host: async ({ userDataDir }, use) => {
    const host = await startHost(userDataDir)
    await use(host)
    await host.stop()
  },
  // eslint-disable-next-line no-empty-pattern
  labPort: async ({}, use) => {
    await use(await freeLabPort())
  },
})
