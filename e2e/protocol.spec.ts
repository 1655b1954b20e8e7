import { expect, test, walkSnap } from './fixtures'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { freeLabPort, makeUserDataDir, startHost } from './host'
import {
  checksStep,
  designLoopStep,
  examplesStep,
  framingStep,
  openProtocolLab,
  worksheetStep,
  yourProtocolStep,
} from './journeys/protocol'
import { SMALL_SCREEN } from './layout-checks'

// Every step walked on a small laptop screen; presenter-walk.spec.ts walks it on a projector.
test.use({ viewport: SMALL_SCREEN })

test('a student works through every step of the protocol lab and passes every checkpoint', async ({
  page,
  context,
  host,
  labPort,
}) => {
  test.setTimeout(180_000)
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  await page.goto(host.url)
  await expect(page.getByTestId('lab-card-protocol')).toContainText('0 / 5')
  await openProtocolLab(page)
  let relayPort = await freeLabPort()
  while (relayPort === labPort) relayPort = await freeLabPort()
  const options = { port: labPort, relayPort, snap: (name: string) => walkSnap(page, name) }

  await worksheetStep(page, options)
  await examplesStep(page, options)
  await framingStep(page, options)
  await checksStep(page, options)
  await yourProtocolStep(page, options)
  await designLoopStep(page, options)
  for (const id of ['worksheet', 'examples', 'framing', 'checks', 'your-protocol']) {
    await expect(page.getByTestId(`step-nav-${id}`)).toHaveAttribute('data-done', 'true')
  }

  await page.getByTestId('back-link').click()
  await expect(page.getByTestId('lab-card-protocol')).toContainText('5 / 5')
})

test('the worksheet is kept when the host restarts, and Reset progress keeps it too', async ({
  page,
  host,
  userDataDir,
}) => {
  await page.goto(host.url)
  await openProtocolLab(page)
  await page.getByTestId('worksheet-choice-transport-udp').click()
  await page.getByTestId('worksheet-answer-ending').fill('Nobody: each datagram stands alone.')
  await expect(page.getByTestId('worksheet-save-state')).toHaveAttribute('data-state', 'saved')

  await host.stop()
  const again = await startHost(userDataDir)
  await page.goto(again.url)
  await openProtocolLab(page)
  await expect(page.getByTestId('worksheet-answer-ending')).toHaveValue(
    'Nobody: each datagram stands alone.',
  )
  await page.getByTestId('reset-progress').click()
  await page.getByTestId('reset-progress').click()
  await expect(page.getByTestId('worksheet-choice-transport-udp')).toHaveAttribute(
    'aria-checked',
    'true',
  )
  await page.reload()
  await expect(page.getByTestId('worksheet-answer-ending')).toHaveValue(
    'Nobody: each datagram stands alone.',
  )
  await again.stop()
})

test('a worksheet saved by an older version opens with every answer, and checks off its checkpoint', async ({
  page,
}) => {
  // The progress file as the app wrote it when the four questions were fixed fields.
  const data = await makeUserDataDir()
  const old = {
    transport: 'udp',
    transportWhy: 'Each guess is one small datagram; a lost one is asked again.',
    format: 'GUESS <n> in one datagram, reply LOW, HIGH or CORRECT.',
    malformed: 'ERROR expected GUESS <1-100>, and the server goes on.',
    ending: 'The client stops after CORRECT; the server never ends.',
    savedAt: '2026-11-30T10:00:00.000Z',
  }
  await writeFile(
    join(data.dir, 'progress.json'),
    JSON.stringify({ version: 1, labs: { protocol: { checkpoints: {}, worksheet: old } } }),
  )
  const host = await startHost(data.dir)
  try {
    expect(host.notice ?? '').not.toMatch(/left out/)
    await page.goto(host.url)
    await openProtocolLab(page)
    await expect(page.getByTestId('worksheet-choice-transport-udp')).toHaveAttribute(
      'aria-checked',
      'true',
    )
    await expect(page.getByTestId('worksheet-answer-transport')).toHaveValue(old.transportWhy)
    await expect(page.getByTestId('worksheet-answer-format')).toHaveValue(old.format)
    await expect(page.getByTestId('worksheet-answer-malformed')).toHaveValue(old.malformed)
    await expect(page.getByTestId('worksheet-answer-ending')).toHaveValue(old.ending)
    await expect(page.getByTestId('worksheet-complete')).toHaveText('4 of 4 answered')
    await expect(page.getByTestId('checkpoint-protocol-worksheet')).toHaveAttribute(
      'data-passed',
      'true',
    )
  } finally {
    await host.stop()
    await data.remove()
  }
})
