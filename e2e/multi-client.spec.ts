import { expect, snap, test } from './fixtures'
import { wholeLab } from './journeys/multi-client'

test('a student completes the whole Multi-client lab by clicking', async ({
  page,
  host,
  labPort,
}) => {
  // Each snap() also runs axe-core twice (at its size and at 1366×768).
  test.setTimeout(180_000)
  await page.goto(host.url)
  await expect(page.getByTestId('lab-card-multi-client')).toContainText('0 / 6')
  await wholeLab(page, { port: labPort, snap: (name) => snap(page, name) })
  await page.getByTestId('back-link').click()
  await expect(page.getByTestId('lab-card-multi-client')).toContainText('5 / 6')
})
