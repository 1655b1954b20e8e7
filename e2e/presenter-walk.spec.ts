import type { Page } from '@playwright/test'
import { expect, test, walkSnap } from './fixtures'
import { freeLabPort } from './host'
import { PROJECTOR } from './layout-checks'
import type { RelayJourneyOptions } from './journeys/options'
import * as counter from './journeys/counter'
import * as echo from './journeys/echo'
import * as lossy from './journeys/lossy-udp'
import * as multiClient from './journeys/multi-client'
import * as pingPong from './journeys/ping-pong'
import * as protocol from './journeys/protocol'

/**
 * An instructor at a 1920×1080 projector presses P and walks every lab, step by step, as
 * its text says: the same journeys the student walks at 1366×768, each state screenshotted,
 * checked by axe-core and checked to fit (Start in view, no lane title cut).
 */
const LABS: { id: string; walk: (page: Page, options: RelayJourneyOptions) => Promise<void> }[] = [
  { id: 'ping-pong', walk: pingPong.wholeLab },
  { id: 'counter', walk: counter.wholeLab },
  { id: 'multi-client', walk: multiClient.wholeLab },
  { id: 'lossy-udp', walk: lossy.wholeLab },
  { id: 'protocol', walk: protocol.wholeLab },
  { id: 'echo', walk: echo.wholeLab },
]

test.use({ viewport: PROJECTOR })

for (const lab of LABS) {
  test(`an instructor walks every step of ${lab.id} at 1920×1080 in presenter mode`, async ({
    page,
    context,
    host,
    labPort,
  }) => {
    test.setTimeout(300_000)
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    let relayPort = await freeLabPort()
    while (relayPort === labPort) relayPort = await freeLabPort()
    await page.goto(host.url)
    await expect(page.getByTestId(`lab-card-${lab.id}`)).toBeVisible()
    // P works on every page: the lab opens in the projector layout.
    await page.keyboard.press('p')
    await expect(page.locator('html')).toHaveAttribute('data-presenter', 'true')
    await lab.walk(page, {
      port: labPort,
      relayPort,
      snap: (name) => walkSnap(page, name),
      // The steps say "click Start": the instructor opens the controls under the shortcut
      // list once, and they stay open from step to step.
      afterOpen: async () => {
        await expect(page.getByTestId('shortcut-list')).toBeVisible()
        await page.getByTestId('show-controls').click()
        await expect(page.getByTestId('show-controls')).toHaveAttribute('aria-expanded', 'true')
      },
    })
  })
}
