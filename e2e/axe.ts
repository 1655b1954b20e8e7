import AxeBuilder from '@axe-core/playwright'
import { expect, type Page } from '@playwright/test'

/**
 * Fail on any axe-core violation on the page as it is now, with one line per offending
 * element: the rule, the element and what to fix. Call it at every page and state a
 * journey visits; `where` names that state in the message.
 */
export async function expectNoAxeViolations(page: Page, where = ''): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze()
  const lines = results.violations.flatMap((v) =>
    v.nodes.map(
      (n) =>
        `${v.impact ?? 'minor'} ${v.id}: ${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ') ?? v.help}`,
    ),
  )
  expect(lines, `axe-core violations${where ? ` on ${where}` : ''}`).toEqual([])
}
