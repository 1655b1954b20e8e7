import { expect, type Locator, type Page } from '@playwright/test'

/** The student's editor (CodeMirror), typed into as a student types. */
export const editorLines = (page: Page) => page.getByTestId('student-editor').locator('.cm-line')
export const editorLine = (page: Page, text: string) => editorLines(page).filter({ hasText: text })

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
