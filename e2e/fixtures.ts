import { test as base, expect, type Page } from '@playwright/test'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { expectNoAxeViolations } from './axe'
import { freeLabPort, makeUserDataDir, startHost, type RunningHost } from './host'

export { expect }

const screenshots = join(import.meta.dirname, 'screenshots')

/** The small laptop screen every page must fit without hunting (issue 16). */
export const SMALL_SCREEN = { width: 1366, height: 768 }

/**
 * Look at the page as it is now, as a person would: a screenshot under e2e/screenshots/
 * (git-ignored), then the same at 1366×768, each checked by axe-core (no violations).
 * Journeys call it at every page and state they visit.
 */
export async function snap(page: Page, name: string): Promise<void> {
  await mkdir(screenshots, { recursive: true })
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: false })
  await expectNoAxeViolations(page, name)
  const size = page.viewportSize()
  if (!size || (size.width === SMALL_SCREEN.width && size.height === SMALL_SCREEN.height)) return
  await page.setViewportSize(SMALL_SCREEN)
  try {
    await settled(page)
    await page.screenshot({ path: join(screenshots, `${name}-1366x768.png`), fullPage: false })
    await expectNoAxeViolations(page, `${name} at 1366×768`)
  } finally {
    await page.setViewportSize(size)
    await settled(page)
  }
}

/** Two frames: the page has laid itself out again after a resize. */
async function settled(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))),
  )
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
