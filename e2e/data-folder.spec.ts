import { mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, snap, test } from './fixtures'
import { makeUserDataDir, startHost } from './host'
import { openProtocolLab } from './journeys/protocol'

const lockOf = async (dir: string) =>
  JSON.parse(await readFile(join(dir, 'socket-labs.lock'), 'utf8')) as { pid: number }

test('a second host on the same data folder says where the first runs, exits, and touches nothing', async ({
  host,
  userDataDir,
}) => {
  // Something the second one would set aside if it read progress.
  await writeFile(join(userDataDir, 'progress.json'), '{"not": "progress"')
  const { pid } = await lockOf(userDataDir)
  await expect(startHost(userDataDir)).rejects.toThrow(
    `exited (3) before printing its address: Socket Labs is already running at http://127.0.0.1:${host.port}/ (pid ${pid},`,
  )
  expect((await readdir(userDataDir)).sort()).toEqual(['progress.json', 'socket-labs.lock'])

  // A host killed without a chance to clean up leaves a stale lock: the next start takes it.
  process.kill(pid, 'SIGKILL')
  await host.stop()
  const next = await startHost(userDataDir)
  expect((await lockOf(userDataDir)).pid).not.toBe(pid)
  await next.stop()
})

test('a save that cannot reach the disk shows "Progress not saved", and the banner goes once it can', async ({
  page,
}) => {
  const data = await makeUserDataDir()
  const progressPath = join(data.dir, 'progress.json')
  await mkdir(progressPath)
  const host = await startHost(data.dir)
  try {
    expect(host.notice).toContain(`${progressPath} could not be read: it is a folder`)
    await page.goto(host.url)
    await expect(page.getByTestId('notice')).toContainText('it is a folder, not a file')
    await openProtocolLab(page)
    await page.getByTestId('worksheet-answer-ending').fill('The client closes first.')
    await expect(page.getByTestId('not-saved')).toContainText(
      'Progress not saved: ' + progressPath + ' could not be read (it is a folder, not a file)',
    )

    await snap(page, 'progress-not-saved')

    await rmdir(progressPath)
    await page
      .getByTestId('worksheet-answer-ending')
      .fill('The client closes first, then the server.')
    await expect(page.getByTestId('not-saved')).toHaveCount(0)
    // Main's own retry may save the earlier answer first; the edit is saved after its pause.
    await expect(page.getByTestId('worksheet-save-state')).toHaveAttribute('data-state', 'saved')
    await expect
      .poll(async () => JSON.parse(await readFile(progressPath, 'utf8')).labs.protocol.worksheet)
      .toMatchObject({ answers: { ending: 'The client closes first, then the server.' } })
  } finally {
    await host.stop()
    await data.remove()
  }
})
