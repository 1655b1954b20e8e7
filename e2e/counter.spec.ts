import { expect, snap, test, walkSnap } from './fixtures'
import { wholeLab } from './journeys/counter'
import { SMALL_SCREEN } from './layout-checks'

// Every step walked on a small laptop screen; presenter-walk.spec.ts walks it on a projector.
test.use({ viewport: SMALL_SCREEN })

test('a student completes the whole Counter lab by clicking: one count, a restart, two clients, their own server', async ({
  page,
  host,
  labPort,
}) => {
  test.setTimeout(180_000)
  await page.goto(host.url)
  // The home page lists the Counter lab after Ping-pong, with its five checkpoints.
  await expect(page.getByTestId('lab-card-ping-pong')).toContainText('0 / 5')
  await expect(page.getByTestId('lab-card-counter')).toContainText('Counter')
  await expect(page.getByTestId('lab-card-counter')).toContainText('0 / 5')
  await snap(page, 'home-with-counter')

  await wholeLab(page, { port: labPort, snap: (name) => walkSnap(page, name) })

  // Leaving the lab stops its programs; the home page counts the checkpoints.
  await page.getByTestId('back-link').click()
  await expect(page.getByTestId('lab-card-counter')).toContainText('5 / 5')
  await expect(page.getByTestId('lab-card-ping-pong')).toContainText('0 / 5')
})

test('the count mode control is offered only where a step has the counter server', async ({
  page,
  host,
}) => {
  await page.goto(host.url)
  await page.getByTestId('lab-card-ping-pong').click()
  await expect(page.getByTestId('start-udp-server')).toHaveCount(0)
  await expect(page.getByTestId('start-tcp-server')).toBeVisible()
  await expect(page.getByTestId('count-mode-select')).toHaveCount(0)
  await page.getByTestId('back-link').click()
  await page.getByTestId('lab-card-counter').click()
  await expect(page.getByTestId('count-mode-select')).toBeVisible()
  await expect(page.getByTestId('start-counter-server')).toHaveText('Start counter server')
  await expect(page.getByTestId('start-counter-client')).toHaveText('Run counter client')
  // A bad number of PINGs is refused before anything starts.
  await page.getByTestId('count-input').fill('0')
  await page.getByTestId('start-counter-client').click()
  await expect(page.getByTestId('control-error')).toContainText('PINGs “0”')
  await expect(page.getByTestId('actor-status-counter-client')).toContainText('not started')
})
