import { expect, type Page } from '@playwright/test'
import { addLineAfter, editorLine, lineNumber, replaceLine } from './editor'
import type { JourneyOptions } from './options'

/**
 * The whole Counter lab, clicked through as a student would: one count, a restart in the
 * middle of a client run, then two clients at once under each count mode.
 */
export async function openCounter(page: Page) {
  await page.getByTestId('lab-card-counter').click()
  await expect(page.getByRole('heading', { name: 'Counter' }).first()).toBeVisible()
  await expect(page.getByTestId('step-text')).toContainText('Where the count lives')
}

const checkpoint = (page: Page, id: string) => page.getByTestId(`checkpoint-${id}`)

export async function expectPassed(page: Page, id: string, timeout?: number) {
  await expect(checkpoint(page, id)).toHaveAttribute('data-passed', 'true', { timeout })
  await expect(checkpoint(page, id)).toContainText('Passed at')
}

const diagram = (page: Page) => page.getByTestId('diagram')
const arrows = (page: Page, label: string) =>
  diagram(page).locator(`[data-testid="diagram-arrow"][data-label="${label}"]`)
const lifelines = (page: Page, prefix: string) =>
  diagram(page).locator(`[data-testid="diagram-lifeline"][data-label^="${prefix}"]`)
const status = (page: Page, kind: string) => page.getByTestId(`actor-status-${kind}`)

/** The log's rows for one op, or for a text, while the filter is set. */
async function logRows(page: Page, filter: { op?: string; text?: string }) {
  await page.getByTestId('event-log-op').selectOption(filter.op ?? '')
  await page.getByTestId('event-log-filter').fill(filter.text ?? '')
  return page.getByTestId('event-row')
}

async function clearLogFilter(page: Page) {
  await page.getByTestId('event-log-op').selectOption('')
  await page.getByTestId('event-log-filter').fill('')
}

export async function whereCountLivesStep(page: Page, { port, snap }: JourneyOptions) {
  await page.getByTestId('step-nav-where-count-lives').click()
  await page.getByTestId('port-input').fill(String(port))
  await expect(checkpoint(page, 'counter-five-in-order')).toHaveAttribute('data-passed', 'false')
  await expect(checkpoint(page, 'counter-five-in-order')).toContainText(
    'No counted reply (PONG #n) yet',
  )
  await expect(page.getByTestId('count-mode-select')).toHaveValue('shared')
  await expect(page.getByTestId('count-input')).toHaveValue('5')

  await page.getByTestId('start-counter-server').click()
  await expect(status(page, 'counter-server')).toContainText('running')
  await expect(status(page, 'counter-server')).toContainText(`on 127.0.0.1:${port}`)
  await page.getByTestId('start-counter-client').click()
  await expect(status(page, 'counter-client')).toContainText('finished')

  // Each reply in full, one arrow per datagram: PONG #1 … PONG #5, 7 bytes each.
  for (let n = 1; n <= 5; n++) await expect(arrows(page, `PONG #${n} · 7 B`)).toHaveCount(1)
  await expect(arrows(page, 'PING · 4 B')).toHaveCount(5)
  // The log has each reply twice: the server's sendto and the client's recvfrom.
  await expect(await logRows(page, { text: 'PONG #5' })).toHaveCount(2)
  // The server's first trace line is where the count lives: picking it shows the line.
  const modeNote = await logRows(page, { text: 'count mode: shared' })
  await expect(modeNote).toHaveCount(1)
  await modeNote.first().click()
  await expect(page.getByTestId('code-tab-counter_server.py')).toHaveAttribute(
    'aria-selected',
    'true',
  )
  await expect(page.getByTestId('code-current-line')).toContainText('counts = {}')
  await clearLogFilter(page)

  await expectPassed(page, 'counter-five-in-order')
  await snap?.('counter-where-count-lives')

  // The expected flow of the step, drawn by the same component.
  await page.getByTestId('diagram-tab-expected').click()
  await expect(arrows(page, 'PONG #5 · 7 B')).toHaveCount(1)
  await page.getByTestId('diagram-tab-live').click()
}

export async function restartStep(page: Page, { port, snap }: JourneyOptions) {
  await page.getByTestId('step-nav-restart').click()
  await expect(page.getByTestId('step-text')).toContainText('Restart the server')
  await expect(checkpoint(page, 'counter-restarted')).toContainText(
    'The count has reached PONG #5 and never started again',
  )
  await page.getByTestId('clear-trace').click()
  await page.getByTestId('count-input').fill('10')
  await page.getByTestId('pace-select').selectOption({ label: 'Slow (0.5 s)' })

  await page.getByTestId('start-counter-client').click()
  // The server still has its count from step 1: this client's replies go on from #6.
  await expect(arrows(page, 'PONG #7 · 7 B')).toHaveCount(1)
  await page.getByTestId('stop-counter-server').click()
  await expect(status(page, 'counter-server')).toContainText('stopped')
  // Nobody is bound to the port: the next PING gets no reply, and the client says so.
  await expect(
    diagram(page).locator('[data-testid="diagram-marker"]').filter({ hasText: 'timeout' }).first(),
  ).toBeVisible({ timeout: 10_000 })
  await page.getByTestId('start-counter-server').click()
  await expect(status(page, 'counter-server')).toContainText('running')
  // A new process, a new count: PONG #1 again, drawn on a second server lifeline, while the
  // client is still pinging.
  await expect(arrows(page, 'PONG #1 · 7 B')).toHaveCount(1)
  await expect(lifelines(page, `counter server (run 1) 127.0.0.1:${port}`)).toHaveCount(1)
  await expect(lifelines(page, `counter server (run 2) 127.0.0.1:${port}`)).toHaveCount(1)
  await snap?.('counter-restart')
  await expect(status(page, 'counter-client')).toContainText('finished', { timeout: 30_000 })
  await expect(status(page, 'counter-client')).toContainText('PINGs got no reply')
  await expect(arrows(page, 'PONG #1 · 7 B')).toHaveCount(1)
  await expectPassed(page, 'counter-restarted')
  await snap?.('counter-restart-done')
  await page.getByTestId('diagram-tab-expected').click()
  await expect(lifelines(page, 'Server (after Start)')).toHaveCount(1)
  await snap?.('counter-restart-expected')
  await page.getByTestId('diagram-tab-live').click()
}

/** Click "Run counter client" twice: two clients, each with its own socket, at once. */
async function twoClients(page: Page) {
  await page.getByTestId('clear-trace').click()
  await page.getByTestId('count-input').fill('5')
  await page.getByTestId('start-counter-client').click()
  await page.getByTestId('start-counter-client').click()
  await expect(lifelines(page, 'counter client')).toHaveCount(2)
}

export async function sharedCountStep(page: Page, { snap }: JourneyOptions) {
  await page.getByTestId('step-nav-shared-count').click()
  await expect(page.getByTestId('step-text')).toContainText('Two clients, one count')
  await expect(checkpoint(page, 'counter-shared-two-clients')).toContainText(
    'No server has answered two clients yet',
  )
  await expect(page.getByTestId('count-mode-select')).toHaveValue('shared')
  await twoClients(page)
  await expectPassed(page, 'counter-shared-two-clients', 20_000)
  // Ten replies between them, each number once.
  await expect(await logRows(page, { op: 'recvfrom', text: 'counter-client' })).toHaveCount(10)
  await clearLogFilter(page)
  await expect(
    diagram(page).locator('[data-testid="diagram-arrow"][data-label^="PONG #"]'),
  ).toHaveCount(10)
  await snap?.('counter-shared-count')
}

export async function perClientStep(page: Page, { snap }: JourneyOptions) {
  await page.getByTestId('step-nav-per-client-count').click()
  await expect(page.getByTestId('step-text')).toContainText('A count per client')
  await page.getByTestId('count-mode-select').selectOption('per-client')
  // The mode is read when the server starts: stop it, start it again.
  await page.getByTestId('stop-counter-server').click()
  await expect(status(page, 'counter-server')).toContainText('stopped')
  await page.getByTestId('start-counter-server').click()
  await expect(status(page, 'counter-server')).toContainText('running')
  // The new run says how it counts, first thing.
  await expect(await logRows(page, { text: 'count mode: per-client' })).toHaveCount(1)
  await clearLogFilter(page)
  await twoClients(page)
  await expectPassed(page, 'counter-per-client-two-clients', 20_000)
  // Each client has its own PONG #1 … #5.
  for (let n = 1; n <= 5; n++) await expect(arrows(page, `PONG #${n} · 7 B`)).toHaveCount(2)
  await snap?.('counter-per-client-count')
}

export async function startFromExercise(page: Page): Promise<void> {
  await page.getByTestId('code-tab-program').click()
  await expect(page.getByTestId('workspace-dir')).toHaveValue(/counter/)
  await expect(page.getByTestId('workspace-interpreter')).toContainText('python')
  await page.getByTestId('workspace-start-exercise').click()
  await expect(page.getByTestId('editor-file')).toHaveValue('counter_server.py')
  await expect(editorLine(page, '# TODO 1')).toHaveCount(1)
  await expect(page.getByTestId('editor-save-state')).toHaveText('Saved')
}

/** The exercise binds the lab's port: the test moves it to a free one, as a student would. */
export async function usePort(page: Page, port: number): Promise<void> {
  await replaceLine(page, 'PORT = 50008', `PORT = ${port}`)
}

/** Step 5: the student's own counter server, completed in the editor and run traced. */
export async function yourCounterStep(page: Page, { port, snap }: JourneyOptions) {
  await page.getByTestId('step-nav-your-counter-server').click()
  await expect(page.getByTestId('step-text')).toContainText('Your own counter server')
  await startFromExercise(page)
  await snap?.('student-exercise-started')

  // The two missing pieces: a count, and the count in the reply.
  await usePort(page, port)
  await addLineAfter(page, '# TODO 1', 'count = 0')
  await replaceLine(page, 'reply = b"PONG"', 'count += 1')
  await page.keyboard.press('Enter')
  await page.keyboard.type('reply = f"PONG #{count}".encode()')
  await expect(page.getByTestId('editor-save-state')).toHaveText('Saved')

  // The app's counter server of the earlier steps holds the port: Stop all, then Run.
  await page.getByTestId('stop-all').click()
  await page.getByTestId('program-run').click()
  await expect(page.getByTestId('program-output')).toContainText(`127.0.0.1:${port}`)
  await expect(page.getByTestId('code-tab-program')).toContainText('1 running')

  // The app's client, pointed at the student's server.
  await page.getByTestId('port-input').fill(String(port))
  await page.getByTestId('start-counter-client').click()
  await expect(page.getByTestId('actor-status-counter-client')).toContainText('finished')
  await expect(page.getByTestId('program-output')).toContainText("answered b'PONG #5'")

  // Their program is in the diagram under its own name.
  await expect(page.getByTestId('diagram')).toContainText('your counter_server.py')

  // Each recvfrom of theirs, picked in the log, lights up their own line in the editor.
  const recvLine = await lineNumber(page, 'server.recvfrom(BUFFER_SIZE)')
  await page.getByTestId('event-log-op').selectOption('recvfrom')
  await page.getByTestId('event-log-filter').fill('your counter_server.py')
  const rows = page.getByTestId('event-row')
  await expect(rows).toHaveCount(5)
  for (let i = 0; i < 5; i++) {
    await rows.nth(i).click()
    await expect(page.getByTestId('code-and-program')).toHaveAttribute('data-view', 'program')
    await expect(page.getByTestId('editor-current-line')).toHaveAttribute(
      'data-line',
      String(recvLine),
    )
    await expect(page.getByTestId('editor-current-line')).toContainText('server.recvfrom')
  }
  await page.getByTestId('event-log-op').selectOption('')
  await page.getByTestId('event-log-filter').fill('')

  // A second client: the one shared count goes on to PONG #6, and the checkpoint passes.
  await page.getByTestId('start-counter-client').click()
  await expect(page.getByTestId('program-output')).toContainText("answered b'PONG #10'")
  await expectPassed(page, 'counter-your-server')
  await snap?.('student-program-traced')

  await page.getByTestId('program-stop').click()
  await expect(page.getByTestId('program-exit')).toContainText('Stopped')
}

export async function wholeLab(page: Page, options: JourneyOptions) {
  await openCounter(page)
  await options.afterOpen?.()
  await whereCountLivesStep(page, options)
  await restartStep(page, options)
  await sharedCountStep(page, options)
  await perClientStep(page, options)
  await yourCounterStep(page, options)
}
