import { expect, type Locator, type Page } from '@playwright/test'

/**
 * The raw console and the student's own checks, clicked as a student would. Any lab step
 * whose panels include `console` and `checks` can run these.
 */

/** Open a console (TCP connects, UDP binds) to 127.0.0.1:port; returns its card. */
export async function openConsole(
  page: Page,
  { proto, port }: { proto: 'tcp' | 'udp'; port: number },
): Promise<Locator> {
  const panel = page.getByTestId('console-panel')
  const before = await panel.locator('article.card').count()
  await panel.getByTestId('console-proto').selectOption(proto)
  await panel.getByTestId('console-port').fill(String(port))
  await panel.getByTestId('console-open').click()
  const card = panel.locator('article.card').nth(before)
  await expect(card).toHaveAttribute('data-state', 'running')
  await expect(card).toContainText(`${proto.toUpperCase()} 127.0.0.1:${port}`)
  return card
}

/** Type a message into a console and press Enter; `\n` is appended unless `newline` is false. */
export async function consoleSend(card: Locator, text: string, { newline = true } = {}) {
  const box = card.getByTestId('console-newline')
  if ((await box.isChecked()) !== newline) await box.setChecked(newline)
  const sentBefore = await card.getByTestId('console-line-sent').count()
  await card.getByTestId('console-input').fill(text)
  await card.getByTestId('console-input').press('Enter')
  await expect(card.getByTestId('console-line-sent')).toHaveCount(sentBefore + 1)
  // The box empties; or, when the server hung up on what was sent ("bye"), it is gone.
  const input = card.getByTestId('console-input')
  await expect
    .poll(
      async () => (await input.count()) === 0 || (await input.inputValue({ timeout: 500 })) === '',
    )
    .toBe(true)
}

/** Wait for a received line containing `text` (invisibles written out, e.g. "OK 5\\n"). */
export async function expectReceived(card: Locator, text: string) {
  await expect(card.getByTestId('console-line-received').filter({ hasText: text })).not.toHaveCount(
    0,
  )
}

export async function closeConsole(card: Locator) {
  await card.getByTestId('console-close').click()
  await expect(card).not.toHaveAttribute('data-state', 'running')
}

export interface CheckSpec {
  name: string
  proto?: 'tcp' | 'udp'
  send: string
  newline?: boolean
  mode?: 'exact' | 'contains' | 'regex'
  value: string
  /** Seconds, as typed. */
  within?: string
}

/** Add a check through the editor and wait until it is listed (and saved). */
export async function addCheck(page: Page, check: CheckSpec) {
  const panel = page.getByTestId('checks-panel')
  const before = await panel.locator('li.check').count()
  await panel.getByTestId('checks-add').click()
  const editor = panel.getByTestId('check-editor')
  await editor.getByTestId('check-name').fill(check.name)
  await editor.getByTestId('check-proto').selectOption(check.proto ?? 'tcp')
  await editor.getByTestId('check-send').fill(check.send)
  await editor.getByTestId('check-newline').setChecked(check.newline ?? true)
  await editor.getByTestId('check-mode').selectOption(check.mode ?? 'exact')
  await editor.getByTestId('check-value').fill(check.value)
  await editor.getByTestId('check-within').fill(check.within ?? '2')
  await editor.getByTestId('check-save').click()
  await expect(panel.locator('li.check')).toHaveCount(before + 1)
  await expect(panel.getByTestId('checks-saved')).toHaveText('Saved')
}

/** The listed check with this name. */
export function checkItem(page: Page, name: string): Locator {
  return page
    .getByTestId('checks-panel')
    .locator('li.check')
    .filter({ has: page.locator('.name', { hasText: name }) })
}

/** Run every check against 127.0.0.1:port and wait for every result. */
export async function runAllChecks(page: Page, port: number) {
  const panel = page.getByTestId('checks-panel')
  await panel.getByTestId('checks-port').fill(String(port))
  await panel.getByTestId('checks-run-all').click()
  await expect(panel.locator('li.check[data-state="running"]')).toHaveCount(0)
  await expect(panel.locator('li.check[data-state="not-run"]')).toHaveCount(0)
}

export async function expectCheckPassed(page: Page, name: string) {
  await expect(checkItem(page, name)).toHaveAttribute('data-state', 'passed')
}

/** A failed check's report: what it got (or the problem) and what it expected. */
export async function expectCheckFailed(
  page: Page,
  name: string,
  report: { got?: string; problem?: string; expected: string; caretColumn?: number },
) {
  const item = checkItem(page, name)
  await expect(item).toHaveAttribute('data-state', 'failed')
  if (report.got !== undefined) await expect(item.getByTestId('check-got')).toHaveText(report.got)
  if (report.problem !== undefined) {
    await expect(item.getByTestId('check-problem')).toHaveText(report.problem)
  }
  await expect(item.getByTestId('check-expected')).toHaveText(report.expected)
  if (report.caretColumn !== undefined) {
    const caret = await item.getByTestId('check-caret').textContent()
    expect(caret).toBe(' '.repeat(report.caretColumn) + '^')
  }
}
