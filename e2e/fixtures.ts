import { test as base, expect, type Page } from '@playwright/test'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { expectNoAxeViolations } from './axe'
import { freeLabPort, makeUserDataDir, startHost, type RunningHost } from './host'
import { SMALL_SCREEN, expectStepFits } from './layout-checks'

export { expect }

const screenshots = join(import.meta.dirname, 'screenshots')

export { SMALL_SCREEN }

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

/**
 * A step of a lab walk, at the one size the walk runs at: a screenshot named after the
 * state and the screen, axe-core, and the fit checks (Start in view, no lane title cut,
 * nothing off the right edge).
 */
export async function walkSnap(page: Page, name: string): Promise<void> {
  const size = page.viewportSize()
  const presenter = await page.evaluate(() => document.documentElement.dataset.presenter)
  const screen = `${presenter === 'true' ? 'presenter-' : ''}${size?.width}x${size?.height}`
  await mkdir(screenshots, { recursive: true })
  await page.screenshot({ path: join(screenshots, `${name}-${screen}.png`), fullPage: false })
  await expectNoAxeViolations(page, `${name} at ${screen}`)
  if (await page.getByTestId('step-dock').count())
    await expectStepFits(page, `${name} at ${screen}`)
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
