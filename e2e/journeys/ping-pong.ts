import { expect, type Page } from '@playwright/test'
import type { JourneyOptions } from './options'

/**
 * The whole Ping-pong lab, clicked through as a student would: the same journey runs in
 * the browser host and in the Electron window.
 */
export async function openPingPong(page: Page) {
  await page.getByTestId('lab-card-ping-pong').click()
  await expect(page.getByRole('heading', { name: 'Ping-pong' }).first()).toBeVisible()
  await expect(page.getByTestId('step-text')).toContainText('TCP flow')
}

export async function setPort(page: Page, port: number) {
  await page.getByTestId('port-input').fill(String(port))
}

const checkpoint = (page: Page, id: string) => page.getByTestId(`checkpoint-${id}`)

export async function expectPassed(page: Page, id: string) {
  await expect(checkpoint(page, id)).toHaveAttribute('data-passed', 'true')
  await expect(checkpoint(page, id)).toContainText('Passed at')
}

export async function tcpStep(page: Page, { port, snap }: JourneyOptions) {
  await page.getByTestId('step-nav-tcp-flow').click()
  await setPort(page, port)
  await expect(checkpoint(page, 'tcp-five-pongs')).toHaveAttribute('data-passed', 'false')
  await expect(checkpoint(page, 'tcp-five-pongs')).toContainText(
    'No PONG has crossed a TCP connection yet',
  )

  await page.getByTestId('start-tcp-server').click()
  await expect(page.getByTestId('actor-status-tcp-server')).toContainText('running')
  // The server is blocked in accept(): the code view says so on the accept line.
  await expect(page.getByTestId('code-current-line')).toContainText('accept()')

  await page.getByTestId('start-tcp-client').click()
  await expect(page.getByTestId('actor-status-tcp-client')).toContainText('finished')
  await expect(page.getByTestId('actor-status-tcp-server')).toContainText('finished')

  // The log has every call; the diagram has the five round trips and the inferred packets.
  const log = page.getByTestId('event-log')
  await expect(log).toHaveAttribute('data-total', '31')
  await page.getByTestId('event-log-filter').fill('eof')
  await expect(page.getByTestId('event-row')).toHaveCount(1)
  await expect(page.getByTestId('event-row').first()).toContainText('tcp-server#1')
  await page.getByTestId('event-log-filter').fill('')

  const diagram = page.getByTestId('diagram')
  await expect(
    diagram.locator('[data-testid="diagram-arrow"][data-label="PING · 4 B"]'),
  ).toHaveCount(5)
  await expect(
    diagram.locator('[data-testid="diagram-arrow"][data-label="PONG · 4 B"]'),
  ).toHaveCount(5)
  await expect(diagram.locator('[data-testid="diagram-arrow"][data-inferred="true"]')).toHaveCount(
    4,
  )
  await expect(diagram).toContainText('SYN')
  await expect(diagram).toContainText('FIN (inferred)')

  // The latest call was the server closing its listening socket, in tcp_server.py.
  await expect(page.getByTestId('code-tab-tcp_server.py')).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByTestId('code-current-line')).toContainText('server.close()')

  await expectPassed(page, 'tcp-five-pongs')
  await expectPassed(page, 'tcp-server-eof')
  await snap?.('lab-tcp-flow-done')

  // Picking an event in the log highlights its line, in its own file.
  await page.getByTestId('event-log-filter').fill('connect')
  await page.getByTestId('event-row').first().click()
  await expect(page.getByTestId('code-tab-tcp_client.py')).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByTestId('code-current-line')).toContainText('.connect(')
  const connectSeq = Number(await page.getByTestId('event-row').first().getAttribute('data-seq'))
  await page.getByTestId('event-log-filter').fill('')
  // From the keyboard: the log's rows take focus, and Down picks the next event.
  await page.getByRole('rowgroup', { name: /Socket calls/ }).focus()
  await page.keyboard.press('ArrowDown')
  await expect(page.locator('[data-testid="event-row"].selected')).toHaveAttribute(
    'data-seq',
    String(connectSeq + 1),
  )
  await page.keyboard.press('Escape')
  await expect(page.locator('[data-testid="event-row"].selected')).toHaveCount(0)

  // The expected diagram is drawn by the same component from the lab file.
  await page.getByTestId('diagram-tab-expected').click()
  await expect(diagram.locator('[data-testid="diagram-arrow"][data-label^="PING"]')).toHaveCount(5)
  await snap?.('lab-tcp-flow-expected')
  await page.getByTestId('diagram-tab-live').click()
}

export async function udpStep(page: Page, { port, snap }: JourneyOptions) {
  await page.getByTestId('step-nav-udp-flow').click()
  await expect(page.getByTestId('step-text')).toContainText('UDP flow')
  await page.getByTestId('start-udp-server').click()
  await expect(page.getByTestId('actor-status-udp-server')).toContainText('running')
  // The server keeps running: its Start became Stop and Restart.
  await expect(page.getByTestId('start-udp-server')).toHaveCount(0)
  await expect(page.getByTestId('restart-udp-server')).toBeVisible()
  await page.getByTestId('start-udp-client').click()
  await expect(page.getByTestId('actor-status-udp-client')).toContainText('finished')
  // UDP: no handshake, no FIN. The diagram draws this step's programs only (the TCP run of
  // step 1 stays in the log): five PINGs, five PONGs, nothing inferred.
  const diagram = page.getByTestId('diagram')
  const arrows = (label: string) =>
    diagram.locator(`[data-testid="diagram-arrow"][data-label="${label}"]`)
  await expect(arrows('PING · 4 B')).toHaveCount(5)
  await expect(arrows('PONG · 4 B')).toHaveCount(5)
  await expect(diagram.locator('[data-testid="diagram-arrow"][data-inferred="true"]')).toHaveCount(
    0,
  )
  await expect(page.getByTestId('diagram-step-filter')).toContainText(
    'other steps are in the event log',
  )
  await page.getByTestId('event-log-op').selectOption('recvfrom')
  await expect(page.getByTestId('event-row')).toHaveCount(10)
  await page.getByTestId('event-log-op').selectOption('')
  await expectPassed(page, 'udp-five-replies')
  await snap?.('lab-udp-flow-done')
  void port
}

export async function compareStep(page: Page, { snap }: JourneyOptions) {
  await page.getByTestId('step-nav-compare').click()
  await expect(page.getByTestId('step-text')).toContainText('TCP vs UDP')
  // 1. Clear trace.
  await page.getByTestId('clear-trace').click()
  await expect(page.getByTestId('event-log')).toHaveAttribute('data-total', '0')
  // 2. Start TCP server and Start UDP server. The TCP server of step 1 exited after its
  // client; the UDP server of step 2 still runs: the page says so, with Stop and Restart
  // in place of a Start that could only fail, and the client uses it.
  await page.getByTestId('start-tcp-server').click()
  await expect(page.getByTestId('actor-status-tcp-server')).toContainText('running')
  await expect(page.getByTestId('start-udp-server')).toHaveCount(0)
  await expect(page.getByTestId('running-udp-server')).toHaveText('UDP server running')
  await expect(page.getByTestId('actor-status-udp-server')).toContainText('running')
  await expect(page.getByTestId('stop-udp-server')).toBeVisible()
  await expect(page.getByTestId('restart-udp-server')).toBeVisible()
  await snap?.('lab-compare-servers-running')
  // 3. Run TCP client, wait until it has finished, then Run UDP client.
  await page.getByTestId('start-tcp-client').click()
  await expect(page.getByTestId('actor-status-tcp-client')).toContainText('finished')
  await page.getByTestId('start-udp-client').click()
  await expect(page.getByTestId('actor-status-udp-client')).toContainText('finished')
  await expect(page.getByTestId('control-error')).toHaveCount(0)
  await expectPassed(page, 'compared')
  // "Check your answers against the comparison table": the table is a tab of the diagram.
  await page.getByTestId('diagram-tab-comparison').click()
  const table = page.getByTestId('comparison-table')
  await expect(table).toContainText('SOCK_STREAM')
  await expect(table).toContainText('recvfrom')
  await snap?.('lab-compare')
  await page.getByTestId('diagram-tab-live').click()
}

export async function serverDownStep(page: Page, { snap }: JourneyOptions) {
  await page.getByTestId('step-nav-udp-server-down').click()
  // 1. "If the UDP server is running, click its Stop button": it is, and it has one.
  await expect(page.getByTestId('running-udp-server')).toBeVisible()
  await page.getByTestId('stop-udp-server').click()
  await expect(page.getByTestId('actor-status-udp-server')).toContainText('stopped')
  await expect(page.getByTestId('start-udp-server')).toBeVisible()
  await expect(page.getByTestId('restart-udp-server')).toHaveCount(0)
  // 2. Run UDP client.
  await page.getByTestId('start-udp-client').click()
  // 3. Five timeouts of 2 s each: the client reports each one and still finishes. (The
  // status said "finished" already, for step 3's run: wait for this run's own words.)
  await expect(page.getByTestId('actor-status-udp-client')).toContainText(
    '5 of 5 PINGs got no reply',
    { timeout: 20_000 },
  )
  await expect(page.getByTestId('actor-status-udp-client')).toContainText('finished')
  await expect(
    page
      .getByTestId('diagram')
      .locator('[data-testid="diagram-marker"]')
      .filter({ hasText: 'timeout' }),
  ).toHaveCount(5)
  await expectPassed(page, 'udp-timeouts')
  // The last step leads on to the next lab.
  await expect(page.getByTestId('next-lab-link')).toHaveText('Next lab: Counter →')
  await snap?.('lab-udp-server-down')
}

export async function wholeLab(page: Page, options: JourneyOptions) {
  await openPingPong(page)
  await options.afterOpen?.()
  await tcpStep(page, options)
  await udpStep(page, options)
  await compareStep(page, options)
  await serverDownStep(page, options)
}
