import { createServer } from 'node:net'
import { expect, snap, test } from './fixtures'
import { openPingPong, setPort } from './journeys/ping-pong'

test.beforeEach(async ({ page, host }) => {
  await page.goto(host.url)
  await openPingPong(page)
})

test('a privileged or out-of-range port gets a specific message, and nothing starts', async ({
  page,
}) => {
  await setPort(page, 80)
  await page.getByTestId('start-tcp-server').click()
  await expect(page.getByTestId('control-error')).toContainText('below 1024')
  await expect(page.getByTestId('control-error')).toContainText('privileged')
  await page.getByTestId('port-input').fill('70000')
  await page.getByTestId('start-tcp-server').click()
  await expect(page.getByTestId('control-error')).toContainText('65535')
  await page.getByTestId('port-input').fill('12ab')
  await page.getByTestId('start-tcp-server').click()
  await expect(page.getByTestId('control-error')).toContainText('whole number')
  await expect(page.getByTestId('event-log')).toHaveAttribute('data-total', '0')
  await snap(page, 'error-privileged-port')
})

test('a port already in use is explained in the controls and in the event log; the app keeps working', async ({
  page,
  labPort,
}) => {
  const squatter = createServer()
  await new Promise<void>((resolve) => squatter.listen(labPort, '127.0.0.1', resolve))
  try {
    await setPort(page, labPort)
    await page.getByTestId('start-tcp-server').click()
    await expect(page.getByTestId('control-error')).toContainText(
      `Port ${labPort} is already in use`,
    )
    await expect(page.getByTestId('actor-status-tcp-server')).toContainText('failed')
    await expect(page.getByTestId('event-row').filter({ hasText: 'already in use' })).toHaveCount(1)
    await snap(page, 'error-port-in-use')
  } finally {
    await new Promise<void>((resolve) => squatter.close(() => resolve()))
  }
  // Same port, now free: the server starts.
  await page.getByTestId('start-tcp-server').click()
  await expect(page.getByTestId('actor-status-tcp-server')).toContainText('running')
  await expect(page.getByTestId('control-error')).toHaveCount(0)
  await page.getByTestId('stop-all').click()
  await expect(page.getByTestId('actor-status-tcp-server')).toContainText('stopped')
})

test('a refused connection is reported, and the client can run once a server is there', async ({
  page,
  labPort,
}) => {
  await setPort(page, labPort)
  await page.getByTestId('start-tcp-client').click()
  await expect(page.getByTestId('actor-status-tcp-client')).toContainText('failed')
  await expect(page.getByTestId('actor-status-tcp-client')).toContainText('Connection refused')
  await expect(page.getByTestId('event-row').filter({ hasText: 'Connection refused' })).toHaveCount(
    1,
  )
  await expect(page.getByTestId('diagram')).toContainText('Connection refused')
  await snap(page, 'error-connection-refused')
  await page.getByTestId('start-tcp-server').click()
  await page.getByTestId('start-tcp-client').click()
  await expect(page.getByTestId('actor-status-tcp-client')).toContainText('finished')
})

test('Stop all ends a running server and a client that is still pinging', async ({
  page,
  labPort,
}) => {
  await setPort(page, labPort)
  await page.getByTestId('pace-select').selectOption({ label: 'Step-by-step (1.5 s)' })
  await page.getByTestId('start-tcp-server').click()
  await page.getByTestId('start-tcp-client').click()
  await expect(page.getByTestId('event-row').filter({ hasText: 'PONG' }).first()).toBeVisible()
  await page.getByTestId('stop-all').click()
  await expect(page.getByTestId('actor-status-tcp-client')).toContainText('stopped')
  await expect(page.getByTestId('actor-status-tcp-server')).toContainText('stopped')
  // Both sockets are gone: the port is free again for a new server.
  await page.getByTestId('pace-select').selectOption({ label: 'Instant' })
  await page.getByTestId('start-tcp-server').click()
  await expect(page.getByTestId('actor-status-tcp-server')).toContainText('running')
})
