import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, snap, test } from './fixtures'
import { startHost } from './host'

test('a lab file that fails validation is named with its field, and the other labs still load', async ({
  page,
  userDataDir,
}) => {
  const labs = await mkdtemp(join(tmpdir(), 'socket-labs-e2e-labs-'))
  try {
    await cp(join(import.meta.dirname, '../labs/ping-pong'), join(labs, 'ping-pong'), {
      recursive: true,
    })
    await mkdir(join(labs, 'broken'))
    await writeFile(
      join(labs, 'broken/lab.yaml'),
      'id: broken\ntitle: Broken\nsummary: A lab with a mistake\norder: 9\ndefaultPort: 50010\nsteps:\n  - id: one\n    text: one.md\n',
    )
    const host = await startHost(userDataDir, ['--labs', labs])
    try {
      await page.goto(host.url)
      await expect(page.getByTestId('lab-card-ping-pong')).toBeVisible()
      const errors = page.getByTestId('load-errors')
      await expect(errors).toContainText('broken/lab.yaml')
      await expect(errors).toContainText('steps.0.title')
      await snap(page, 'home-load-errors')
    } finally {
      await host.stop()
    }
  } finally {
    await rm(labs, { recursive: true, force: true })
  }
})

test('a corrupt progress file is kept aside with a message, and the app starts fresh', async ({
  page,
  userDataDir,
}) => {
  await writeFile(join(userDataDir, 'progress.json'), '{"version": 1, "labs": {"ping-pong": ')
  const host = await startHost(userDataDir)
  try {
    await page.goto(host.url)
    const notice = page.getByTestId('notice')
    await expect(notice).toContainText('could not be read')
    await expect(notice).toContainText('progress.corrupt-')
    await expect(page.getByTestId('lab-card-ping-pong')).toContainText('0 / 5')
    await snap(page, 'home-corrupt-progress')
    const kept = (await readdir(userDataDir)).find((f) => f.startsWith('progress.corrupt-'))
    expect(kept).toBeDefined()
    expect(await readFile(join(userDataDir, kept!), 'utf8')).toContain('"ping-pong": ')
    await page.getByTestId('notice-dismiss').click()
    await expect(notice).toHaveCount(0)
  } finally {
    await host.stop()
  }
})

test('the page needs the token: without it the host refuses', async ({ page, host }) => {
  const response = await page.goto(`http://127.0.0.1:${host.port}/`)
  expect(response?.status()).toBe(403)
  await expect(page.locator('body')).toContainText('needs the token')
})

test('the renderer has no Node and no generic IPC: only the named API', async ({ page, host }) => {
  await page.goto(host.url)
  await expect(page.getByTestId('lab-card-ping-pong')).toBeVisible()
  const globals = await page.evaluate(() => ({
    require: typeof (globalThis as Record<string, unknown>).require,
    process: typeof (globalThis as Record<string, unknown>).process,
    ipcRenderer: typeof (globalThis as Record<string, unknown>).ipcRenderer,
  }))
  expect(globals).toEqual({ require: 'undefined', process: 'undefined', ipcRenderer: 'undefined' })
})

test('the token leaves the address bar once the page has it, and a reload still works', async ({
  page,
  host,
}) => {
  await page.goto(host.url)
  await expect(page.getByTestId('lab-card-ping-pong')).toBeVisible()
  // Not on the projector, not in a screenshot, not in the history.
  await expect.poll(() => page.url()).not.toContain('token=')
  await page.reload()
  await expect(page.getByTestId('lab-card-ping-pong')).toBeVisible()
  await page.getByTestId('lab-card-ping-pong').click()
  await expect(page.getByRole('heading', { name: 'Ping-pong', exact: true })).toBeVisible()
  expect(page.url()).not.toContain('token=')
})
