import { expect, type Page } from '@playwright/test'
import { snap, test } from './fixtures'
import { expectPassed, openCounter } from './journeys/counter'
import {
  addLineAfter,
  editorLine,
  endOf,
  lineNumber,
  replaceLine,
  startExercise,
} from './journeys/editor'

/**
 * The student's own program, as a student works on it: the Counter exercise completed in
 * the app's editor, run from the app, traced while the app's client talks to it.
 */

async function startFromExercise(page: Page): Promise<void> {
  await page.getByTestId('code-tab-program').click()
  await expect(page.getByTestId('workspace-dir')).toHaveValue(/counter/)
  await expect(page.getByTestId('workspace-interpreter')).toContainText('python')
  await page.getByTestId('workspace-start-exercise').click()
  await expect(page.getByTestId('editor-file')).toHaveValue('counter_server.py')
  await expect(editorLine(page, '# TODO 1')).toHaveCount(1)
  await expect(page.getByTestId('editor-save-state')).toHaveText('Saved')
}

/** The exercise binds the lab's port: the test moves it to a free one, as a student would. */
async function usePort(page: Page, port: number): Promise<void> {
  await replaceLine(page, 'PORT = 50008', `PORT = ${port}`)
}

test('a student completes the Counter exercise in the editor, runs it, and watches it traced', async ({
  page,
  host,
  labPort,
}) => {
  test.setTimeout(120_000)
  await page.goto(host.url)
  await openCounter(page)
  await page.getByTestId('step-nav-your-counter-server').click()
  await expect(page.getByTestId('step-text')).toContainText('Your own counter server')
  await startFromExercise(page)
  await snap(page, 'student-exercise-started')

  // The two missing pieces: a count, and the count in the reply.
  await usePort(page, labPort)
  await addLineAfter(page, '# TODO 1', 'count = 0')
  await replaceLine(page, 'reply = b"PONG"', 'count += 1')
  await page.keyboard.press('Enter')
  await page.keyboard.type('reply = f"PONG #{count}".encode()')
  await expect(page.getByTestId('editor-save-state')).toHaveText('Saved')

  await page.getByTestId('program-run').click()
  await expect(page.getByTestId('program-output')).toContainText(`127.0.0.1:${labPort}`)
  await expect(page.getByTestId('code-tab-program')).toContainText('1 running')

  // The app's client, pointed at the student's server.
  await page.getByTestId('port-input').fill(String(labPort))
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
  await snap(page, 'student-program-traced')

  await page.getByTestId('program-stop').click()
  await expect(page.getByTestId('program-exit')).toContainText('Stopped')
})

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
  await page.getByTestId('program-run').click()
  await expect(page.getByTestId('program-exit')).toContainText(`SyntaxError at line ${bad}`)
  await expect(page.getByTestId('program-exit')).toContainText('Not run')
  await expect(page.getByTestId('editor-failure-line')).toHaveAttribute('data-line', String(bad))

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
