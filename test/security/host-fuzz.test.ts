import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { invokeChannels } from '@shared/ipc'
import { AppCore } from '../../src/main/core/app-core'
import { startBrowserHost, type BrowserHost } from '../../src/main/browser-host/browser-host'
import { closedWithin, frame, rawRequest, rawWebSocket, statusOf } from '../host/raw-clients'

/**
 * Fuzzing the browser host over real loopback sockets: generated request lines and headers,
 * generated WebSocket frames, and well-framed invokes with generated channels and arguments.
 * The host must answer each with a status or a close, never die, and still serve its page.
 * Seeds are fixed, so a failure replays; FUZZ_SEED=n explores others.
 */
const seed = Number(process.env.FUZZ_SEED ?? 20261204)
let dir: string
let core: AppCore
let host: BrowserHost
const hostErrors: Error[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'socket-labs-fuzz-'))
  const rendererDir = join(dir, 'renderer')
  await mkdir(rendererDir, { recursive: true })
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Socket Labs</title>')
  core = await AppCore.create({
    labsDir: join(import.meta.dirname, '../../labs'),
    userDataDir: join(dir, 'user'),
  })
  host = await startBrowserHost({ core, rendererDir, port: 0, onError: (e) => hostErrors.push(e) })
})

afterAll(async () => {
  await host.close()
  await core.dispose()
  await rm(dir, { recursive: true, force: true })
})

async function pageStillLoads() {
  expect((await fetch(host.url)).status).toBe(200)
}

/** Runs `tasks` with at most `width` at once. */
async function inBatches<T>(items: T[], width: number, run: (item: T) => Promise<void>) {
  for (let i = 0; i < items.length; i += width) {
    await Promise.all(items.slice(i, i + width).map(run))
  }
}

const byteString = (max: number) =>
  fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a).toString('latin1'))
const token = fc.stringMatching(/^[!-~]{1,12}$/)

describe('HTTP request lines and headers', () => {
  it('answers 1,000 generated requests with a status and stays up', async () => {
    const request = fc.oneof(
      // Arbitrary bytes where the request line goes. (Only blank lines would be no request
      // at all: HTTP skips them and waits, until the headers timeout closes the socket.)
      byteString(200)
        .filter((junk) => /[^\r\n]/.test(junk))
        .map((junk) => `${junk}\r\n\r\n`),
      // A plausible shape with hostile parts.
      fc
        .record({
          method: fc.oneof(
            fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'OPTIONS', 'TRACE'),
            token,
          ),
          target: fc.oneof(
            fc.constantFrom(
              '/',
              '//[',
              '/%',
              '/%zz',
              '/../../etc/passwd',
              '/?token=',
              '*',
              'http://x/',
            ),
            byteString(60).map((s) => '/' + s.replace(/[\s]/g, '')),
          ),
          version: fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/9.9', 'HTTP/1.1 extra'),
          headers: fc.array(fc.tuple(token, byteString(80)), { maxLength: 6 }),
          host: fc.constantFrom('127.0.0.1', 'localhost', 'evil.example', ''),
        })
        .map(
          ({ method, target, version, headers, host: h }) =>
            `${method} ${target} ${version}\r\nHost: ${h}\r\n` +
            headers.map(([k, v]) => `${k}: ${v.replace(/\r|\n/g, '')}\r\n`).join('') +
            '\r\n',
        ),
    )
    const requests = fc.sample(request, { numRuns: 1000, seed })
    const statuses = new Map<number, number>()
    await inBatches(requests, 25, async (text) => {
      const status = statusOf(await rawRequest(host.port, Buffer.from(text, 'latin1'), 3000))
      statuses.set(status, (statuses.get(status) ?? 0) + 1)
    })
    // Every request got a real HTTP status, and none reached the page without the token.
    expect([...statuses.keys()].every((s) => s >= 400 && s < 600)).toBe(true)
    await pageStillLoads()
  })
})

describe('WebSocket frames', () => {
  it('survives 500 connections of 1 to 5 generated raw frames, each closing only itself', async () => {
    const spec = fc.record({
      fin: fc.boolean(),
      rsv: fc.integer({ min: 0, max: 7 }),
      opcode: fc.integer({ min: 0, max: 15 }),
      masked: fc.boolean(),
      payload: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
      declaredLength: fc.option(fc.integer({ min: 0, max: 4_000_000 }), { nil: undefined }),
    })
    // A few frames per connection: a stream of them, until the host gives up on it.
    const streams = fc.sample(fc.array(spec, { minLength: 1, maxLength: 5 }), {
      numRuns: 500,
      seed,
    })
    let frames = 0
    await inBatches(streams, 10, async (stream) => {
      const socket = await rawWebSocket(host.port, host.token)
      for (const f of stream) {
        if (socket.destroyed) break
        socket.write(frame(f))
        frames++
      }
      socket.end()
      await closedWithin(socket, 3000)
      socket.destroy()
    })
    expect(frames).toBeGreaterThanOrEqual(1400)
    await pageStillLoads()
  })

  it('answers 8,000 generated invokes with an envelope, never a crash', async () => {
    const channels = Object.keys(invokeChannels)
    const json = fc.jsonValue({ maxDepth: 3 })
    const args = fc.oneof(
      json,
      fc.record({
        labId: fc.oneof(fc.constantFrom('ping-pong', 'counter', 'protocol'), fc.string()),
      }),
      fc.record({
        labId: fc.constantFrom('ping-pong', 'protocol'),
        checks: fc.array(json, { maxLength: 3 }),
        worksheet: json,
        kind: fc.oneof(fc.string(), fc.constantFrom('tcp-server', 'udp-client')),
        host: fc.oneof(fc.string(), fc.constantFrom('127.0.0.1', '0.0.0.0', '::1')),
        port: fc.oneof(fc.integer(), fc.constant(0), fc.constant(80)),
      }),
    )
    const invoke = fc.record({
      channel: fc.oneof(
        fc.constantFrom(...channels),
        fc.string(),
        fc.constantFrom('__proto__', 'constructor'),
      ),
      args,
    })
    // Never start real programs from the fuzzer: actor:start would open real sockets.
    const sample = fc
      .sample(invoke, { numRuns: 8000, seed })
      .filter((m) => m.channel !== 'actor:start' && m.channel !== 'checks:run')
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ipc?token=${host.token}`, {
      headers: { origin: `http://127.0.0.1:${host.port}` },
    })
    await new Promise((resolve) => ws.once('open', resolve))
    const replies = new Map<number, { ok: boolean }>()
    const allIn = new Promise<void>((resolve) => {
      ws.on('message', (raw) => {
        const msg = JSON.parse(raw.toString()) as {
          type: string
          id: number
          reply: { ok: boolean }
        }
        if (msg.type !== 'reply') return
        replies.set(msg.id, msg.reply)
        if (replies.size === sample.length) resolve()
      })
    })
    sample.forEach((m, id) => ws.send(JSON.stringify({ type: 'invoke', id, ...m })))
    await allIn
    expect(replies.size).toBe(sample.length)
    expect(sample.length).toBeGreaterThan(7000)
    ws.close()
    await pageStillLoads()
  })

  it('reported no internal error while fuzzed', () => {
    expect(hostErrors).toEqual([])
  })
})
