import AxeBuilder from '@axe-core/playwright'
import { writeFileSync } from 'node:fs'
import { test } from './fixtures'

test('scan', async ({ page, host }) => {
  test.setTimeout(300_000)
  await page.setViewportSize({ width: 1366, height: 768 })
  const out: string[] = []
  const scan = async (where: string) => {
    const r = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
      .analyze()
    for (const v of r.violations)
      for (const n of v.nodes)
        out.push(
          `${where}\t${v.impact} ${v.id}\t${n.target.join(' ')}\t${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 200)}\t${n.html.slice(0, 150)}`,
        )
  }
  await page.goto(host.url)
  await page.getByTestId('lab-card-ping-pong').waitFor()
  await scan('home')
  const cards = await page
    .locator('[data-testid^="lab-card-"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice(9)))
  for (const lab of cards) {
    await page.goto(`${host.url}#/lab/${lab}`)
    await page.getByTestId('step-text').waitFor()
    const steps = await page
      .locator('[data-testid^="step-nav-"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice(9)))
    for (const s of steps) {
      await page.getByTestId(`step-nav-${s}`).click()
      await page.waitForTimeout(400)
      await scan(`${lab}/${s}`)
    }
  }
  writeFileSync('/tmp/axe-scan.tsv', out.join('\n'))
})
