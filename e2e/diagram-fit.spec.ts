import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expectNoAxeViolations } from './axe'
import { SMALL_SCREEN, expect, test } from './fixtures'
import { expectNoTitleClipped } from './layout-checks'
import { openMultiClient } from './journeys/multi-client'

const screenshots = join(import.meta.dirname, 'screenshots')
const RUN = { timeout: 20_000 }

async function shot(page: Page, name: string): Promise<void> {
  await mkdir(screenshots, { recursive: true })
  await page.screenshot({ path: join(screenshots, `${name}.png`) })
}

/** The server's head and lifeline are inside the diagram's visible area. */
async function expectServerInView(page: Page): Promise<void> {
  const view = await page.getByTestId('diagram').locator('.scroller').boundingBox()
  const head = page.locator('[data-testid="diagram-lifeline"][data-label^="sequential server"]')
  await expect(head).toHaveCount(1)
  const box = await head.boundingBox()
  expect(view && box).toBeTruthy()
  expect(box!.x).toBeGreaterThanOrEqual(view!.x - 0.5)
  expect(box!.x + box!.width).toBeLessThanOrEqual(view!.x + view!.width + 0.5)
}

test.use({ viewport: SMALL_SCREEN })

test('the live diagram fits six lanes at 1366×768: titles whole, server lane kept in view', async ({
  page,
  host,
  labPort,
}) => {
  // Two axe-core passes: slow on a busy machine.
  test.setTimeout(150_000)
  await page.goto(host.url)
  await openMultiClient(page)
  await page.getByTestId('port-input').fill(String(labPort))
  await page.getByTestId('pace-select').selectOption('0')
  await page.getByTestId('count-input').fill('2')
  await page.getByTestId('start-sequential-server').click()
  await expect(page.getByTestId('actor-status-sequential-server')).toContainText('running')
  await page.getByTestId('clients-input').fill('5')
  await page.getByTestId('start-mc-client').click()
  await expect(page.getByTestId('actor-status-mc-client')).toContainText('finished', RUN)

  await page.getByTestId('diagram-tab-live').click()
  const diagram = page.getByTestId('diagram')
  const heads = diagram.getByTestId('diagram-lifeline')
  await expect(heads).toHaveCount(6)

  // The five clients are done: their lanes are folded, and everything fits.
  await expect(diagram.locator('[data-testid="diagram-lifeline"][data-folded="true"]')).toHaveCount(
    5,
  )
  await expectNoTitleClipped(diagram)
  await expectServerInView(page)
  await shot(page, 'diagram-fit-folded-1366x768')
  await expectNoAxeViolations(page, 'diagram with folded lanes')

  // Unfolded, six lanes do not fit: they scroll sideways, the server stays at the right.
  await diagram.getByTestId('diagram-fold-all').click()
  await expect(diagram.locator('[data-testid="diagram-lifeline"][data-folded="true"]')).toHaveCount(
    0,
  )
  const sideways = diagram.getByTestId('diagram-hscroll')
  await expect(sideways).toBeVisible()
  await expectNoTitleClipped(diagram)

  await sideways.evaluate((el) => (el.scrollLeft = 0))
  const leftAt = (await heads.first().boundingBox())!.x
  await expectServerInView(page)
  await shot(page, 'diagram-fit-scrolled-left-1366x768')

  await sideways.evaluate((el) => (el.scrollLeft = el.scrollWidth))
  await expect.poll(async () => (await heads.first().boundingBox())!.x).toBeLessThan(leftAt - 50)
  await expectServerInView(page)
  await expect(
    diagram.locator('[data-testid="diagram-lifeline"][data-pinned="true"]'),
  ).toHaveAttribute('data-label', /^sequential server/)
  await shot(page, 'diagram-fit-scrolled-right-1366x768')
  await expectNoAxeViolations(page, 'diagram with lanes scrolled under the pinned server')

  // A folded lane unfolds from the keyboard too.
  const client = heads.first()
  await client.focus()
  await page.keyboard.press('Enter')
  await expect(client).toHaveAttribute('data-folded', 'true')
})
