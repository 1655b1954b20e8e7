import { expectNoAxeViolations } from './axe'
import { SMALL_SCREEN, expect, test } from './fixtures'

// Every page the app has, before anything runs, on a small laptop screen: no axe-core
// violation. The journeys check the pages again with runs, consoles and checks in them.
test('the home page and every step of every lab pass axe-core at 1366×768', async ({
  page,
  host,
}) => {
  test.setTimeout(180_000)
  await page.setViewportSize(SMALL_SCREEN)
  await page.goto(host.url)
  const cards = page.locator('[data-testid^="lab-card-"]')
  await expect(cards.first()).toBeVisible()
  await expectNoAxeViolations(page, 'home')
  const labIds = await cards.evaluateAll((els) =>
    els.map((el) => el.getAttribute('data-testid')!.slice('lab-card-'.length)),
  )
  expect(labIds.length).toBeGreaterThanOrEqual(5)
  for (const labId of labIds) {
    await page.goto(`${host.url}#/lab/${labId}`)
    await expect(page.getByTestId('step-text')).toBeVisible()
    const stepIds = await page
      .locator('[data-testid^="step-nav-"]')
      .evaluateAll((els) =>
        els.map((el) => el.getAttribute('data-testid')!.slice('step-nav-'.length)),
      )
    for (const stepId of stepIds) {
      await page.getByTestId(`step-nav-${stepId}`).click()
      await expect(page.getByTestId(`step-nav-${stepId}`)).toHaveAttribute('aria-current', 'step')
      await expectNoAxeViolations(page, `${labId}/${stepId}`)
    }
  }
})
