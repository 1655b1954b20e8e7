import { expect, type Locator, type Page } from '@playwright/test'
import { closeConsole, consoleSend, expectReceived, openConsole } from './console-checks'
import { addLineAfter, seeDrawnThenStop, startExercise } from './editor'
import type { JourneyOptions } from './options'

/**
 * Lab 6, Echo and uppercase, completed by clicking: each step's "Do it" list followed as
 * written (only the port is a free one instead of 50030, so parallel runs never collide).
 * The lab is data only; this proves the general actors, console and rules carry it.
 */
const checkpoint = (page: Page, id: string) => page.getByTestId(`checkpoint-${id}`)

async function expectPassed(page: Page, id: string) {
  await expect(checkpoint(page, id)).toHaveAttribute('data-passed', 'true')
  await expect(checkpoint(page, id)).toContainText('Passed at')
}

async function expectNotYet(page: Page, id: string, reason: string) {
  await expect(checkpoint(page, id)).toHaveAttribute('data-passed', 'false')
  await expect(checkpoint(page, id)).toContainText(reason)
}

/** Send as the course's client does (no newline) and wait for the reply in capitals. */
async function sendRaw(card: Locator, text: string, reply: string) {
  await consoleSend(card, text, { newline: false })
  await expectReceived(card, reply)
}

/** The whole lab from the home page: open it, then its three steps as their texts say. */
export async function wholeLab(page: Page, options: JourneyOptions) {
  const { port, snap } = options
  await page.getByTestId('lab-card-echo').click()
  await expect(page.getByRole('heading', { name: 'Echo and uppercase' }).first()).toBeVisible()
  await options.afterOpen?.()
  await page.getByTestId('port-input').fill(String(port))

  // Step 1: uppercase over TCP.
  await expect(page.getByTestId('step-text')).toContainText('Uppercase over TCP')
  await expectNotYet(
    page,
    'tcp-three-upper',
    'No round trip yet: a tcp-console has to send a message to the upper-tcp-server and get its reply.',
  )
  await page.getByTestId('start-upper-tcp-server').click()
  await expect(page.getByTestId('actor-status-upper-tcp-server')).toContainText('running')
  const tcp = await openConsole(page, { proto: 'tcp', port })
  await sendRaw(tcp, 'line 1', 'LINE 1')
  await expectNotYet(page, 'tcp-three-upper', 'Best so far: 1 of 3 round trips on one connection.')
  await sendRaw(tcp, 'line 2', 'LINE 2')
  await sendRaw(tcp, 'line 3', 'LINE 3')
  await expectPassed(page, 'tcp-three-upper')
  await snap?.('echo-tcp-three-upper')
  await closeConsole(tcp)
  await expectPassed(page, 'tcp-server-eof')
  // What to look for: the live diagram, then its Expected tab, whose three round trips come
  // from one repeat in lab.yaml; then back to the console.
  await page.getByTestId('work-tab-diagram').click()
  const diagram = page.getByTestId('diagram')
  await expect(diagram.locator('[data-testid="diagram-arrow"][data-label^="LINE"]')).toHaveCount(3)
  await snap?.('echo-tcp-live')
  await page.getByTestId('diagram-tab-expected').click()
  await expect(diagram.locator('[data-testid="diagram-arrow"][data-label^="LINE"]')).toHaveCount(3)
  await snap?.('echo-tcp-expected')
  await page.getByTestId('diagram-tab-live').click()
  await page.getByTestId('work-tab-work').click()

  // Step 2: uppercase over UDP.
  await page.getByTestId('step-nav-udp-upper').click()
  await expect(page.getByTestId('step-text')).toContainText('Uppercase over UDP')
  await page.getByTestId('start-upper-udp-server').click()
  await expect(page.getByTestId('actor-status-upper-udp-server')).toContainText('running')
  const udp = await openConsole(page, { proto: 'udp', port })
  await sendRaw(udp, 'datagram 1', 'DATAGRAM 1')
  await sendRaw(udp, 'datagram 2', 'DATAGRAM 2')
  await expectPassed(page, 'udp-two-upper')
  await snap?.('echo-udp-two-upper')

  // Step 3: the threaded server greets two clients and serves them at once.
  await page.getByTestId('step-nav-threaded').click()
  await expect(page.getByTestId('step-text')).toContainText('Thank you for connecting')
  const cards = page.getByTestId('console-panel').locator('article.card')
  await page.getByTestId('stop-all').click()
  await expect(cards.and(page.locator('[data-state="running"]'))).toHaveCount(0)
  await page.getByTestId('clear-trace').click()
  // Cleared: the finished consoles of the earlier steps are gone with their events.
  await expect(cards).toHaveCount(0)
  await page.getByTestId('start-greeting-server').click()
  await expect(page.getByTestId('actor-status-greeting-server')).toContainText('running')
  const first = await openConsole(page, { proto: 'tcp', port })
  await expectReceived(first, 'Thank you for connecting\\r\\n')
  await expectNotYet(page, 'two-greeted', '1 of 2 connections greeted so far.')
  const second = await openConsole(page, { proto: 'tcp', port })
  await expectReceived(second, 'Thank you for connecting\\r\\n')
  await expectPassed(page, 'two-greeted')
  await sendRaw(first, 'one', 'ONE')
  await expectNotYet(
    page,
    'two-at-once',
    '2 clients were connected at once, but not each has had a message answered yet',
  )
  await sendRaw(second, 'two', 'TWO')
  await expectPassed(page, 'two-at-once')
  await closeConsole(first)
  await expectPassed(page, 'thread-eof')
  await sendRaw(second, 'still here', 'STILL HERE')
  // 6. "bye", as the course's client says it: no reply, and the server ends the connection.
  await consoleSend(second, 'bye', { newline: false })
  await expect(second).toHaveAttribute('data-state', 'finished')
  await expect(second).toContainText('The server closed the connection.')
  await expect(second).not.toContainText('BYE')
  await page.getByTestId('work-tab-diagram').click()
  // Two consoles, two lifelines; the greeting went to each.
  await expect(page.getByTestId('diagram')).toContainText('TCP console')
  await expect(
    page.getByTestId('diagram').locator('[data-testid="diagram-arrow"][data-label^="Thank you"]'),
  ).toHaveCount(2)
  await snap?.('echo-threaded-live')

  await yourServerStep(page, options)
  for (const id of ['tcp-upper', 'udp-upper', 'threaded', 'your-upper-server']) {
    await expect(page.getByTestId(`step-nav-${id}`)).toHaveAttribute('data-done', 'true')
  }
}

/** Step 4: the student's own uppercase server, written from the exercise and run traced. */
async function yourServerStep(page: Page, { port, snap }: JourneyOptions) {
  await page.getByTestId('step-nav-your-upper-server').click()
  await expect(page.getByTestId('step-text')).toContainText('Your own uppercase server')
  await expect(checkpoint(page, 'your-upper-server')).toHaveAttribute('data-passed', 'false')
  // 1. Your program, then Start from the exercise.
  await startExercise(page, 'upper_tcp_server.py')
  // 2. The two TODOs: leave the loop on b'', send the message back in capitals.
  await addLineAfter(page, 'Leave this loop when that happens.', 'if not data: break')
  await addLineAfter(page, 'sendall() sends every byte', 'conn.sendall(data.upper())')
  await expect(page.getByTestId('editor-save-state')).toHaveText('Saved')
  // 3. The app's servers of the earlier steps hold the port: Stop all, then Run.
  await page.getByTestId('stop-all').click()
  await page.getByTestId('program-args').fill(`--port ${port}`)
  await page.getByTestId('program-run').click()
  const output = page.getByTestId('program-output')
  await expect(output).toContainText(`listening on 127.0.0.1:${port}`)
  // 4–5. A TCP console to it, three messages without a newline.
  const tcp = await openConsole(page, { proto: 'tcp', port })
  for (let n = 1; n <= 3; n++) await sendRaw(tcp, `message ${n}`, `MESSAGE ${n}`)
  await expectPassed(page, 'your-upper-server')
  // 6. Close: the server's recv() returns b'' and it closes the connection.
  await closeConsole(tcp)
  await expect(output).toContainText('closed:')
  await seeDrawnThenStop(page, 'upper_tcp_server.py', () => snap?.('echo-your-upper-server'))
}
