import { expect, test, walkSnap } from './fixtures'
import { SMALL_SCREEN } from './layout-checks'
import { wholeLab } from './journeys/echo'

test.use({ viewport: SMALL_SCREEN })

test('a student completes Echo and uppercase by following its steps', async ({
  page,
  host,
  labPort,
}) => {
  test.setTimeout(300_000)
  await page.goto(host.url)
  await expect(page.getByTestId('lab-card-echo')).toContainText('0 / 7')
  await wholeLab(page, { port: labPort, snap: (name) => walkSnap(page, name) })
  await page.getByTestId('back-link').click()
  await expect(page.getByTestId('lab-card-echo')).toContainText('7 / 7')
})
