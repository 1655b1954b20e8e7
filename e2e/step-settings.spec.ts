import { expect, snap, test } from './fixtures'
import { openLossy } from './journeys/lossy-udp'

// Issue 16 item 5: each step opens with the settings its lab.yaml declares (Lossy UDP's
// "Without a timeout" step: no timeout, 10 PINGs), the student's own changes are shown with
// a way back, Reset step starts the step over, and nothing carries into the next step.

test('a step opens with its settings, shows what the student changed, and resets', async ({
  page,
  host,
  labPort,
}) => {
  test.setTimeout(90_000)
  await page.goto(host.url)
  await openLossy(page)
  await page.getByTestId('port-input').fill(String(labPort))
  await page.getByTestId('step-nav-no-timeout').click()
  await expect(page.getByTestId('step-text')).toContainText('Without a timeout')

  const timeout = page.getByTestId('timeout-select')
  const count = page.getByTestId('count-input')
  const changed = page.getByTestId('settings-changed')
  await expect(timeout).toHaveValue('0')
  await expect(count).toHaveValue('10')
  await expect(changed).toHaveCount(0)

  // The student's own change is named, and one click puts the step's setting back.
  await timeout.selectOption({ label: '0.5 s' })
  await expect(changed).toBeVisible()
  await expect(page.getByTestId('settings-changed-fields')).toHaveText('Timeout')
  await snap(page, 'step-settings-changed')
  await page.getByTestId('reset-settings').click()
  await expect(timeout).toHaveValue('0')
  await expect(changed).toHaveCount(0)

  // Reset step: what the step runs stops, its trace goes, its settings come back.
  await page.getByTestId('start-lossy-server').click()
  await expect(page.getByTestId('actor-status-lossy-server')).toContainText('running')
  await expect(page.getByTestId('event-row').first()).toBeVisible()
  await count.fill('3')
  await expect(page.getByTestId('settings-changed-fields')).toHaveText('PINGs')
  await page.getByTestId('reset-step').click()
  // Stopped, and gone with the trace: the step is as it opened.
  await expect(page.getByTestId('start-lossy-server')).toBeVisible()
  await expect(page.getByTestId('actor-status-lossy-server')).toContainText('not started')
  await expect(page.getByTestId('event-row')).toHaveCount(0)
  await expect(count).toHaveValue('10')
  await expect(changed).toHaveCount(0)

  // The next step has a timeout again: "None" does not carry over.
  await timeout.selectOption({ label: 'None (wait forever)' })
  await page.getByTestId('step-nav-same-seed').click()
  await expect(page.getByTestId('step-text')).toContainText('The same seed')
  await expect(timeout).toHaveValue('2000')
  await expect(count).toHaveValue('20')
  await expect(changed).toHaveCount(0)
})
