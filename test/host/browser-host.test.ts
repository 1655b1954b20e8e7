import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { HostMessage } from '@shared/browser-wire'
import { packedLength, type PackedTrace } from '@shared/trace-wire'
import { AppCore } from '../../src/main/core/app-core'
import { startBrowserHost, type BrowserHost } from '../../src/main/browser-host/browser-host'

const labsDir = join(import.meta.dirname, '../../labs')
let dir: string
let core: AppCore
let host: BrowserHost

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'socket-labs-host-'))
  const rendererDir = join(dir, 'renderer')
  await mkdir(join(rendererDir, 'assets'), { recursive: true })
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Socket Labs</title>')
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
  await writeFile(join(dir, 'secret.txt'), 'not for you')
  core = await AppCore.create({ labsDir, userDataDir: join(dir, 'user') })
  host = await startBrowserHost({ core, rendererDir, port: 0 })
})

afterEach(async () => {
  await host.close()
  await core.dispose()
  await rm(dir, { recursive: true, force: true })
})

const base = () => `http://127.0.0.1:${host.port}`

function connect(opts: { token?: string; origin?: string } = {}) {
  const token = opts.token ?? host.token
  return new WebSocket(`ws://127.0.0.1:${host.port}/ipc?token=${token}`, {
    headers: { origin: opts.origin ?? base() },
  })
}

function opened(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
}

function refused(ws: WebSocket): Promise<number> {
  return new Promise((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.once('open', () => reject(new Error('the host accepted a socket it should have refused')))
  })
}

/** Sends an invoke and resolves with the reply envelope. */
function invoke(ws: WebSocket, id: number, channel: string, args: unknown) {
  return new Promise<unknown>((resolve) => {
    const onMessage = (raw: WebSocket.RawData) => {
      const msg = JSON.parse(raw.toString()) as HostMessage
      if (msg.type === 'reply' && msg.id === id) {
        ws.off('message', onMessage)
        resolve(msg.reply)
      }
    }
    ws.on('message', onMessage)
    ws.send(JSON.stringify({ type: 'invoke', id, channel, args }))
  })
}

describe('browser host', () => {
  it('listens on 127.0.0.1 only and prints a URL with the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`)
    expect(host.token.length).toBeGreaterThanOrEqual(32)
  })

  it('serves the page only with the token, and sends a CSP', async () => {
    expect((await fetch(`${base()}/`)).status).toBe(403)
    expect((await fetch(`${base()}/?token=wrong`)).status).toBe(403)
    const page = await fetch(host.url)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(await page.text()).toContain('Socket Labs')
    expect((await fetch(`${base()}/assets/app.js`)).status).toBe(200)
  })

  it('never serves files outside the renderer folder', async () => {
    const res = await fetch(`${base()}/..%2fsecret.txt`)
    expect(res.status).not.toBe(200)
    expect(await res.text()).not.toContain('not for you')
  })

  it('refuses a WebSocket without the token or from another origin', async () => {
    expect(await refused(connect({ token: 'nope' }))).toBe(403)
    expect(await refused(connect({ origin: 'http://evil.example' }))).toBe(403)
    expect(await refused(connect({ origin: 'null' }))).toBe(403)
  })

  it('answers invokes over the WebSocket and validates their payloads', async () => {
    const ws = connect()
    await opened(ws)
    const list = (await invoke(ws, 1, 'labs:list', {})) as {
      ok: boolean
      value: { labs: { id: string }[] }
    }
    expect(list.ok).toBe(true)
    expect(list.value.labs.map((l) => l.id)).toContain('ping-pong')
    const bad = (await invoke(ws, 2, 'actor:start', {
      labId: 'ping-pong',
      kind: 'tcp-server',
      host: '127.0.0.1',
      port: 80,
    })) as { ok: boolean; error: { code: string; message: string } }
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } })
    expect(bad.error.message).toMatch(/port: .*privileged/)
    const unknown = (await invoke(ws, 3, 'fs:read', { path: '/etc/passwd' })) as { ok: boolean }
    expect(unknown.ok).toBe(false)
    ws.close()
  })

  it('closes the socket on a malformed message', async () => {
    const ws = connect()
    await opened(ws)
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
    ws.send('this is not json')
    expect(await closed).toBe(1008)
  })

  it('pushes trace events in batches', async () => {
    const ws = connect()
    await opened(ws)
    const batches: number[] = []
    let events = 0
    const sawClientFinish = new Promise<void>((resolve) => {
      ws.on('message', (raw) => {
        const msg = JSON.parse(raw.toString()) as HostMessage
        if (msg.type !== 'event') return
        if (msg.channel === 'trace:batch') {
          const n = packedLength((msg.payload as { trace: PackedTrace }).trace)
          batches.push(n)
          events += n
        }
        const status = msg.payload as { kind?: string; state?: string }
        if (
          msg.channel === 'actor:status' &&
          status.kind === 'tcp-client' &&
          status.state === 'finished'
        )
          resolve()
      })
    })
    const port = await freeTcpPort()
    await invoke(ws, 1, 'session:open', { labId: 'ping-pong' })
    const started = (await invoke(ws, 2, 'actor:start', {
      labId: 'ping-pong',
      kind: 'tcp-server',
      host: '127.0.0.1',
      port,
    })) as { ok: boolean }
    expect(started.ok).toBe(true)
    await invoke(ws, 3, 'actor:start', {
      labId: 'ping-pong',
      kind: 'tcp-client',
      host: '127.0.0.1',
      port,
    })
    await sawClientFinish
    expect(events).toBeGreaterThanOrEqual(20)
    expect(batches.length).toBeLessThan(events)
    ws.close()
  })
})

async function freeTcpPort(): Promise<number> {
  const { createServer } = await import('node:net')
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
