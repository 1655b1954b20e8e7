import { expect, type Locator, type Page } from '@playwright/test'

/** The student's editor (CodeMirror), typed into as a student types. */
export const editorLines = (page: Page) => page.getByTestId('student-editor').locator('.cm-line')
export const editorLine = (page: Page, text: string | RegExp) =>
  editorLines(page).filter({ hasText: text })

/** The 1-based number of the editor line holding `text`. */
export async function lineNumber(page: Page, text: string): Promise<number> {
  const texts = await editorLines(page).allTextContents()
  const i = texts.findIndex((t) => t.includes(text))
  expect(i, `a line with ${text}`).toBeGreaterThanOrEqual(0)
  return i + 1
}

/** Put the cursor at the end of the line holding `text` (as a click there would). */
export async function endOf(page: Page, line: Locator): Promise<void> {
  await line.click()
  await page.keyboard.press('End')
}

/** Replace the line holding `text` (after its indentation) with `replacement`. */
export async function replaceLine(
  page: Page,
  text: string | RegExp,
  replacement: string,
): Promise<void> {
  await endOf(page, editorLine(page, text))
  await page.keyboard.press('Shift+Home')
  await page.keyboard.type(replacement)
}

/** Type `line` on a new line after the one holding `text` (the editor keeps its indent). */
export async function addLineAfter(page: Page, text: string, line: string): Promise<void> {
  await endOf(page, editorLine(page, text))
  await page.keyboard.press('Enter')
  await page.keyboard.type(line)
}

/** Your program, Start from the exercise, and open `file` of the starters in the editor. */
export async function startExercise(page: Page, file: string): Promise<void> {
  await page.getByTestId('code-tab-program').click()
  await page.getByTestId('workspace-start-exercise').click()
  await expect(page.getByTestId(`workspace-file-${file}`)).toBeAttached()
  await page.getByTestId('editor-file').selectOption(file)
  await expect(page.getByTestId('editor-file')).toHaveValue(file)
}

/** The student's program drawn under its own name in the live diagram; then Stop it if it runs. */
export async function seeDrawnThenStop(
  page: Page,
  file: string,
  shot?: () => Promise<void> | undefined,
): Promise<void> {
  // A step with work panels shows the diagram behind a tab; others show it all along.
  const tabbed = (await page.getByTestId('work-tab-diagram').count()) > 0
  if (tabbed) await page.getByTestId('work-tab-diagram').click()
  // A step that opens on its swim lanes has the sequence diagram on its Live tab.
  if ((await page.getByTestId('diagram').count()) === 0) {
    await page.getByTestId('diagram-tab-live').click()
  }
  await expect(page.getByTestId('diagram')).toContainText(`your ${file}`)
  await shot?.()
  if (tabbed) await page.getByTestId('work-tab-work').click()
  const stop = page.getByTestId('program-stop')
  if (await stop.isVisible()) {
    await stop.click()
    await expect(page.getByTestId('program-exit')).toContainText('Stopped')
  }
}
