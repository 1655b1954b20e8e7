import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { MAX_INVOKE_BYTES } from '@shared/browser-wire'
import { AppCore } from '../../src/main/core/app-core'
import {
  startBrowserHost,
  type BrowserHost,
  type BrowserHostOptions,
} from '../../src/main/browser-host/browser-host'
import { closedWithin, frame, rawRequest, rawWebSocket, statusOf } from './raw-clients'

const labsDir = join(import.meta.dirname, '../../labs')
let dir: string
let rendererDir: string
let core: AppCore
let host: BrowserHost
const errors: Error[] = []

async function start(extra: Partial<BrowserHostOptions> = {}) {
  host = await startBrowserHost({
    core,
    rendererDir,
    port: 0,
    onError: (e) => errors.push(e),
    ...extra,
  })
}

beforeEach(async () => {
  errors.length = 0
  dir = await mkdtemp(join(tmpdir(), 'socket-labs-hostile-'))
  rendererDir = join(dir, 'renderer')
  await mkdir(rendererDir, { recursive: true })
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Socket Labs</title>')
  core = await AppCore.create({ labsDir, userDataDir: join(dir, 'user') })
})

afterEach(async () => {
  await host?.close()
  await core.dispose()
  await rm(dir, { recursive: true, force: true })
})

/** The real page still loads: the host survived whatever came before. */
async function pageStillLoads() {
  const page = await fetch(host.url)
  expect(page.status).toBe(200)
}

describe('malformed requests get 400 and the host stays up', () => {
  beforeEach(() => start())

  it('a request line whose target is not a URL (`GET //[`), no token needed', async () => {
    const reply = await rawRequest(host.port, 'GET //[ HTTP/1.1\r\nHost: x\r\n\r\n')
    expect(statusOf(reply)).toBe(400)
    await pageStillLoads()
  })

  it('the same target on a WebSocket upgrade', async () => {
    const reply = await rawRequest(
      host.port,
      `GET //[ HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    )
    expect(statusOf(reply)).toBe(400)
    await pageStillLoads()
  })

  it('garbage that is not HTTP at all', async () => {
    const reply = await rawRequest(host.port, '\x00\x01\xff nonsense\r\n\r\n')
    expect(statusOf(reply)).toBe(400)
    await pageStillLoads()
  })
})

describe('the Host header (DNS rebinding)', () => {
  beforeEach(() => start())

  it('refuses a name other than 127.0.0.1:PORT or localhost:PORT, with the address to use', async () => {
    const reply = await rawRequest(
      host.port,
      `GET /?token=${host.token} HTTP/1.1\r\nHost: evil.example:${host.port}\r\n\r\n`,
    )
    expect(statusOf(reply)).toBe(421)
    expect(reply).toContain(`http://127.0.0.1:${host.port}/`)
    const localhost = await rawRequest(
      host.port,
      `GET /?token=${host.token} HTTP/1.1\r\nHost: localhost:${host.port}\r\n\r\n`,
    )
    expect(statusOf(localhost)).toBe(200)
  })

  it('refuses a WebSocket upgrade under another name even with the token and origin', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ipc?token=${host.token}`, {
      headers: { host: `rebound.example:${host.port}`, origin: `http://127.0.0.1:${host.port}` },
    })
    const status = await new Promise<number>((resolve) =>
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    )
    expect(status).toBe(421)
  })
})

describe('tokens, cookies and headers', () => {
  it('refuses an empty or short token', async () => {
    await expect(startBrowserHost({ core, rendererDir, token: '' })).rejects.toThrow(
      /at least 16 characters/,
    )
    await expect(startBrowserHost({ core, rendererDir, token: 'short' })).rejects.toThrow(
      /at least 16/,
    )
    await start()
  })

  it('sends Referrer-Policy: no-referrer on pages and on errors', async () => {
    await start()
    expect((await fetch(host.url)).headers.get('referrer-policy')).toBe('no-referrer')
    const denied = await fetch(`http://127.0.0.1:${host.port}/`)
    expect(denied.status).toBe(403)
    expect(denied.headers.get('referrer-policy')).toBe('no-referrer')
  })

  it('lets a reload in with the cookie the page got, and only for this port', async () => {
    await start()
    const page = await fetch(host.url)
    const cookie = page.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    const pair = cookie.split(';')[0]!
    const reload = await fetch(`http://127.0.0.1:${host.port}/`, { headers: { cookie: pair } })
    expect(reload.status).toBe(200)
    const otherPort = pair.replace(/^socket_labs_\d+/, 'socket_labs_1')
    const wrong = await fetch(`http://127.0.0.1:${host.port}/`, { headers: { cookie: otherPort } })
    expect(wrong.status).toBe(403)
  })
})

describe('bad WebSocket frames close only their own socket', () => {
  beforeEach(() => start())

  const cases: [string, () => Buffer][] = [
    [
      'invalid UTF-8 in a text frame',
      () => frame({ opcode: 1, payload: Buffer.from([0xc3, 0x28]) }),
    ],
    ['an unmasked frame', () => frame({ opcode: 1, masked: false, payload: Buffer.from('{}') })],
    ['a reserved opcode', () => frame({ opcode: 3, payload: Buffer.from('x') })],
    [
      'an RSV bit without an extension',
      () => frame({ opcode: 1, rsv: 4, payload: Buffer.from('x') }),
    ],
    ['a ping over 125 bytes', () => frame({ opcode: 9, payload: Buffer.alloc(200, 1) })],
    [
      'a message over the limit',
      () => frame({ opcode: 1, payload: Buffer.alloc(8), declaredLength: MAX_INVOKE_BYTES + 1 }),
    ],
    [
      'a fragmented control frame',
      () => frame({ opcode: 8, fin: false, payload: Buffer.alloc(0) }),
    ],
  ]

  it.each(cases)('%s', async (_name, make) => {
    const bystander = new WebSocket(`ws://127.0.0.1:${host.port}/ipc?token=${host.token}`, {
      headers: { origin: `http://127.0.0.1:${host.port}` },
    })
    await new Promise((resolve) => bystander.once('open', resolve))
    const socket = await rawWebSocket(host.port, host.token)
    socket.write(make())
    expect(await closedWithin(socket, 5000)).toBe(true)
    // The other tab is untouched and still answered.
    const reply = await new Promise<{ reply: { ok: boolean } }>((resolve) => {
      bystander.once('message', (raw) => resolve(JSON.parse(raw.toString())))
      bystander.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'labs:list', args: {} }))
    })
    expect(reply.reply.ok).toBe(true)
    bystander.close()
    await pageStillLoads()
  })
})

describe('caps', () => {
  it('a flood of idle connections does not lock the page out', async () => {
    await start({ maxConnections: 8 })
    const idle: Socket[] = []
    for (let i = 0; i < 60; i++) {
      const s = connect(host.port, '127.0.0.1')
      s.on('error', () => undefined)
      idle.push(s)
    }
    await Promise.all(idle.map((s) => new Promise((r) => s.once('connect', r))))
    await pageStillLoads()
    // The oldest idle ones were let go to make room.
    const closed = await Promise.all(idle.slice(0, 40).map((s) => closedWithin(s, 5000)))
    expect(closed.every(Boolean)).toBe(true)
    for (const s of idle) s.destroy()
  })

  it('a connected tab is never the one let go', async () => {
    await start({ maxConnections: 4 })
    const tab = new WebSocket(`ws://127.0.0.1:${host.port}/ipc?token=${host.token}`, {
      headers: { origin: `http://127.0.0.1:${host.port}` },
    })
    await new Promise((resolve) => tab.once('open', resolve))
    const flood: Socket[] = []
    for (let i = 0; i < 30; i++) {
      const s = connect(host.port, '127.0.0.1')
      s.on('error', () => undefined)
      flood.push(s)
      await new Promise((r) => s.once('connect', r))
    }
    const reply = await new Promise<{ reply: { ok: boolean } }>((resolve) => {
      tab.once('message', (raw) => resolve(JSON.parse(raw.toString())))
      tab.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'labs:list', args: {} }))
    })
    expect(reply.reply.ok).toBe(true)
    tab.close()
    for (const s of flood) s.destroy()
  })

  it('refuses a tab over the limit with 503', async () => {
    await start({ maxPages: 2 })
    const open = () =>
      new WebSocket(`ws://127.0.0.1:${host.port}/ipc?token=${host.token}`, {
        headers: { origin: `http://127.0.0.1:${host.port}` },
      })
    const tabs = [open(), open()]
    await Promise.all(tabs.map((t) => new Promise((r) => t.once('open', r))))
    const third = open()
    const status = await new Promise<number>((resolve) =>
      third.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    )
    expect(status).toBe(503)
    for (const t of tabs) t.close()
  })
})

it('reports nothing unexpected through onError during these tests', () => {
  expect(errors).toEqual([])
})

describe('a tab that joins while progress cannot be saved', () => {
  it('is told at once, not at the next retry', async () => {
    // A folder where progress.json should be: every save fails until it is moved away.
    await core.dispose()
    await mkdir(join(dir, 'user2', 'progress.json'), { recursive: true })
    core = await AppCore.create({ labsDir, userDataDir: join(dir, 'user2') })
    await start()
    const saved = await core.invoke('worksheet:save', {
      labId: 'protocol',
      worksheet: { answers: { transport: 'x' }, choices: {} },
    })
    expect(saved.ok).toBe(false)
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ipc?token=${host.token}`, {
      headers: { origin: `http://127.0.0.1:${host.port}` },
    })
    // Told before anything else the tab asks gets answered (a retry would come seconds later).
    type Message = { type: string; channel?: string; payload?: { saved: boolean } }
    const seen: Message[] = []
    const answered = new Promise<void>((resolve) => {
      ws.on('message', (raw) => {
        const message = JSON.parse(raw.toString()) as Message
        seen.push(message)
        if (message.type === 'reply') resolve()
      })
    })
    await new Promise((resolve) => ws.once('open', resolve))
    ws.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'labs:list', args: {} }))
    await answered
    const status = seen.find((m) => m.channel === 'progress:saveStatus')
    expect(status?.payload?.saved).toBe(false)
    ws.close()
  })
})
