import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AppCore } from '../src/main/core/app-core'
import { startBrowserHost } from '../src/main/browser-host/browser-host'
import type { TraceEvent } from '../src/shared/trace'
import { launchChromium } from './browser'

export interface DeliveryResult {
  events: number
  seconds: number
  eventsPerSecond: number
  longestTaskMs: number
  longTasksOver50ms: number
  /** After the flood: typing in the log filter until the filtered rows show. */
  filterResponseMs: number
  /** Diagnostics: the lab step the page showed, and each long task (ms) while events arrived. */
  step: string
  longTasksMs: number[]
}

/**
 * The step the page shows. The measure is taken on tcp-flow, whose live diagram leaves these
 * UDP events to the event log; SOCKET_LABS_BENCH_STEP=udp-flow (a diagnostic) makes the live
 * diagram draw every one of them as well.
 */
const step = process.env.SOCKET_LABS_BENCH_STEP ?? 'tcp-flow'

const root = join(import.meta.dirname, '..')

/**
 * 100,000 trace events pushed through the browser host into the renderer in Chromium, as
 * fast as main can record them: how fast they arrive, and whether the page stays usable.
 */
export async function benchTraceDelivery(total = 100_000): Promise<DeliveryResult> {
  const dir = await mkdtemp(join(tmpdir(), 'socket-labs-bench-'))
  const core = await AppCore.create({ labsDir: join(root, 'labs'), userDataDir: dir })
  const host = await startBrowserHost({ core, rendererDir: join(root, 'out/renderer') })
  const browser = await launchChromium()
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await page.addInitScript(() => {
      const w = window as unknown as { __longTasks: number[] }
      w.__longTasks = []
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.__longTasks.push(entry.duration)
      }).observe({ type: 'longtask', buffered: true })
    })
    await page.goto(`${host.url}#/lab/ping-pong/${step}`)
    // Start once the page has settled: the code view highlighted, the empty diagram drawn.
    await page.locator('[data-testid="code-view"][data-highlighted="true"]').waitFor()
    await page.evaluate(() => ((window as unknown as { __longTasks: number[] }).__longTasks = []))
    const session = core.session('ping-pong')
    if (!session) throw new Error('the lab page did not open a session')

    const started = performance.now()
    // Record in bursts as a busy run would, yielding between them like real socket callbacks.
    for (let i = 0; i < total; i++) {
      session.record(fakeEvent(i))
      if (i % 5000 === 4999) await new Promise((resolve) => setImmediate(resolve))
    }
    session.flush()
    await page.waitForFunction(
      (n) =>
        document.querySelector('[data-testid="event-log"]')?.getAttribute('data-total') ===
        String(n),
      total,
      {
        timeout: 120_000,
        polling: 50,
      },
    )
    const seconds = (performance.now() - started) / 1000
    const tasks = await page.evaluate(
      () => (window as unknown as { __longTasks: number[] }).__longTasks,
    )

    const typed = performance.now()
    // One client of fifty: exactly a fiftieth of the events must remain.
    await page.getByTestId('event-log-filter').fill('udp-client#7')
    await page.waitForFunction(
      (n) =>
        document.querySelector('[data-testid="event-log"]')?.getAttribute('data-shown') ===
        String(n),
      total / 50,
    )
    const filterResponseMs = performance.now() - typed

    return {
      events: total,
      seconds: round(seconds),
      eventsPerSecond: Math.round(total / seconds),
      longestTaskMs: round(Math.max(0, ...tasks)),
      longTasksOver50ms: tasks.length,
      filterResponseMs: round(filterResponseMs),
      step,
      longTasksMs: tasks.map(round),
    }
  } finally {
    await browser.close()
    await host.close()
    await core.dispose()
    await rm(dir, { recursive: true, force: true })
  }
}

/** Realistic events: many clients pinging one UDP server. */
function fakeEvent(i: number): Omit<TraceEvent, 'seq' | 't'> {
  const client = i % 50
  const isReply = i % 2 === 1
  return {
    actor: `udp-client#${client}`,
    actorKind: 'udp-client',
    role: 'client',
    proto: 'udp',
    op: isReply ? 'recvfrom' : 'sendto',
    local: `127.0.0.1:${40000 + client}`,
    remote: '127.0.0.1:50007',
    bytes: 4,
    payload: isReply ? 'PONG' : 'PING',
    rttMs: isReply ? 0.1 + (i % 7) / 10 : undefined,
    anchor: { file: 'udp_client.py', name: isReply ? 'recvfrom' : 'sendto' },
    level: 'info',
  }
}

function round(n: number): number {
  return Math.round(n * 10) / 10
}
