import { expect, snap, test } from './fixtures'
import { expectPassed, openPingPong, wholeLab } from './journeys/ping-pong'
import { startHost } from './host'

test('a student completes the whole Ping-pong lab by clicking, and the progress survives a restart', async ({
  page,
  host,
  userDataDir,
  labPort,
}) => {
  test.setTimeout(120_000)
  await page.goto(host.url)
  await expect(page.getByTestId('lab-card-ping-pong')).toContainText('0 / 5')
  await snap(page, 'home')

  await wholeLab(page, { port: labPort, snap: (name) => snap(page, name) })

  // Leaving the lab stops its programs; the home page counts the checkpoints.
  await page.getByTestId('back-link').click()
  await expect(page.getByTestId('lab-card-ping-pong')).toContainText('5 / 5')

  // Quit the host and start it again on the same user data folder.
  await host.stop()
  const again = await startHost(userDataDir)
  try {
    await page.goto(again.url)
    await expect(page.getByTestId('lab-card-ping-pong')).toContainText('5 / 5')
    await openPingPong(page)
    await expectPassed(page, 'tcp-five-pongs')
    await expectPassed(page, 'tcp-server-eof')
    await page.getByTestId('step-nav-udp-server-down').click()
    await expectPassed(page, 'udp-timeouts')
    await snap(page, 'lab-after-restart')
  } finally {
    await again.stop()
  }
})
