import { expect, snap, test, walkSnap } from './fixtures'
import { expectPassed, openPingPong, tcpStep, wholeLab } from './journeys/ping-pong'
import { startHost } from './host'
import { SMALL_SCREEN } from './layout-checks'

// Every step walked on a small laptop screen; presenter-walk.spec.ts walks it on a projector.
test.use({ viewport: SMALL_SCREEN })

test('a student completes the whole Ping-pong lab by clicking, and the progress survives a restart', async ({
  page,
  host,
  userDataDir,
  labPort,
}) => {
  test.setTimeout(180_000)
  await page.goto(host.url)
  await expect(page.getByTestId('lab-card-ping-pong')).toContainText('0 / 5')
  await snap(page, 'home')
  // From the keyboard: Tab reaches the first lab card, and its focus is plain to see.
  const card = page.getByTestId('lab-card-ping-pong')
  for (let i = 0; i < 10 && !(await card.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('Tab')
  }
  await expect(card).toBeFocused()
  expect(await card.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid')
  await snap(page, 'home-keyboard-focus')

  await wholeLab(page, { port: labPort, snap: (name) => walkSnap(page, name) })

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

test('Reset progress forgets the passed checkpoints and the trace they would pass again from', async ({
  page,
  host,
  labPort,
}) => {
  await page.goto(host.url)
  await openPingPong(page)
  await tcpStep(page, { port: labPort })
  await expect(page.getByText('2 / 5 checkpoints')).toBeVisible()

  // First click: the button asks again and says what it does (for 4 s: no screenshot here).
  await page.getByTestId('reset-progress').click()
  await expect(page.getByTestId('reset-progress-note')).toHaveText(
    'Clears the trace and the passed checkpoints',
  )
  await page.getByTestId('reset-progress').click()

  await expect(page.getByText('0 / 5 checkpoints')).toBeVisible()
  await expect(page.getByTestId('event-log')).toHaveAttribute('data-total', '0')
  await expect(page.getByTestId('checkpoint-tcp-five-pongs')).toHaveAttribute(
    'data-passed',
    'false',
  )
  await expect(page.getByTestId('checkpoint-tcp-server-eof')).toHaveAttribute(
    'data-passed',
    'false',
  )
  // Nothing passed again from the old trace, and nothing of it was saved: not after a reload.
  await page.reload()
  await expect(page.getByText('0 / 5 checkpoints')).toBeVisible()
  await expect(page.getByTestId('checkpoint-tcp-five-pongs')).toHaveAttribute(
    'data-passed',
    'false',
  )
  await snap(page, 'lab-after-reset')
})
