import { expect } from '@playwright/test'
import { snap, test } from './fixtures'
import { openCounter, startFromExercise, usePort } from './journeys/counter'
import { editorLine, endOf, lineNumber, startExercise } from './journeys/editor'

/**
 * The student's own program when it goes wrong, and its terminal kept across steps. Writing
 * and running it as the course asks is walked in each lab's journey (journeys/*.ts).
 */

test('a broken program shows its traceback at its line; a syntax error is shown without running', async ({
  page,
  host,
  labPort,
}) => {
  test.setTimeout(120_000)
  await page.goto(host.url)
  await openCounter(page)
  // The reference code has Copy and Download too.
  await expect(page.getByTestId('code-view').getByTestId('code-download')).toBeVisible()
  await snap(page, 'reference-code-actions')
  await startFromExercise(page)
  await usePort(page, labPort)

  // A misspelt name: Python raises NameError when it reaches the line.
  await endOf(page, editorLine(page, '# TODO 1'))
  await page.keyboard.press('Enter')
  await page.keyboard.type('count = cuont + 1')
  await expect(page.getByTestId('editor-save-state')).toHaveText('Saved')
  const bad = await lineNumber(page, 'count = cuont + 1')
  await page.getByTestId('program-run').click()
  await expect(page.getByTestId('program-exit')).toContainText(`NameError at line ${bad}`)
  await expect(page.getByTestId('program-output')).toContainText('Traceback')
  await expect(page.getByTestId('editor-failure-line')).toHaveAttribute('data-line', String(bad))
  await expect(page.getByTestId('editor-failure-line')).toContainText('cuont')
  await snap(page, 'student-program-traceback')

  // A syntax error: nothing runs, the line is marked all the same.
  await endOf(page, editorLine(page, 'count = cuont + 1'))
  await page.keyboard.press('Shift+Home')
  await page.keyboard.type('count = = 0')
  await expect(page.getByTestId('editor-save-state')).toHaveText('Saved')
  // The student scrolled up to read the top of the file: the run still shows them the line.
  await page
    .getByTestId('student-editor')
    .locator('.cm-scroller')
    .evaluate((el) => (el.scrollTop = 0))
  await expect(page.getByTestId('editor-failure-line')).not.toBeInViewport()
  await page.getByTestId('program-run').click()
  await expect(page.getByTestId('program-exit')).toContainText(`SyntaxError at line ${bad}`)
  await expect(page.getByTestId('program-exit')).toContainText('Not run')
  await expect(page.getByTestId('editor-failure-line')).toHaveAttribute('data-line', String(bad))
  await expect(page.getByTestId('editor-failure-line')).toBeInViewport()

  // Keyboard: Escape then Tab leaves the editor (Tab alone indents, so it cannot trap focus).
  await page.getByTestId('student-editor').locator('.cm-content').focus()
  await page.keyboard.press('Escape')
  await page.keyboard.press('Tab')
  await expect(page.getByTestId('student-editor').locator('.cm-content')).not.toBeFocused()
})

test('a running program keeps its terminal through a step without the code column', async ({
  page,
  host,
}) => {
  test.setTimeout(120_000)
  await page.goto(host.url)
  await page.getByTestId('lab-card-protocol').click()
  await page.getByTestId('step-nav-examples').click()
  await startExercise(page, 'my_protocol_server.py')
  await page.getByTestId('program-run').click()
  // Listening, or a traceback if the port is taken: either way the output worth keeping.
  const output = page.getByTestId('program-output')
  await expect(output).toContainText(/listening on|Error/)
  const before = await output.innerText()

  // The worksheet step has no code column: the terminal goes, the program runs on.
  await page.getByTestId('step-nav-worksheet').click()
  await expect(page.getByTestId('code-and-program')).toHaveCount(0)
  await page.getByTestId('step-nav-examples').click()
  await page.getByTestId('code-tab-program').click()
  await expect(output).toContainText(before.trim().split('\n')[0]!)
  expect((await output.innerText()).startsWith(before.trim())).toBe(true)
  await snap(page, 'student-program-kept-output')
  if (before.includes('listening on')) {
    await expect(page.getByTestId('code-tab-program')).toContainText('1 running')
    await page.getByTestId('program-stop').click()
    await expect(page.getByTestId('program-exit')).toContainText('Stopped')
  }
})
