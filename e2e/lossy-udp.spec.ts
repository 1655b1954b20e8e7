import { expect, test, walkSnap } from './fixtures'
import { freeLabPort } from './host'
import {
  losingRepliesStep,
  noTimeoutStep,
  openLossy,
  relayStep,
  sameSeedStep,
  yourClientStep,
  yourServerStep,
} from './journeys/lossy-udp'
import { SMALL_SCREEN } from './layout-checks'

// Every step walked on a small laptop screen; presenter-walk.spec.ts walks it on a projector.
test.use({ viewport: SMALL_SCREEN })

test('a student completes the whole Lossy UDP lab by clicking: loss, no timeout, seeds, the relay', async ({
  page,
  host,
  labPort,
}) => {
  test.setTimeout(240_000)
  let relayPort = await freeLabPort()
  while (relayPort === labPort) relayPort = await freeLabPort()
  const options = { port: labPort, relayPort, snap: (name: string) => walkSnap(page, name) }
  await page.goto(host.url)
  await expect(page.getByTestId('lab-card-lossy-udp')).toContainText('Lossy UDP')
  await expect(page.getByTestId('lab-card-lossy-udp')).toContainText('0 / 7')

  await openLossy(page)
  await test.step('losing replies: drop 0.3, 20 PINGs', () => losingRepliesStep(page, options))
  await test.step('no timeout: blocked, then Stop', () => noTimeoutStep(page, options))
  await test.step('the same seed twice, then a drop list', () => sameSeedStep(page, options))
  await test.step('the relay delays past the timeout', () => relayStep(page, options))
  await test.step('your own client goes on after a loss', () => yourClientStep(page, options))
  await test.step('your own server drops some replies', () => yourServerStep(page, options))

  await page.getByTestId('back-link').click()
  await expect(page.getByTestId('lab-card-lossy-udp')).toContainText('7 / 7')
})
