import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { launchChromium } from './browser'

export interface ColdStartResult {
  /** Process start until the host printed its address. */
  hostReadyMs: number
  /** Process start until the lab list is rendered in the page. */
  labListMs: number
}

const root = join(import.meta.dirname, '..')

/** Cold start of the browser host, as `npm start` runs it, to the rendered lab list. */
export async function benchColdStart(runs = 5): Promise<ColdStartResult> {
  const browser = await launchChromium()
  const ready: number[] = []
  const listed: number[] = []
  try {
    for (let i = 0; i < runs; i++) {
      const dir = await mkdtemp(join(tmpdir(), 'socket-labs-cold-'))
      const page = await browser.newPage()
      const started = performance.now()
      const child = spawn(
        process.execPath,
        [join(root, 'out/main/host.js'), '--port', '0', '--json', '--user-data', dir],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      )
      const line = await new Promise<string>((resolve) =>
        createInterface({ input: child.stdout! }).once('line', resolve),
      )
      ready.push(performance.now() - started)
      await page.goto((JSON.parse(line) as { url: string }).url)
      await page.getByTestId('lab-card-ping-pong').waitFor()
      listed.push(performance.now() - started)
      await page.close()
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
      await rm(dir, { recursive: true, force: true })
    }
  } finally {
    await browser.close()
  }
  const median = (xs: number[]) =>
    Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!)
  return { hostReadyMs: median(ready), labListMs: median(listed) }
}
