import { expect, type Page } from '@playwright/test'
import {
  addLineAfter,
  editorLine,
  endOf,
  lineNumber,
  replaceLine,
  seeDrawnThenStop,
  startExercise,
} from './editor'
import type { RelayJourneyOptions } from './options'

/**
 * The whole Lossy UDP lab, clicked through as a student would: 20 PINGs through 30% loss,
 * a client with no timeout blocked and stopped, the same seed twice and an exact drop list,
 * then the relay delaying replies past the client's timeout. Short timeouts keep it quick.
 */
const checkpoint = (page: Page, id: string) => page.getByTestId(`checkpoint-${id}`)

export async function expectPassed(page: Page, id: string, timeout?: number) {
  await expect(checkpoint(page, id)).toHaveAttribute('data-passed', 'true', { timeout })
  await expect(checkpoint(page, id)).toContainText('Passed at')
}

const diagram = (page: Page) => page.getByTestId('diagram')
const lostArrows = (page: Page) =>
  diagram(page).locator('[data-testid="diagram-arrow"][data-lost="true"]')
const status = (page: Page, kind: string) => page.getByTestId(`actor-status-${kind}`)
const stat = (page: Page, key: string) => page.getByTestId(`stat-${key}`)

async function statValue(page: Page, key: string): Promise<number> {
  return Number(await stat(page, key).getAttribute('data-value'))
}

export async function openLossy(page: Page) {
  await page.getByTestId('lab-card-lossy-udp').click()
  await expect(page.getByRole('heading', { name: 'Lossy UDP' }).first()).toBeVisible()
  await expect(page.getByTestId('step-text')).toContainText('Losing replies')
}

/** (Re)start the lossy server with what the fields say now. */
async function restartServer(page: Page) {
  const stop = page.getByTestId('stop-lossy-server')
  if (await stop.isVisible()) {
    await stop.click()
    await expect(status(page, 'lossy-server')).toContainText('stopped')
  }
  await page.getByTestId('start-lossy-server').click()
  await expect(status(page, 'lossy-server')).toContainText('running')
}

/** What step 5 says: Start lossy server, or Restart if it still runs (a new actor then runs). */
async function startOrRestartServer(page: Page) {
  const restart = page.getByTestId('restart-lossy-server')
  if (!(await restart.isVisible())) return restartServer(page)
  const before = await status(page, 'lossy-server').getAttribute('data-actor-id')
  await restart.click()
  await expect(status(page, 'lossy-server')).not.toHaveAttribute('data-actor-id', before ?? '')
  await expect(status(page, 'lossy-server')).toHaveAttribute('data-state', 'running')
}

async function runClient(page: Page, count: number, timeout: string) {
  await page.getByTestId('count-input').fill(String(count))
  await page.getByTestId('timeout-select').selectOption({ label: timeout })
  await page.getByTestId('start-lossy-client').click()
}

export async function losingRepliesStep(page: Page, { port, snap }: RelayJourneyOptions) {
  await page.getByTestId('port-input').fill(String(port))
  await expect(page.getByTestId('stats-empty')).toBeVisible()
  await page.getByTestId('drop-rate-input').fill('0.3')
  await page.getByTestId('seed-input').fill('2024')
  await restartServer(page)
  // The server's first trace line says which seed it really used.
  await expect(page.getByTestId('seed-used')).toContainText('The server used seed 2024')

  await runClient(page, 20, '0.2 s')
  await expect(status(page, 'lossy-client')).toContainText('finished', { timeout: 15_000 })
  await expect(status(page, 'lossy-client')).toContainText('20 PINGs')

  // Every PING ends in a reply or a loss; the panel, the chart and the diagram agree.
  await expect(stat(page, 'sent')).toHaveAttribute('data-value', '20')
  const replied = await statValue(page, 'replied')
  const lost = await statValue(page, 'lost')
  expect(replied + lost).toBe(20)
  expect(lost).toBeGreaterThan(0)
  await expect(stat(page, 'timeouts')).toHaveAttribute('data-value', String(lost))
  await expect(page.getByTestId('rtt-median').locator('dd')).toHaveText(/^\d+\.\d+$/)
  await expect(page.getByTestId('stats-chart').locator('.cross')).toHaveCount(lost)
  await expect(lostArrows(page)).toHaveCount(lost)
  await expect(lostArrows(page).first()).toHaveAttribute(
    'data-label',
    /^PONG \d+ · \d+ B \(lost\)$/,
  )
  await expect(
    diagram(page).locator('[data-testid="diagram-marker"]').filter({ hasText: 'timeout' }),
  ).toHaveCount(lost)
  await expectPassed(page, 'lossy-goes-on')
  await snap?.('lossy-losing-replies')
  await page.getByTestId('stats-chart').scrollIntoViewIfNeeded()
  await snap?.('lossy-stats')

  // A second, shorter run: the statistics follow it, and the first stays one click away.
  await runClient(page, 5, '0.2 s')
  await expect(status(page, 'lossy-client')).toContainText('5 PINGs', { timeout: 15_000 })
  await expect(stat(page, 'sent')).toHaveAttribute('data-value', '5')
  const runs = page.getByTestId('stats-run-select')
  await expect(runs.locator('option')).toHaveText([
    'Run 2 · 5 PINGs · timeout 0.2 s (latest)',
    'Run 1 · 20 PINGs · timeout 0.2 s',
  ])
  await runs.selectOption({ label: 'Run 1 · 20 PINGs · timeout 0.2 s' })
  await expect(stat(page, 'sent')).toHaveAttribute('data-value', '20')
  await expect(stat(page, 'lost')).toHaveAttribute('data-value', String(lost))
  await expect(page.getByTestId('stats-chart').locator('[data-outcome]')).toHaveCount(20)
}

export async function noTimeoutStep(page: Page, { snap }: RelayJourneyOptions) {
  await page.getByTestId('step-nav-no-timeout').click()
  await expect(page.getByTestId('step-text')).toContainText('Without a timeout')
  await page.getByTestId('clear-trace').click()
  await runClient(page, 20, 'None (wait forever)')
  // A reply is dropped and nothing else will come: the client says where it is stuck.
  const blocked = page.getByTestId('blocked-receive')
  await expect(blocked).toBeVisible({ timeout: 10_000 })
  await expect(blocked).toContainText('Blocked in recvfrom()')
  await expect(blocked).toContainText(/waiting for PONG \d+/)
  await expect(status(page, 'lossy-client')).toContainText('running')
  await snap?.('lossy-blocked')
  await page.getByTestId('cancel-blocked').click()
  await expect(status(page, 'lossy-client')).toContainText('stopped')
  await expect(blocked).toHaveCount(0)
  await expectPassed(page, 'lossy-blocked-cancelled')
}

/** The PING numbers whose replies were drawn lost, in order. */
async function lostPings(page: Page): Promise<number[]> {
  const labels = await lostArrows(page).evaluateAll((els) =>
    els.map((el) => el.getAttribute('data-label') ?? ''),
  )
  return labels.map((l) => Number(/^PONG (\d+)/.exec(l)?.[1]))
}

export async function sameSeedStep(page: Page, { snap }: RelayJourneyOptions) {
  await page.getByTestId('step-nav-same-seed').click()
  await expect(page.getByTestId('step-text')).toContainText('The same seed, the same losses')

  // The server of the earlier steps still runs: its controls offer Stop and Restart.
  await expect(page.getByTestId('start-lossy-server')).toHaveCount(0)
  await expect(page.getByTestId('running-lossy-server')).toBeVisible()
  // A bad seed is refused, the running server is left alone, and nothing typed is lost.
  await page.getByTestId('seed-input').fill('forty-two')
  await page.getByTestId('restart-lossy-server').click()
  await expect(page.getByTestId('control-error')).toContainText(
    'Seed “forty-two”: enter a whole number',
  )
  await expect(page.getByTestId('seed-input')).toHaveValue('forty-two')
  await expect(status(page, 'lossy-server')).toContainText('running')

  // New seed draws another number; the student then types the one to share.
  await page.getByTestId('new-seed').click()
  await expect(page.getByTestId('seed-input')).toHaveValue(/^\d+$/)
  await page.getByTestId('seed-input').fill('42')
  await page.getByTestId('drop-rate-input').fill('0.3')
  // Both runs stay in the trace: the checkpoint compares them.
  await page.getByTestId('clear-trace').click()
  await restartServer(page)
  await expect(page.getByTestId('seed-used')).toContainText('The server used seed 42')
  await runClient(page, 12, '0.2 s')
  await expect(status(page, 'lossy-client')).toContainText('finished', { timeout: 15_000 })
  const first = await lostPings(page)
  expect(first.length).toBeGreaterThan(0)
  await restartServer(page)
  await runClient(page, 12, '0.2 s')
  await expect(status(page, 'lossy-client')).toContainText('finished', { timeout: 15_000 })
  // The second run lost exactly the same replies as the first.
  await expect(lostArrows(page)).toHaveCount(first.length * 2)
  expect(await lostPings(page)).toEqual([...first, ...first])
  await expectPassed(page, 'lossy-same-seed')
  await snap?.('lossy-same-seed')

  // The instructor's demonstration: exactly PINGs 3 and 7. A bad list is named first.
  await page.getByTestId('drop-list-input').fill('3, seven')
  await expect(page.getByTestId('drop-list-error')).toContainText('“seven” is not a PING number')
  await page.getByTestId('restart-lossy-server').click()
  await expect(page.getByTestId('control-error')).toContainText('Drop exactly these PINGs')
  await page.getByTestId('drop-list-input').fill('3, 7')
  await expect(page.getByTestId('drop-rate-input')).toBeDisabled()
  await page.getByTestId('clear-trace').click()
  await restartServer(page)
  await runClient(page, 8, '0.2 s')
  await expect(status(page, 'lossy-client')).toContainText('finished', { timeout: 15_000 })
  expect(await lostPings(page)).toEqual([3, 7])
  await expect(
    diagram(page).locator('[data-testid="diagram-marker"]').filter({ hasText: 'timeout' }),
  ).toHaveCount(2)
  await expectPassed(page, 'lossy-drop-list')
  await snap?.('lossy-drop-list')
}

export async function relayStep(page: Page, { port, relayPort, snap }: RelayJourneyOptions) {
  await page.getByTestId('step-nav-relay').click()
  await expect(page.getByTestId('step-text')).toContainText('A relay that delays')
  // A server that answers everything: only the relay makes trouble.
  await page.getByTestId('drop-list-input').fill('')
  await page.getByTestId('drop-rate-input').fill('0')
  await restartServer(page)
  await page.getByTestId('clear-trace').click()

  await page.getByTestId('relay-target-port').fill(String(port))
  await page.getByTestId('relay-delay-input').fill('300')
  // Still on the server's port: the relay would forward to itself. Refused, with the way out.
  await page.getByTestId('start-udp-relay').click()
  await expect(page.getByTestId('control-error')).toContainText(
    `Forward to port ${port} is the port the relay would listen on`,
  )
  await page.getByTestId('port-input').fill(String(relayPort))
  await page.getByTestId('start-udp-relay').click()
  await expect(status(page, 'udp-relay')).toContainText('running')

  // 300 ms each way, a 0.2 s timeout: every reply comes after its PING gave up.
  await runClient(page, 5, '0.2 s')
  await expect(status(page, 'lossy-client')).toContainText('finished', { timeout: 15_000 })
  const late = diagram(page).locator('[data-testid="diagram-arrow"][data-tags~="late"]')
  await expect(late.first()).toBeVisible()
  await expect(
    late.first().locator('[data-testid="diagram-badge"][data-tag="delayed"]'),
  ).toHaveCount(1)
  expect(await statValue(page, 'late')).toBeGreaterThan(0)
  // The relay's lifeline sits between the client and the server(s) (the server restarted
  // at the start of this step still has its earlier lifeline).
  const heads = await diagram(page)
    .locator('[data-testid="diagram-lifeline"]')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-label') ?? ''))
  expect(heads[0]).toMatch(/^lossy client 127\.0\.0\.1:\d+$/)
  expect(heads[1]).toBe(`UDP relay 127.0.0.1:${relayPort}`)
  expect(heads.slice(2).length).toBeGreaterThan(0)
  // Each restart of the server is its own lifeline, numbered when there are several.
  for (const h of heads.slice(2)) {
    expect(h).toMatch(new RegExp(`^lossy server( \\(run \\d+\\))? 127\\.0\\.0\\.1:${port}$`))
  }
  await expectPassed(page, 'lossy-late-reply')
  await snap?.('lossy-relay-late')
  await page.getByTestId('diagram-tab-expected').click()
  await expect(diagram(page).locator('.lifeline-head.lane-relay')).toHaveCount(1)
  await snap?.('lossy-relay-expected')
  await page.getByTestId('diagram-tab-live').click()
  await page.getByTestId('stats-panel').scrollIntoViewIfNeeded()
  await snap?.('lossy-relay-stats')
}

export async function wholeLab(page: Page, options: RelayJourneyOptions) {
  await openLossy(page)
  await options.afterOpen?.()
  await losingRepliesStep(page, options)
  await noTimeoutStep(page, options)
  await sameSeedStep(page, options)
  await relayStep(page, options)
  await yourClientStep(page, options)
  await yourServerStep(page, options)
}

/** Step 5: the student's own client, which must go on after a lost reply. */
export async function yourClientStep(page: Page, { port, snap }: RelayJourneyOptions) {
  await page.getByTestId('step-nav-your-lossy-client').click()
  await expect(page.getByTestId('step-text')).toContainText('Your own lossy client')
  await expect(checkpoint(page, 'lossy-your-client')).toHaveAttribute('data-passed', 'false')
  // 1. Start from the exercise (its server address moved to this run's free port).
  await startExercise(page, 'lossy_client.py')
  await replaceLine(page, 'SERVER = ("127.0.0.1", 50011)', `SERVER = ("127.0.0.1", ${port})`)
  // 2. Drop 0.3 (with the seed of step 1, so the same replies are lost every run), then
  // Start lossy server, or Restart it: it still runs from step 4, where it dropped nothing.
  await page.getByTestId('port-input').fill(String(port))
  await expect(page.getByTestId('drop-rate-input')).toHaveValue('0.3')
  await page.getByTestId('seed-input').fill('2024')
  await startOrRestartServer(page)
  // 3. Run it as it is: the first lost reply ends it with a traceback at recvfrom().
  await page.getByTestId('program-run').click()
  const recvLine = await lineNumber(page, 'data, sender = client.recvfrom(BUFFER_SIZE)')
  await expect(page.getByTestId('program-exit')).toContainText(
    new RegExp(`(TimeoutError|timeout) at line ${recvLine}`),
    { timeout: 30_000 },
  )
  // 4. The TODO: try / except socket.timeout around recvfrom(), then continue.
  await endOf(page, editorLine(page, 'data, sender = client.recvfrom(BUFFER_SIZE)'))
  await page.keyboard.press('Shift+Home')
  await page.keyboard.insertText(
    [
      'try:',
      '            data, sender = client.recvfrom(BUFFER_SIZE)',
      '        except socket.timeout:',
      '            print(f"ping {number}: no reply", flush=True)',
      '            continue',
    ].join('\n'),
  )
  await expect(page.getByTestId('editor-save-state')).toHaveText('Saved')
  // 5. Run again: it goes on after each lost reply.
  await page.getByTestId('program-run').click()
  await expect(page.getByTestId('program-output')).toContainText('no reply', { timeout: 30_000 })
  await expect(page.getByTestId('program-output')).toContainText('PINGs got a reply', {
    timeout: 30_000,
  })
  await expectPassed(page, 'lossy-your-client', 20_000)
  await seeDrawnThenStop(page, 'lossy_client.py', () => snap?.('lossy-your-client'))
}

/** Step 6: the student's own lossy server, which drops some replies on purpose. */
export async function yourServerStep(page: Page, { port, snap }: RelayJourneyOptions) {
  await page.getByTestId('step-nav-your-lossy-server').click()
  await expect(page.getByTestId('step-text')).toContainText('Your own lossy server')
  await expect(checkpoint(page, 'lossy-your-server')).toHaveAttribute('data-passed', 'false')
  // 1. Stop all (the app's lossy server of step 5 holds the port), then Clear trace.
  await page.getByTestId('stop-all').click()
  await page.getByTestId('clear-trace').click()
  await expect(page.getByTestId('diagram-lifeline')).toHaveCount(0)
  // 2. The file, from step 5's folder (on this run's free port).
  await page.getByTestId('editor-file').selectOption('lossy_server.py')
  await replaceLine(page, "PORT = 50011  # the Lossy UDP lab's port", `PORT = ${port}`)
  // 3. The TODOs: the constant (with a seed, for the same drops every run), then no reply
  // below it.
  await addLineAfter(page, '# TODO 1: a DROP_PROBABILITY constant', 'DROP_PROBABILITY = 0.3')
  await addLineAfter(page, 'DROP_PROBABILITY = 0.3', 'random.seed(2024)')
  await endOf(page, editorLine(page, 'data, address = server.recvfrom(BUFFER_SIZE)'))
  await page.keyboard.press('Enter')
  await page.keyboard.insertText(
    [
      'if random.random() < DROP_PROBABILITY:',
      '                print("[Server] Dropped reply (simulated loss)", flush=True)',
      '                continue',
    ].join('\n'),
  )
  await expect(page.getByTestId('editor-save-state')).toHaveText('Saved')
  // 4. Run.
  await page.getByTestId('program-run').click()
  await expect(page.getByTestId('program-output')).toContainText(
    `listening for PINGs on 127.0.0.1:${port}`,
  )
  // 5. Port, Timeout 2 s, Run lossy client.
  await page.getByTestId('port-input').fill(String(port))
  await expect(page.getByTestId('timeout-select')).toHaveValue('2000')
  await page.getByTestId('start-lossy-client').click()
  await expect(status(page, 'lossy-client')).toContainText('finished', { timeout: 40_000 })
  await expect(page.getByTestId('program-output')).toContainText('[Server] Dropped reply')
  await expectPassed(page, 'lossy-your-server', 20_000)
  await seeDrawnThenStop(page, 'lossy_server.py', () => snap?.('lossy-your-server'))
}
