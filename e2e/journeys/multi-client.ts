import { expect, type Page } from '@playwright/test'
import { replaceLine, seeDrawnThenStop, startExercise } from './editor'
import type { JourneyOptions } from './options'

/** The whole Multi-client lab, clicked through as a student would. */
const checkpoint = (page: Page, id: string) => page.getByTestId(`checkpoint-${id}`)
const RUN = { timeout: 20_000 }

export async function expectPassed(page: Page, id: string) {
  await expect(checkpoint(page, id)).toHaveAttribute('data-passed', 'true', RUN)
  await expect(checkpoint(page, id)).toContainText('Passed at')
}

export async function openMultiClient(page: Page) {
  await page.getByTestId('lab-card-multi-client').click()
  await expect(page.getByRole('heading', { name: 'Multi-client' }).first()).toBeVisible()
  await expect(page.getByTestId('step-text')).toContainText('One client at a time')
}

async function addClients(page: Page, n: number) {
  await page.getByTestId('clients-input').fill(String(n))
  await page.getByTestId('start-mc-client').click()
}

const group = (page: Page, kind: string) =>
  page.locator(`[data-testid="lane-group"][data-kind="${kind}"]`).last()

export async function sequentialStep(page: Page, { port, snap }: JourneyOptions) {
  await page.getByTestId('port-input').fill(String(port))
  await page.getByTestId('pace-select').selectOption('500')
  await page.getByTestId('count-input').fill('3')
  await expect(checkpoint(page, 'mc-backlog-wait')).toHaveAttribute('data-passed', 'false')
  await expect(page.getByTestId('swim-lanes')).toContainText('No multi-client run yet')

  await page.getByTestId('start-sequential-server').click()
  await expect(page.getByTestId('actor-status-sequential-server')).toContainText('running')
  await addClients(page, 3)

  // While the first client is served, the others are connected and waiting in the backlog.
  const lanes = group(page, 'sequential-server')
  await expect(lanes.getByTestId('lane')).toHaveCount(3)
  await expect(lanes.locator('[data-testid="lane"][data-state="waiting"]').first()).toBeVisible()
  await snap?.('multi-client-sequential-waiting')

  await expect(page.getByTestId('actor-status-mc-client')).toContainText('finished', RUN)
  await expect(lanes.locator('[data-testid="lane"][data-state="done"]')).toHaveCount(3, RUN)
  await expect(
    lanes.locator('[data-testid="lane"]').nth(1).getByTestId('lane-waiting'),
  ).toBeVisible()
  await expect(
    lanes.locator('[data-testid="lane"]').nth(2).getByTestId('lane-waiting'),
  ).toContainText('waiting (in the backlog)')
  await expect(lanes).toHaveAttribute('data-max-overlap', '1')
  await expectPassed(page, 'mc-one-at-a-time')
  await expectPassed(page, 'mc-backlog-wait')
  await snap?.('multi-client-sequential-done')
}

export async function maxClientsStep(page: Page, { snap }: JourneyOptions) {
  await page.getByTestId('step-nav-max-clients').click()
  await expect(page.getByTestId('step-text')).toContainText('Stopping cleanly')
  await page.getByTestId('stop-sequential-server').click()
  await expect(page.getByTestId('actor-status-sequential-server')).toContainText('stopped')
  await page.getByTestId('max-clients-input').fill('2')
  await page.getByTestId('pace-select').selectOption('0')
  await page.getByTestId('start-sequential-server').click()
  await expect(page.getByTestId('actor-status-sequential-server')).toContainText('running')
  await addClients(page, 2)
  await expect(page.getByTestId('actor-status-sequential-server')).toContainText('finished', RUN)
  await expect(page.getByTestId('actor-status-sequential-server')).toContainText(
    'Served 2 clients, the maximum.',
  )
  await expectPassed(page, 'mc-max-clients')
  await snap?.('multi-client-max-clients')
}

export async function concurrentStep(page: Page, { snap }: JourneyOptions) {
  await page.getByTestId('step-nav-concurrent').click()
  await expect(page.getByTestId('step-text')).toContainText('One thread per client')
  await page.getByTestId('pace-select').selectOption('500')
  await page.getByTestId('start-concurrent-server').click()
  await expect(page.getByTestId('actor-status-concurrent-server')).toContainText('running')
  await addClients(page, 3)
  const lanes = group(page, 'concurrent-server')
  await expect(lanes.locator('[data-testid="lane"][data-state="done"]')).toHaveCount(3, RUN)
  await expect(lanes).toHaveAttribute('data-max-overlap', '3')
  await expect(lanes.getByTestId('lane-waiting')).toHaveCount(0)
  await expectPassed(page, 'mc-concurrent')
  await snap?.('multi-client-concurrent')
  await page.getByTestId('stop-all').click()
  await expect(page.getByTestId('actor-status-concurrent-server')).toContainText('stopped')
}

export async function compareStep(page: Page, { snap }: JourneyOptions) {
  await page.getByTestId('step-nav-compare').click()
  await expect(page.getByTestId('step-text')).toContainText('Side by side')
  await expect(group(page, 'sequential-server')).toBeVisible()
  await expect(group(page, 'concurrent-server')).toBeVisible()
  await expectPassed(page, 'mc-compared')
  await snap?.('multi-client-compare')
}

export async function wholeLab(page: Page, options: JourneyOptions) {
  await openMultiClient(page)
  await options.afterOpen?.()
  await sequentialStep(page, options)
  await maxClientsStep(page, options)
  await concurrentStep(page, options)
  await compareStep(page, options)
  await yourThreadedStep(page, options)
}

/** Step 5: the student's own threaded server, written from the exercise and run traced. */
export async function yourThreadedStep(page: Page, { port, snap }: JourneyOptions) {
  await page.getByTestId('step-nav-your-threaded-server').click()
  await expect(page.getByTestId('step-text')).toContainText('Your own threaded server')
  await expect(checkpoint(page, 'mc-your-threaded-server')).toHaveAttribute('data-passed', 'false')
  // 1–2. Start from the exercise; the TODO: a thread per accepted connection (and a free
  // port instead of 50009, so parallel runs never collide).
  await startExercise(page, 'threaded_server.py')
  await replaceLine(page, 'PORT = 50009', `PORT = ${port}`)
  await replaceLine(
    page,
    /^\s*serve\(connection, address\)$/,
    'threading.Thread(target=serve, args=(connection, address)).start()',
  )
  await expect(page.getByTestId('editor-save-state')).toHaveText('Saved')
  // 3. Run.
  await page.getByTestId('program-run').click()
  await expect(page.getByTestId('program-output')).toContainText(`listening on 127.0.0.1:${port}`)
  // 4. The step's slow pace, two clients, Add client(s).
  await page.getByTestId('port-input').fill(String(port))
  await expect(page.getByTestId('pace-select')).toHaveValue('500')
  await addClients(page, 2)
  await expectPassed(page, 'mc-your-threaded-server')
  await expect(page.getByTestId('program-output')).toContainText('left')
  // What to watch: on Swim lanes, a lane per client of the student's server, side by side.
  await page.getByTestId('diagram-tab-lanes').click()
  const group = page.getByTestId('lane-group').filter({ hasText: 'your threaded_server.py' })
  await expect(group).toContainText('Your server')
  await expect(group.getByTestId('lane')).toHaveCount(2)
  await snap?.('multi-client-your-lanes')
  await page.getByTestId('diagram-tab-live').click()
  await seeDrawnThenStop(page, 'threaded_server.py', () => snap?.('multi-client-your-threaded'))
}
