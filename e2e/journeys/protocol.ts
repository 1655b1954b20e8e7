import { expect, type Locator, type Page } from '@playwright/test'
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
} from './console-checks'
import { replaceLine, seeDrawnThenStop, startExercise } from './editor'
import type { RelayJourneyOptions } from './options'

/**
 * The Design-your-own-protocol lab, clicked through as a student would: the worksheet
 * (saved as they type, kept across a reload, exported), every example server through the raw
 * console, the framing relay breaking the naive client, and the student's own checks.
 */
const checkpoint = (page: Page, id: string) => page.getByTestId(`checkpoint-${id}`)

export async function expectPassed(page: Page, id: string) {
  await expect(checkpoint(page, id)).toHaveAttribute('data-passed', 'true')
  await expect(checkpoint(page, id)).toContainText('Passed at')
}

export async function openProtocolLab(page: Page) {
  await page.getByTestId('lab-card-protocol').click()
  await expect(page.getByRole('heading', { name: 'Design your own protocol' })).toBeVisible()
  await expect(page.getByTestId('step-text')).toContainText('Design before you code')
}

export const answers = {
  why: 'Every expression needs exactly one reply, complete and in order: a stream fits.',
  format: 'One expression per line, ending in \\n. The reply is one line: OK <number>.',
  malformed: 'ERROR and the reason on one line; the connection stays open for the next one.',
  ending: 'The client closes when it is done; the server sees end-of-stream and closes too.',
}

const saveState = (page: Page) => page.getByTestId('worksheet-save-state')

/** Step 1: answer the four questions, see them saved, reload, export. */
export async function worksheetStep(page: Page, { snap }: RelayJourneyOptions) {
  await expect(checkpoint(page, 'protocol-worksheet')).toHaveAttribute('data-passed', 'false')
  await expect(checkpoint(page, 'protocol-worksheet')).toContainText(
    'Still to answer on the worksheet: TCP or UDP, and why (pick TCP or UDP)',
  )
  await expect(page.getByTestId('worksheet-complete')).toHaveText('0 of 4 answered')
  await snap?.('protocol-worksheet-empty')

  // Two answers, then a pause: saved.
  await page.getByTestId('worksheet-choice-transport-tcp').click()
  await page.getByTestId('worksheet-answer-transport').fill(answers.why)
  await page.getByTestId('worksheet-answer-format').fill(answers.format)
  await expect(saveState(page)).toHaveAttribute('data-state', 'saved')
  await expect(saveState(page)).toContainText('Saved at')
  await expect(page.getByTestId('worksheet-complete')).toHaveText('2 of 4 answered')
  await expect(checkpoint(page, 'protocol-worksheet')).toContainText(
    'malformed-message reply (at least 15 characters); how the exchange ends',
  )
  await page.getByTestId('worksheet-answer-malformed').fill('ERROR')
  await expect(page.getByTestId('worksheet-state-malformed')).toHaveText('10 more characters')
  await expect(saveState(page)).toHaveAttribute('data-state', 'saved')

  // A reload brings back exactly what was saved.
  await page.reload()
  await expect(page.getByTestId('worksheet-answer-format')).toHaveValue(answers.format)
  await expect(page.getByTestId('worksheet-choice-transport-tcp')).toHaveAttribute(
    'aria-checked',
    'true',
  )
  await expect(page.getByTestId('worksheet-answer-malformed')).toHaveValue('ERROR')
  await expect(page.getByTestId('worksheet-complete')).toHaveText('2 of 4 answered')

  await page.getByTestId('worksheet-answer-malformed').fill(answers.malformed)
  await page.getByTestId('worksheet-answer-ending').fill(answers.ending)
  await expect(page.getByTestId('worksheet-complete')).toHaveText('4 of 4 answered')
  await expectPassed(page, 'protocol-worksheet')
  await expect(checkpoint(page, 'protocol-worksheet')).toContainText(
    'All four design questions are answered (TCP).',
  )
  await expect(saveState(page)).toHaveAttribute('data-state', 'saved')
  await snap?.('protocol-worksheet-complete')

  // Export: the comment block, copied and downloaded.
  await page.getByTestId('worksheet-export').click()
  const block = page.getByTestId('worksheet-block')
  await expect(block).toHaveValue(/^# Protocol design\n#\n# Transport: TCP\n/)
  await expect(block).toHaveValue(/# A malformed message gets:\n# {3}ERROR and the reason/)
  await snap?.('protocol-worksheet-export')
  await page.getByTestId('worksheet-copy').click()
  await expect(page.getByTestId('worksheet-copy')).toHaveText('Copied')
  const copied = await page.evaluate(() => navigator.clipboard.readText())
  expect(copied).toBe(await block.inputValue())
  const download = page.waitForEvent('download')
  await page.getByTestId('worksheet-download').click()
  expect((await download).suggestedFilename()).toBe('protocol_header.py')
}

/**
 * Send one line and wait for the whole reply to it (up to its \n, which the console writes
 * out): a reply that TCP hands over in two recv() calls shows as two received lines.
 */
async function ask(card: Locator, text: string): Promise<string> {
  const received = card.getByTestId('console-line-received').locator('.text')
  const before = await received.count()
  await consoleSend(card, text)
  const reply = async () => (await received.allTextContents()).slice(before).join('')
  await expect.poll(reply).toMatch(/\\n$/)
  return reply()
}

async function startServer(page: Page, kind: string) {
  await page.getByTestId(`start-${kind}`).click()
  await expect(page.getByTestId(`actor-status-${kind}`)).toContainText('running')
}

/** Stop a server; its TCP consoles see the connection end, and are removed. */
async function stopServer(page: Page, kind: string, consoles: Locator[] = []) {
  await page.getByTestId(`stop-${kind}`).click()
  await expect(page.getByTestId(`actor-status-${kind}`)).not.toContainText('running')
  for (const card of consoles) {
    await expect(card.getByTestId('console-state')).toHaveText('closed')
    await card.getByTestId('console-dismiss').click()
  }
}

const consoleCards = (page: Page) => page.getByTestId('console-panel').locator('article.card')

/**
 * Step 2: every example server through the console. The calculator (OK, ERROR, still usable),
 * the guessing game played to the end, the key-value store, the chat between two consoles,
 * and the uppercase service over TCP and UDP.
 */
export async function examplesStep(page: Page, { port, snap }: RelayJourneyOptions) {
  await page.getByTestId('step-nav-examples').click()
  await expect(page.getByTestId('step-text')).toContainText('The example protocols')
  await page.getByTestId('port-input').fill(String(port))
  // The console panel's Connect is the only way to open one: no duplicate start buttons.
  await expect(page.getByTestId('start-tcp-console')).toHaveCount(0)
  await expect(page.getByTestId('work-tab-work')).toHaveAttribute('aria-selected', 'true')
  await expect(checkpoint(page, 'protocol-calc-error')).toContainText('Start the calculator server')

  // Calculator: a good expression, then malformed ones, each with its own ERROR.
  await startServer(page, 'calc-server')
  await expect(page.getByTestId('console-port')).toHaveValue(String(port))
  const calc = await openConsole(page, { proto: 'tcp', port })
  expect(await ask(calc, '(1+2)*3')).toBe('OK 9\\n')
  await expect(checkpoint(page, 'protocol-calc-error')).toContainText(
    'now send a malformed expression',
  )
  expect(await ask(calc, '2 + * 3')).toBe('ERROR unexpected "*" at column 5\\n')
  await expectPassed(page, 'protocol-calc-error')
  expect(await ask(calc, '1/0')).toBe('ERROR division by zero\\n')
  // The connection is still usable after the errors.
  expect(await ask(calc, '10/4')).toBe('OK 2.5\\n')
  // The code view shows the server's own line for what it just did.
  await expect(page.getByTestId('code-tab-calc_server.py')).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByTestId('code-caption')).toContainText('what the calculator server')
  await snap?.('protocol-console-calculator')

  // The same conversation, as a sequence diagram; then back to the console.
  await expect(page.getByTestId('work-tab-diagram-news')).toBeVisible()
  await page.getByTestId('work-tab-diagram').click()
  await expect(page.getByTestId('diagram-tab-live')).toBeVisible()
  await expect(page.getByTestId('work-area')).toContainText('TCP console')
  await snap?.('protocol-console-diagram')
  await page.getByTestId('work-tab-work').click()
  await expect(calc.getByTestId('console-line-received')).toHaveCount(4)
  // What the diagram showed is no longer news; a cleared trace has none either, and the
  // next socket calls are news again.
  await expect(page.getByTestId('work-tab-diagram-news')).toHaveCount(0)
  await stopServer(page, 'calc-server', [calc])
  await page.getByTestId('clear-trace').click()
  await expect(page.getByTestId('work-tab-diagram-news')).toHaveCount(0)

  // Guessing game: halve the range until CORRECT.
  await startServer(page, 'guess-server')
  await expect(page.getByTestId('work-tab-diagram-news')).toBeVisible()
  const guess = await openConsole(page, { proto: 'tcp', port })
  expect(await ask(guess, 'GUESS banana')).toBe('ERROR expected GUESS <1-100>\\n')
  let [low, high, reply] = [1, 100, '']
  for (let tries = 0; tries < 7 && !reply.startsWith('CORRECT'); tries++) {
    const mid = Math.floor((low + high) / 2)
    reply = await ask(guess, `GUESS ${mid}`)
    if (reply.startsWith('HIGHER')) low = mid + 1
    else if (reply.startsWith('LOWER')) high = mid - 1
  }
  expect(reply).toMatch(/^CORRECT in \d+ guesses\\n$/)
  await stopServer(page, 'guess-server', [guess])

  // Key-value store: the data stays while the server runs; bad commands get ERROR.
  await startServer(page, 'kv-server')
  const kv = await openConsole(page, { proto: 'tcp', port })
  expect(await ask(kv, 'SET name Alice')).toBe('OK\\n')
  expect(await ask(kv, 'GET name')).toBe('VALUE Alice\\n')
  expect(await ask(kv, 'KEYS')).toBe('KEYS name\\n')
  expect(await ask(kv, 'GET age')).toBe('ERROR no such key "age"\\n')
  expect(await ask(kv, 'FOO')).toMatch(/^ERROR unknown command "FOO"/)
  await stopServer(page, 'kv-server', [kv])

  // Mini chat: two consoles at once, each seeing the other's messages.
  await startServer(page, 'chat-server')
  const alice = await openConsole(page, { proto: 'tcp', port })
  expect(await ask(alice, 'NAME alice')).toBe('WELCOME alice (1 online)\\n')
  const bob = await openConsole(page, { proto: 'tcp', port })
  expect(await ask(bob, 'NAME bob')).toBe('WELCOME bob (2 online)\\n')
  await expectReceived(alice, '* bob joined\\n')
  await consoleSend(alice, 'hi bob')
  await expectReceived(bob, 'alice: hi bob\\n')
  await consoleSend(bob, 'hello alice')
  await expectReceived(alice, 'bob: hello alice\\n')
  await expect(consoleCards(page)).toHaveCount(2)
  await snap?.('protocol-console-chat')
  await closeConsole(bob)
  await expectReceived(alice, '* bob left\\n')
  await bob.getByTestId('console-dismiss').click()
  await stopServer(page, 'chat-server', [alice])

  // Uppercase over TCP (per line), then over UDP (per datagram, no connection).
  await startServer(page, 'upper-tcp-server')
  const upperTcp = await openConsole(page, { proto: 'tcp', port })
  expect(await ask(upperTcp, 'hello tcp')).toBe('HELLO TCP\\n')
  await stopServer(page, 'upper-tcp-server', [upperTcp])
  await startServer(page, 'upper-udp-server')
  const upperUdp = await openConsole(page, { proto: 'udp', port })
  await consoleSend(upperUdp, 'hello udp', { newline: false })
  await expectReceived(upperUdp, 'HELLO UDP')
  // One datagram back, its 9 bytes and nothing more: no newline was sent, none comes back.
  await expect(upperUdp.getByTestId('console-line-received')).toContainText('9 B')
  await snap?.('protocol-console-udp')
  await closeConsole(upperUdp)
  await page.getByTestId('stop-upper-udp-server').click()
}

/**
 * Step 3: the calculator on the lab port, the framing relay on its own port in front of it
 * with a split size; the naive client breaks through it, the line client copes.
 */
export async function framingStep(page: Page, { port, relayPort, snap }: RelayJourneyOptions) {
  await page.getByTestId('step-nav-framing').click()
  await expect(page.getByTestId('step-text')).toContainText('Why framing matters')
  await page.getByTestId('port-input').fill(String(port))
  await expect(page.locator('.controls label.count span')).toHaveText('Requests')
  await startServer(page, 'calc-server')

  // The relay's target follows Port; it gets a port of its own.
  const options = page.getByTestId('framing-options')
  await expect(options.getByTestId('framing-target-port')).toHaveValue(String(port))
  await options.getByTestId('framing-relay-port').fill(String(port))
  await page.getByTestId('start-framing-relay').click()
  await expect(page.getByTestId('control-error')).toContainText(
    `Relay port ${port} is also the port it forwards to`,
  )
  await options.getByTestId('framing-relay-port').fill(String(relayPort))
  await options.getByTestId('framing-split-input').fill('3')
  await expect(options.getByTestId('framing-route-relay')).toBeChecked()
  await expect(options).toContainText(`the relay (port ${relayPort})`)
  await page.getByTestId('start-framing-relay').click()
  await expect(page.getByTestId('actor-status-framing-relay')).toContainText(
    `on 127.0.0.1:${relayPort}`,
  )

  await page.getByTestId('start-naive-client').click()
  // Through the relay's 3-byte pieces, one recv() is no longer one reply.
  await expect(page.getByTestId('actor-status-naive-client')).toContainText('finished')
  await expect(page.getByTestId('actor-status-naive-client')).toContainText(
    'replies were mismatched',
  )
  await expect(checkpoint(page, 'protocol-framing')).toHaveAttribute('data-passed', 'false')
  await page.getByTestId('start-line-client').click()
  await expect(page.getByTestId('actor-status-line-client')).toContainText('finished')
  await expect(page.getByTestId('actor-status-line-client')).toContainText(
    'All 5 replies matched their requests',
  )
  await expectPassed(page, 'protocol-framing')
  await snap?.('protocol-framing-done')

  // Straight to the server, the naive client gets every reply right: the bug hides.
  await options.getByTestId('framing-route-direct').check()
  await page.getByTestId('start-naive-client').click()
  await expect(page.getByTestId('actor-status-naive-client')).toContainText('finished')
  await page.getByTestId('stop-all').click()
}

/**
 * Step 4: the worksheet beside the student's checks; one check passes, one fails with its
 * transcript and the caret under the first differing character.
 */
export async function checksStep(page: Page, { port, snap }: RelayJourneyOptions) {
  await page.getByTestId('step-nav-checks').click()
  await expect(page.getByTestId('step-text')).toContainText('Your own checks')
  await expect(page.getByTestId('work-column-checks')).toBeVisible()
  await expect(page.getByTestId('work-column-worksheet')).toBeVisible()
  await expect(page.getByTestId('worksheet-answer-format')).toHaveValue(answers.format)
  await expect(checkpoint(page, 'protocol-own-checks')).toHaveAttribute('data-passed', 'false')

  await page.getByTestId('port-input').fill(String(port))
  await startServer(page, 'calc-server')
  await addCheck(page, { name: 'multiplies', send: '(1+2)*3', value: 'OK 9' })
  await addCheck(page, { name: 'wrong on purpose', send: '(1+2)*3', value: 'OK 10' })
  await addCheck(page, {
    name: 'rejects nonsense',
    send: '2 + * 3',
    mode: 'regex',
    value: '^ERROR ',
  })
  await runAllChecks(page, port)
  await expectCheckPassed(page, 'multiplies')
  await expectCheckPassed(page, 'rejects nonsense')
  await expectCheckFailed(page, 'wrong on purpose', {
    got: 'OK 9\\n',
    expected: 'OK 10',
    caretColumn: 3,
  })
  await expect(checkItem(page, 'wrong on purpose').getByTestId('check-report')).toContainText(
    'at character 4',
  )
  await expect(page.getByTestId('checks-tally')).toContainText('2 passed · 1 failed')
  await expectPassed(page, 'protocol-own-checks')
  await snap?.('protocol-checks-beside-worksheet')
  await page.getByTestId('stop-all').click()
}

export async function wholeLab(page: Page, options: RelayJourneyOptions) {
  await openProtocolLab(page)
  await options.afterOpen?.()
  await worksheetStep(page, options)
  await examplesStep(page, options)
  await framingStep(page, options)
  await checksStep(page, options)
  await yourProtocolStep(page, options)
  await designLoopStep(page, options)
}

/**
 * Step 6, optional: the whole loop again for a protocol of the student's own, with the same
 * tools as steps 4 and 5. The walk opens it and checks its console and checks are at hand.
 */
export async function designLoopStep(page: Page, { snap }: RelayJourneyOptions) {
  await page.getByTestId('step-nav-design-loop').click()
  await expect(page.getByTestId('step-text')).toContainText('Optional: the full design loop')
  await expect(page.getByTestId('work-column-console')).toBeVisible()
  await expect(page.getByTestId('work-column-checks')).toBeVisible()
  // The checks written in the earlier steps are there to run again.
  await expect(checkItem(page, 'shouts back')).toBeVisible()
  await snap?.('protocol-design-loop')
}

/** Step 5: the student's own server for their protocol, checked by their own check. */
export async function yourProtocolStep(page: Page, { port, snap }: RelayJourneyOptions) {
  await page.getByTestId('step-nav-your-protocol').click()
  await expect(page.getByTestId('step-text')).toContainText('Your own protocol server')
  await expect(checkpoint(page, 'protocol-your-server')).toHaveAttribute('data-passed', 'false')
  // 1. Your program, then Start from the exercise; the server is the file to change.
  await startExercise(page, 'my_protocol_server.py')
  // 2. TODO 5, for a protocol whose reply is the request in capitals (and a free port
  // instead of 50020, so parallel runs never collide).
  await replaceLine(page, 'PORT = 50020', `PORT = ${port}`)
  await replaceLine(page, 'return "ERROR not implemented yet"', 'return "OK " + line.upper()')
  await expect(page.getByTestId('editor-save-state')).toHaveText('Saved')
  // 3. The calculator of the last step holds the port: Stop all, then Run.
  await page.getByTestId('stop-all').click()
  await page.getByTestId('program-run').click()
  await expect(page.getByTestId('program-output')).toContainText(`listening on 127.0.0.1:${port}`)
  // 4–5. A check of one request, run against the student's server: it passes.
  await addCheck(page, { name: 'shouts back', send: 'hello', value: 'OK HELLO' })
  await runAllChecks(page, port)
  await expectCheckPassed(page, 'shouts back')
  await expectPassed(page, 'protocol-your-server')
  await seeDrawnThenStop(page, 'my_protocol_server.py', () => snap?.('protocol-your-server'))
}
