import { expect, test, walkSnap } from './fixtures'
import { wholeLab } from './journeys/multi-client'
import { SMALL_SCREEN } from './layout-checks'

// Every step walked on a small laptop screen; presenter-walk.spec.ts walks it on a projector.
test.use({ viewport: SMALL_SCREEN })

test('a student completes the whole Multi-client lab by clicking', async ({
  page,
  host,
  labPort,
}) => {
  test.setTimeout(180_000)
  await page.goto(host.url)
  await expect(page.getByTestId('lab-card-multi-client')).toContainText('0 / 6')
  await wholeLab(page, { port: labPort, snap: (name) => walkSnap(page, name) })
  await page.getByTestId('back-link').click()
  await expect(page.getByTestId('lab-card-multi-client')).toContainText('6 / 6')
})
