import { spawn } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { readFile, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import WebSocket from 'ws'

export interface FloodResult {
  seconds: number
  datagramsSent: number
  /** Peak resident memory of the host process (VmHWM), MB. */
  peakRssMb: number
  /** The session snapshot taken after the flood: its size and what it left out. */
  snapshotMb: number
  snapshotEvents: number
  omitted: number
  /** After the flood: the page still loads, and an invoke is answered in this long. */
  pageStatus: number
  invokeMs: number
}

const root = join(import.meta.dirname, '..')

/**
 * A sustained UDP flood at a lab's UDP server in the built browser host (no token needed:
 * the server's port is a plain UDP port), then what a student does next: open the page and
 * the lab. Loopback only; the flood stops by itself after `seconds` (FLOOD_SECONDS).
 */
export async function benchFlood(
  seconds = Number(process.env.FLOOD_SECONDS ?? 60),
): Promise<FloodResult> {
  const dir = await mkdtemp(join(tmpdir(), 'socket-labs-flood-'))
  const child = spawn(
    process.execPath,
    [join(root, 'out/main/host.js'), '--port', '0', '--json', '--user-data', dir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  try {
    const line = await new Promise<string>((resolve) =>
      createInterface({ input: child.stdout! }).once('line', resolve),
    )
    const { url, port, token } = JSON.parse(line) as { url: string; port: number; token: string }
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ipc?token=${token}`, {
      headers: { origin: `http://127.0.0.1:${port}` },
      maxPayload: 512 * 1024 * 1024,
    })
    await new Promise((resolve) => ws.once('open', resolve))
    let nextId = 1
    const invoke = (channel: string, args: unknown) =>
      new Promise<{ reply: unknown; bytes: number }>((resolve) => {
        const id = nextId++
        const onMessage = (raw: WebSocket.RawData) => {
          const text = raw.toString()
          if (!text.startsWith('{"type":"reply"')) return
          const msg = JSON.parse(text) as { id: number; reply: unknown }
          if (msg.id !== id) return
          ws.off('message', onMessage)
          resolve({ reply: msg.reply, bytes: text.length })
        }
        ws.on('message', onMessage)
        ws.send(JSON.stringify({ type: 'invoke', id, channel, args }))
      })
    const serverPort = await freeUdpPort()
    await invoke('session:open', { labId: 'ping-pong' })
    await invoke('actor:start', {
      labId: 'ping-pong',
      kind: 'udp-server',
      host: '127.0.0.1',
      port: serverPort,
    })
    // The page's socket stays open, as a student's tab would; it drains the batches.
    const flooder = createSocket('udp4')
    let sent = 0
    const until = performance.now() + seconds * 1000
    await new Promise<void>((resolve) => {
      const burst = () => {
        if (performance.now() >= until) return resolve()
        for (let i = 0; i < 200; i++) {
          sent++
          flooder.send(`PING ${sent} ${'x'.repeat(sent % 40)}`, serverPort, '127.0.0.1')
        }
        setImmediate(burst)
      }
      burst()
    })
    flooder.close()
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8')
    const peakKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0)
    const snapshot = await invoke('session:open', { labId: 'ping-pong' })
    const value = (snapshot.reply as { value: { trace: unknown[]; omitted?: number } }).value
    const page = await fetch(url)
    const started = performance.now()
    await invoke('labs:list', {})
    const invokeMs = Math.round(performance.now() - started)
    ws.close()
    return {
      seconds,
      datagramsSent: sent,
      peakRssMb: Math.round(peakKb / 1024),
      snapshotMb: Math.round((snapshot.bytes / 1024 / 1024) * 10) / 10,
      snapshotEvents: value.trace.length,
      omitted: value.omitted ?? 0,
      pageStatus: page.status,
      invokeMs,
    }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
    await rm(dir, { recursive: true, force: true })
  }
}

async function freeUdpPort(): Promise<number> {
  // A TCP port that is free is almost always free for UDP too; good enough for a bench.
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
