import { expect, type Locator, type Page } from '@playwright/test'

// What "fits the screen" means for a student or an instructor, checked the same way by
// every spec that walks the labs (issue 16): nothing they need is scrolled away or cut.

/** A small laptop and a classroom projector: the two screens every step is walked on. */
export const SMALL_SCREEN = { width: 1366, height: 768 }
export const PROJECTOR = { width: 1920, height: 1080 }

/**
 * The element is wholly on screen: inside the window and inside every box that scrolls
 * around it (a button scrolled out of its column is not "in view" for a student).
 */
export async function expectWhollyShown(target: Locator, what: string): Promise<void> {
  await expect(target).toBeVisible()
  const hidden = await target.evaluate((el) => {
    const r = el.getBoundingClientRect()
    const inside = (b: { top: number; bottom: number; left: number; right: number }): boolean =>
      r.top >= b.top - 1 &&
      r.bottom <= b.bottom + 1 &&
      r.left >= b.left - 1 &&
      r.right <= b.right + 1
    if (!inside({ top: 0, left: 0, bottom: innerHeight, right: innerWidth })) return 'the window'
    for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p)
      if (
        /(auto|scroll|hidden)/.test(s.overflowX + s.overflowY) &&
        !inside(p.getBoundingClientRect())
      )
        return `${p.tagName.toLowerCase()}.${p.className}`
    }
    return ''
  })
  expect(hidden, `${what} is cut off by ${hidden}`).toBe('')
}

/** Nothing runs off the right edge: no page-wide horizontal scroll, no panel cut. */
export async function expectNothingCutOnTheRight(page: Page, where: string): Promise<void> {
  const over = await page.evaluate(() => {
    const width = document.documentElement.clientWidth
    const cut = Array.from(document.querySelectorAll('.panel, .lab-header > *, .step-nav a'))
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .map((el) => el.className || el.tagName)
    if (document.documentElement.scrollWidth > width + 1) cut.push('the page scrolls sideways')
    return cut
  })
  expect(over, `cut on the right at ${where}`).toEqual([])
}

/** Every lane title line of the diagram is drawn whole: not cut short, and inside its box. */
export async function expectNoTitleClipped(diagram: Locator, where = ''): Promise<void> {
  const heads = diagram.getByTestId('diagram-lifeline')
  const report = await heads.evaluateAll((els) =>
    els.map((g) => {
      const box = g.querySelector('rect')!.getBBox()
      const lines = Array.from(
        g.querySelectorAll<SVGTextElement>('[data-testid="diagram-lane-title"]'),
      )
      return {
        label: g.getAttribute('data-label') ?? '',
        folded: g.getAttribute('data-folded') === 'true',
        lines: lines.map((t) => t.textContent?.trim() ?? ''),
        widest: Math.max(0, ...lines.map((t) => t.getComputedTextLength())),
        room: box.width,
      }
    }),
  )
  for (const head of report) {
    if (head.folded) continue
    const what = `${where ? `${where}: ` : ''}${head.label}`
    expect(head.lines.join(' '), what).not.toContain('…')
    // Lines break at spaces or inside a file name: compare without the breaks.
    const squeeze = (t: string) => t.replace(/\s+/g, '')
    expect(squeeze(head.label).startsWith(squeeze(head.lines.join(''))), what).toBe(true)
    expect(head.widest, `${what}: title wider than its box`).toBeLessThanOrEqual(head.room)
  }
}

/**
 * The state of a lab page fits its screen: the step's first Start (pinned under the text)
 * is wholly shown, no lane title of a visible diagram is cut, nothing runs off the right.
 */
export async function expectStepFits(page: Page, where: string): Promise<void> {
  // Unless the student scrolled the dock to reach something further down (the statistics,
  // a console), its first Start or Stop is in view.
  const dock = page.getByTestId('step-dock')
  const start = dock.locator('[data-testid^="start-"], [data-testid^="stop-"]').first()
  const scrolled = await dock.evaluate((el) => el.scrollTop > 0)
  if (!scrolled && (await start.count()) > 0) {
    await expectWhollyShown(start, `${where}: the step's Start`)
  }
  const diagram = page.getByTestId('diagram')
  if ((await diagram.count()) > 0 && (await diagram.isVisible())) {
    await expectNoTitleClipped(diagram, where)
  }
  await expectNothingCutOnTheRight(page, where)
}
