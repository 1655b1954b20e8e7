import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expectNoAxeViolations } from './axe'
import { expect, test } from './fixtures'
import {
  PROJECTOR,
  SMALL_SCREEN,
  expectNothingCutOnTheRight,
  expectWhollyShown,
} from './layout-checks'

// The lab page in a classroom (issue 16): a student on a 1366×768 laptop, an instructor at a
// 1920×1080 projector in presenter mode, the browser zoomed, the three themes.

const screenshots = join(import.meta.dirname, 'screenshots')

async function shoot(page: Page, name: string): Promise<void> {
  await mkdir(screenshots, { recursive: true })
  await page.screenshot({ path: join(screenshots, `classroom-${name}.png`) })
}

async function labIds(page: Page, url: string): Promise<string[]> {
  await page.goto(url)
  const cards = page.locator('[data-testid^="lab-card-"]')
  await expect(cards.first()).toBeVisible()
  return cards.evaluateAll((els) =>
    els.map((el) => el.getAttribute('data-testid')!.slice('lab-card-'.length)),
  )
}

async function stepIds(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid^="step-nav-"]')
    .evaluateAll((els) =>
      els.map((el) => el.getAttribute('data-testid')!.slice('step-nav-'.length)),
    )
}

test('at 1366×768 each step shows its Start next to its text, and Next brings the new title into view', async ({
  page,
  host,
}) => {
  test.setTimeout(180_000)
  await page.setViewportSize(SMALL_SCREEN)
  const labs = await labIds(page, host.url)
  expect(labs.length).toBeGreaterThanOrEqual(5)
  for (const labId of labs) {
    await page.goto(`${host.url}#/lab/${labId}`)
    await expect(page.getByTestId('step-text')).toBeVisible()
    const steps = await stepIds(page)
    for (const [i, stepId] of steps.entries()) {
      await expect(page.getByTestId(`step-nav-${stepId}`)).toHaveAttribute('aria-current', 'step')
      // Nothing scrolled by hand: the step's first Start is on screen, and so is its title.
      expect(await page.evaluate(() => scrollY)).toBe(0)
      const start = page.getByTestId('step-dock').locator('[data-testid^="start-"]').first()
      if ((await start.count()) > 0) await expectWhollyShown(start, `${labId}/${stepId} Start`)
      await expectWhollyShown(
        page.getByTestId('step-text').locator('h1'),
        `${labId}/${stepId} title`,
      )
      // Step tabs show their whole titles when the row has room.
      const cut = await page
        .locator('.step-nav .label')
        .evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).length)
      expect(cut, `${labId}: step tabs cut short`).toBe(0)
      await expectNothingCutOnTheRight(page, `${labId}/${stepId}`)
      if (i === 0) await shoot(page, `1366-${labId}`)
      if (i === steps.length - 1) break
      // Read to the end of the text, then follow its Next link: the new title is in view.
      const next = page.getByRole('link', { name: /^Next: / })
      await next.scrollIntoViewIfNeeded()
      expect(await page.getByTestId('step-scroll').evaluate((el) => el.scrollTop)).toBeGreaterThan(
        0,
      )
      await next.click()
      await expect(page.getByTestId(`step-nav-${steps[i + 1]}`)).toHaveAttribute(
        'aria-current',
        'step',
      )
      await expect(page.getByTestId('step-count')).toHaveText(`Step ${i + 2} of ${steps.length}`)
      await expect
        .poll(() => page.getByTestId('step-scroll').evaluate((el) => el.scrollTop))
        .toBe(0)
    }
  }
})

test('the last step of a lab leads to the next lab', async ({ page, host }) => {
  await page.setViewportSize(SMALL_SCREEN)
  await page.goto(`${host.url}#/lab/ping-pong`)
  await expect(page.getByTestId('step-text')).toBeVisible()
  const steps = await stepIds(page)
  await page.getByTestId(`step-nav-${steps.at(-1)}`).click()
  const nextLab = page.getByTestId('next-lab-link')
  await expect(nextLab).toHaveText(/Next lab: Counter/)
  await nextLab.click()
  await expect(page.locator('.lab-header h1')).toHaveText('Counter')
  await expect(page.getByTestId('step-count')).toHaveText(/Step 1 of /)
})

test('zoomed to 150 % and 200 %, and with Large, the columns reflow and nothing is cut', async ({
  page,
  host,
}) => {
  for (const lab of ['lossy-udp', 'protocol']) {
    for (const [zoom, size] of [
      ['150', { width: 911, height: 512 }],
      ['200', { width: 683, height: 384 }],
    ] as const) {
      // Browser zoom shrinks the window's CSS size by the zoom factor.
      await page.setViewportSize(size)
      await page.goto(`${host.url}#/lab/${lab}`)
      await expect(page.getByTestId('step-text')).toBeVisible()
      await expect(page.locator('.lab-page')).toHaveAttribute(
        'data-layout',
        zoom === '150' ? 'two' : 'one',
      )
      await expectNothingCutOnTheRight(page, `${lab} at ${zoom} %`)
      await shoot(page, `zoom${zoom}-${lab}`)
    }
  }
  await page.setViewportSize(SMALL_SCREEN)
  await page.goto(`${host.url}#/lab/ping-pong`)
  await expect(page.locator('.lab-page')).toHaveAttribute('data-layout', 'columns')
  await expectNothingCutOnTheRight(page, 'ping-pong at 1366')
})

test('Large enlarges the step text, controls, code and log, not only the diagram', async ({
  page,
  host,
  labPort,
}) => {
  await page.setViewportSize(SMALL_SCREEN)
  await page.goto(`${host.url}#/lab/ping-pong`)
  await expect(page.getByTestId('step-text')).toBeVisible()
  const parts = {
    text: page.getByTestId('step-text').locator('p').first(),
    control: page.getByTestId('start-tcp-server'),
    code: page.locator('.code-view .code'),
    log: page.locator('.event-log').first(),
  }
  const sizes = async (): Promise<Record<string, number>> => {
    const out: Record<string, number> = {}
    for (const [name, el] of Object.entries(parts)) {
      out[name] = await el.evaluate((e) => parseFloat(getComputedStyle(e).fontSize))
    }
    return out
  }
  const before = await sizes()
  await page.getByTestId('diagram-large').check()
  await expect(page.getByTestId('display-large')).toBeChecked()
  const after = await sizes()
  for (const name of Object.keys(parts)) {
    expect(after[name]!, `${name} grows with Large`).toBeGreaterThanOrEqual(before[name]! * 1.2)
  }
  // The log's columns grow with its type: after a run, no actor name is cut short.
  await page.getByTestId('port-input').fill(String(labPort))
  await page.getByTestId('start-tcp-server').click()
  await page.getByTestId('start-tcp-client').click()
  await expect(page.getByTestId('actor-status-tcp-client')).toContainText('finished')
  const actors = page.getByTestId('event-row').locator('.actor')
  await expect(actors.first()).toBeVisible()
  const cut = await actors.evaluateAll((els) =>
    els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent),
  )
  expect(cut, 'actor names cut short in the log with Large').toEqual([])
  await shoot(page, '1366-large')
  // The choice stays for this screen.
  await page.reload()
  await expect(page.getByTestId('display-large')).toBeChecked()
})

test('P turns the page into the projector layout with its shortcuts; the keys drive the lab', async ({
  page,
  host,
  labPort,
}) => {
  test.setTimeout(180_000)
  await page.emulateMedia({ colorScheme: 'light' })
  await page.setViewportSize(PROJECTOR)
  await page.goto(`${host.url}#/lab/ping-pong`)
  await expect(page.getByTestId('step-text')).toBeVisible()
  const rootSize = (): Promise<number> =>
    page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize))
  const normal = await rootSize()
  await expect(page.getByTestId('shortcut-list')).toHaveCount(0)

  await page.keyboard.press('p')
  await expect(page.locator('.lab-page')).toHaveAttribute('data-presenter', 'true')
  await expect(page.getByTestId('presenter-toggle')).toHaveAttribute('aria-pressed', 'true')
  const list = page.getByTestId('shortcut-list')
  await expect(list).toBeVisible()
  await expect(list).toContainText('Start TCP server')
  await expect(list).toContainText('Next step')
  expect(await rootSize()).toBeGreaterThanOrEqual(normal * 1.3)
  // The diagram and the code side by side, both on screen.
  const diagram = (await page.locator('.diagram-panel').boundingBox())!
  const code = (await page.getByTestId('code-and-program').boundingBox())!
  expect(code.x).toBeGreaterThanOrEqual(diagram.x + diagram.width - 1)
  expect(Math.abs(code.y - diagram.y)).toBeLessThan(4)
  expect(code.x + code.width).toBeLessThanOrEqual(PROJECTOR.width)
  await expectWhollyShown(list, 'the shortcut list')
  await shoot(page, '1920-presenter')

  // The controls fold away but stay at hand: this run uses a free port.
  await page.getByTestId('show-controls').click()
  await page.getByTestId('port-input').fill(String(labPort))
  await page.getByTestId('show-controls').click()
  await expect(page.getByTestId('port-input')).toBeHidden()
  await page.keyboard.press('1')
  await expect(page.getByTestId('shortcut-tcp-server')).toContainText('running')
  await expect(page.getByTestId('shortcut-tcp-server')).toContainText('Stop the TCP server')
  await page.keyboard.press('2')
  await expect(page.getByTestId('shortcut-tcp-client')).toContainText(/exited|stopped|finished/)
  await shoot(page, '1920-presenter-run')
  // T walks the themes: each one, with a run on screen, passes axe-core.
  for (const theme of ['light', 'dark', 'contrast'] as const) {
    await page.keyboard.press('t')
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
    await expectNoAxeViolations(page, `presenter mode after a run, ${theme} theme`)
    await shoot(page, `1920-presenter-run-${theme}`)
  }
  await page.keyboard.press('x')
  await expect(page.getByTestId('shortcut-tcp-server')).toContainText('Start TCP server')

  // N and B walk the steps; the new title is in view.
  await page.keyboard.press('n')
  await expect(page.getByTestId('step-count')).toHaveText(/Step 2 of /)
  await expectWhollyShown(page.getByTestId('step-text').locator('h1'), 'step 2 title')
  await page.keyboard.press('ArrowLeft')
  await expect(page.getByTestId('step-count')).toHaveText(/Step 1 of /)

  // Typing in a field is typing, not a shortcut.
  await page.getByTestId('show-controls').click()
  await page.getByTestId('host-input').press('p')
  await expect(page.locator('.lab-page')).toHaveAttribute('data-presenter', 'true')

  // The button does what P does; leaving, the list goes and the type is back to normal.
  await page.getByTestId('presenter-toggle').click()
  await expect(page.locator('.lab-page')).toHaveAttribute('data-presenter', 'false')
  await expect(list).toHaveCount(0)
  expect(await rootSize()).toBe(normal)
})

test('presenter mode hides hints and answers until the instructor reveals them', async ({
  page,
  host,
}) => {
  await page.setViewportSize(PROJECTOR)
  await page.goto(`${host.url}#/lab/ping-pong`)
  const text = page.getByTestId('step-text')
  await expect(text).toContainText('The server gets ready, then waits.')
  await page.getByTestId('presenter-toggle').click()
  await page.getByTestId('hide-answers').check()
  await expect(text.getByRole('heading', { name: 'What to watch' })).toBeVisible()
  await expect(text).not.toContainText('The server gets ready, then waits.')
  await expectNoAxeViolations(page, 'presenter mode, answers hidden')
  await shoot(page, '1920-presenter-answers-hidden')
  await text
    .getByRole('button', { name: /Reveal/ })
    .first()
    .click()
  await expect(text).toContainText('The server gets ready, then waits.')
  // The next step starts folded again; R reveals all of it.
  await page.keyboard.press('n')
  await expect(page.getByTestId('step-count')).toHaveText(/Step 2 of /)
  const folded = text.getByTestId('reveal')
  await expect(folded.first()).toBeVisible()
  await page.keyboard.press('r')
  await expect(folded).toHaveCount(0)
})

test('light, dark and high-contrast themes each pass axe-core; the choice is kept, the system decides by default', async ({
  page,
  host,
}) => {
  test.setTimeout(300_000)
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.setViewportSize(SMALL_SCREEN)
  await page.goto(`${host.url}#/lab/lossy-udp`)
  await expect(page.getByTestId('step-text')).toBeVisible()
  // Nothing chosen yet: the system's dark preference.
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  for (const theme of ['light', 'dark', 'contrast'] as const) {
    await page.getByTestId('theme-select').selectOption(theme)
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
    for (const lab of ['lossy-udp', 'protocol']) {
      await page.goto(`${host.url}#/lab/${lab}`)
      await expect(page.getByTestId('step-text')).toBeVisible()
      await expectNoAxeViolations(page, `${lab} in the ${theme} theme`)
    }
    await shoot(page, `1366-theme-${theme}`)
    await page.getByTestId('presenter-toggle').click()
    await page.setViewportSize(PROJECTOR)
    await expectNoAxeViolations(page, `presenter mode in the ${theme} theme`)
    await shoot(page, `1920-presenter-theme-${theme}`)
    await page.getByTestId('presenter-toggle').click()
    await page.setViewportSize(SMALL_SCREEN)
    await page.goto(host.url)
    await expect(page.locator('[data-testid^="lab-card-"]').first()).toBeVisible()
    await expectNoAxeViolations(page, `home in the ${theme} theme`)
  }
  await page.reload()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'contrast')
})
