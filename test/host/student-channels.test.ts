import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { connect as tcpConnect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { HostMessage } from '@shared/browser-wire'
import type { ProgramStatus } from '@shared/workspace'
import { AppCore } from '../../src/main/core/app-core'
import { startBrowserHost, type BrowserHost } from '../../src/main/browser-host/browser-host'

// The browser host can now run programs: only the page that holds the run's token reaches
// program:run. Every other way in is refused before anything runs.

const labsDir = join(import.meta.dirname, '../../labs')
let dir: string
let core: AppCore
let host: BrowserHost
let marker: string
let exits: Map<string, unknown>

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'socket-labs-host-student-'))
  const rendererDir = join(dir, 'renderer')
  await mkdir(rendererDir, { recursive: true })
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Socket Labs</title>')
  core = await AppCore.create({ labsDir, userDataDir: join(dir, 'user') })
  host = await startBrowserHost({ core, rendererDir, port: 0 })
  exits = new Map()
  core.subscribe((channel, payload) => {
    if (channel !== 'program:status') return
    const status = payload as ProgramStatus
    if (status.state === 'exited') exits.set(status.programId, status)
  })
  // A program that leaves a mark when it runs: the proof that it ran, or did not.
  marker = join(dir, 'ran.txt')
  const write = await core.invoke('workspace:write', {
    labId: 'counter',
    name: 'mark.py',
    text: `open(${JSON.stringify(marker)}, "w").write("ran")\n`,
  })
  expect(write.ok).toBe(true)
})

afterEach(async () => {
  await host.close()
  await core.dispose()
  await rm(dir, { recursive: true, force: true })
})

const base = () => `http://127.0.0.1:${host.port}`
const runArgs = { labId: 'counter', name: 'mark.py' }
const invokeText = JSON.stringify({ type: 'invoke', id: 1, channel: 'program:run', args: runArgs })

function socket(token: string | undefined, origin = base()) {
  const query = token === undefined ? '' : `?token=${token}`
  return new WebSocket(`ws://127.0.0.1:${host.port}/ipc${query}`, { headers: { origin } })
}

/** Opens the socket and sends program:run at once; resolves with how it went. */
function tryRun(ws: WebSocket): Promise<{ status?: number; reply?: unknown }> {
  return new Promise((resolve) => {
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }))
    ws.once('error', () => resolve({}))
    ws.once('open', () => ws.send(invokeText))
    ws.on('message', (raw) => {
      const msg = JSON.parse(raw.toString()) as HostMessage
      if (msg.type === 'reply') resolve({ reply: msg.reply })
    })
  })
}

/** A raw HTTP request; resolves with the status line. */
function raw(request: string): Promise<string> {
  return new Promise((resolve) => {
    const s = tcpConnect(host.port, '127.0.0.1', () => s.write(request))
    let got = ''
    s.on('data', (d) => (got += d.toString()))
    s.on('close', () => resolve(got.split('\r\n')[0] ?? ''))
    s.on('error', () => resolve(got))
  })
}

describe('program:run over the browser host', () => {
  it('is refused to a WebSocket without the token, with a wrong one, or from another page', async () => {
    for (const [token, origin] of [
      [undefined, base()],
      ['', base()],
      ['x'.repeat(32), base()],
      [host.token, 'http://evil.example'],
      [host.token, 'null'],
    ] as const) {
      const outcome = await tryRun(socket(token, origin))
      expect(outcome, `${token} ${origin}`).toEqual({ status: 403 })
    }
    expect(
      await raw(
        `POST /ipc HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nContent-Type: application/json\r\nContent-Length: ${invokeText.length}\r\nConnection: close\r\n\r\n${invokeText}`,
      ),
    ).toMatch(/ 405 /)
    expect((await fetch(`${base()}/ipc?channel=program:run`)).status).not.toBe(200)
    expect((await core.invoke('program:list', { labId: 'counter' })) as unknown).toEqual({
      ok: true,
      value: [],
    })
    expect(existsSync(marker)).toBe(false)
  })

  it('runs for the page that holds the token (the same request, so the refusals above mean something)', async () => {
    const outcome = await tryRun(socket(host.token))
    expect(outcome.reply).toMatchObject({ ok: true, value: { state: 'running' } })
    const programId = (outcome.reply as { value: { programId: string } }).value.programId
    await expect.poll(() => exits.get(programId), { interval: 20 }).toBeDefined()
    const exited = exits.get(programId)
    expect(exited).toMatchObject({ exit: { code: 0 } })
    expect(existsSync(marker)).toBe(true)
  })
})
