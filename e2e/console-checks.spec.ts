import { expect, snap, test } from './fixtures'
import {
  addCheck,
  checkItem,
  closeConsole,
  consoleSend,
  expectCheckFailed,
  expectCheckPassed,
  expectReceived,
  openConsole,
  runAllChecks,
} from './journeys/console-checks'
import { openProtocolLab } from './journeys/protocol'

// The raw console and the student's own checks in lab 5, beyond the lab's own journey
// (e2e/protocol.spec.ts): what the console writes out, closing and refused connections, bad
// patterns, checks kept across a reload, edited, deleted and exported.

test('a student talks to the calculator and the UDP uppercase server through consoles', async ({
  page,
  host,
  labPort,
}) => {
  await page.goto(host.url)
  await openProtocolLab(page)
  await page.getByTestId('step-nav-examples').click()
  await page.getByTestId('port-input').fill(String(labPort))
  await page.getByTestId('start-calc-server').click()
  await expect(page.getByTestId('actor-status-calc-server')).toContainText('running')
  await expect(page.getByTestId('console-panel')).toContainText('No console open')

  // The console's port follows the controls.
  await expect(page.getByTestId('console-port')).toHaveValue(String(labPort))
  const tcp = await openConsole(page, { proto: 'tcp', port: labPort })
  await consoleSend(tcp, '2 + 3')
  await expectReceived(tcp, 'OK 5\\n')
  // The newline is drawn as a badge, with bytes and timing.
  const reply = tcp.getByTestId('console-line-received').first()
  await expect(reply.locator('.esc')).toHaveText('\\n')
  await expect(reply).toContainText('5 B')
  await expect(reply).toContainText(/after \d+\.\d ms/)
  await consoleSend(tcp, '1/0')
  await expectReceived(tcp, 'ERROR division by zero')

  // A second console at the same time, over UDP, to another server.
  const udpPort = labPort + 1
  await page.getByTestId('port-input').fill(String(udpPort))
  await page.getByTestId('start-upper-udp-server').click()
  await expect(page.getByTestId('actor-status-upper-udp-server')).toContainText('running')
  const udp = await openConsole(page, { proto: 'udp', port: udpPort })
  await consoleSend(udp, 'hello\\tworld', { newline: false })
  await expectReceived(udp, 'HELLO\\tWORLD')
  await expect(tcp).toHaveAttribute('data-state', 'running')
  await page.getByTestId('console-panel').scrollIntoViewIfNeeded()
  await snap(page, 'console-two-connections')

  // Close ends the connection (FIN); the card stays, closed, until removed.
  await closeConsole(tcp)
  await expect(tcp.getByTestId('console-state')).toHaveText('closed')
  await expect(tcp.getByTestId('console-input')).toHaveCount(0)
  await tcp.getByTestId('console-dismiss').click()
  await expect(page.getByTestId('console-panel').locator('article.card')).toHaveCount(1)

  // Nothing listening: the reason, not a hang.
  await page.getByTestId('console-proto').selectOption('tcp')
  await page.getByTestId('console-port').fill(String(udpPort))
  await page.getByTestId('console-open').click()
  await expect(page.getByTestId('console-open-error')).toContainText('Connection refused')
})

test('a student writes two checks: one passes, one fails with its transcript; they are kept', async ({
  page,
  host,
  labPort,
}) => {
  await page.goto(host.url)
  await openProtocolLab(page)
  await page.getByTestId('step-nav-checks').click()
  await page.getByTestId('port-input').fill(String(labPort))
  await page.getByTestId('start-calc-server').click()
  await expect(page.getByTestId('actor-status-calc-server')).toContainText('running')

  await addCheck(page, { name: 'adds', send: '2 + 3', value: 'OK 5' })
  // A bad pattern is refused with its reason before anything is saved.
  await page.getByTestId('checks-add').click()
  await page.getByTestId('check-name').fill('broken pattern')
  await page.getByTestId('check-send').fill('2')
  await page.getByTestId('check-mode').selectOption('regex')
  await page.getByTestId('check-value').fill('^OK (')
  await page.getByTestId('check-save').click()
  await expect(page.getByTestId('check-value-error')).toHaveText(
    'Not a valid pattern: Unterminated group',
  )
  await page.getByTestId('check-editor').scrollIntoViewIfNeeded()
  await snap(page, 'checks-editor-bad-pattern')
  await page.getByTestId('check-cancel').click()
  await addCheck(page, { name: 'multiplies', send: '6 * 7', value: 'OK 43' })

  await runAllChecks(page, labPort)
  await expectCheckPassed(page, 'adds')
  await expect(checkItem(page, 'adds').getByTestId('check-passed-note')).toContainText('OK 5')
  await expectCheckFailed(page, 'multiplies', {
    got: 'OK 42\\n',
    expected: 'OK 43',
    caretColumn: 4,
  })
  await expect(checkItem(page, 'multiplies').getByTestId('check-report')).toContainText(
    'at character 5',
  )
  await expect(page.getByTestId('checks-tally')).toContainText('1 passed · 1 failed')
  // The run is in the trace, as the checker.
  await page.getByTestId('event-log-filter').fill('check "multiplies": failed')
  await expect(page.getByTestId('event-row')).toHaveCount(1)
  await page.getByTestId('event-log-filter').fill('')
  await checkItem(page, 'multiplies').scrollIntoViewIfNeeded()
  await snap(page, 'checks-one-passes-one-fails')

  // A server that is not there: "no reply", with the reason.
  await page.getByTestId('stop-calc-server').click()
  await checkItem(page, 'adds').getByTestId('check-run').click()
  await expect(checkItem(page, 'adds')).toHaveAttribute('data-state', 'failed')
  await expect(checkItem(page, 'adds').getByTestId('check-problem')).toContainText(
    'Connection refused',
  )

  // Reload: the checks are still there (results are not saved, only the checks).
  await page.reload()
  await expect(page.getByTestId('checks-panel').locator('li.check')).toHaveCount(2)
  await expect(checkItem(page, 'adds')).toHaveAttribute('data-state', 'not-run')
  await expect(checkItem(page, 'multiplies')).toContainText('expect exactly "OK 43"')

  // Edit and delete are saved too.
  await checkItem(page, 'multiplies').getByTestId('check-edit').click()
  await page.getByTestId('check-value').fill('OK 42')
  await page.getByTestId('check-save').click()
  await expect(checkItem(page, 'multiplies')).toContainText('expect exactly "OK 42"')
  await checkItem(page, 'adds').getByTestId('check-delete').click()
  await expect(page.getByTestId('checks-panel').locator('li.check')).toHaveCount(1)
  await page.reload()
  await expect(page.getByTestId('checks-panel').locator('li.check')).toHaveCount(1)
  await expect(checkItem(page, 'multiplies')).toContainText('expect exactly "OK 42"')

  // Export: a JSON download with the checks.
  const download = page.waitForEvent('download')
  await page.getByTestId('checks-download').click()
  const file = await download
  expect(file.suggestedFilename()).toBe('protocol-checks.json')
  const text = await (await file.createReadStream()).toArray()
  const exported = JSON.parse(Buffer.concat(text).toString('utf8'))
  expect(exported.checks).toEqual([
    expect.objectContaining({
      name: 'multiplies',
      send: '6 * 7',
      expect: { mode: 'exact', value: 'OK 42' },
    }),
  ])
})
