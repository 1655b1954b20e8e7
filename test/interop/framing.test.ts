import { once } from 'node:events'
import { createServer, type Server } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import type { ActorOptions } from '@shared/actors'
import { calcRequest } from '../../src/main/net/framing/framing-reads'
import { LabSession } from '../../src/main/session/lab-session'
import { freeTcpPort, runPython, stopAllPython } from './python'

const PROTOCOL_DIR = fileURLToPath(new URL('../../labs/protocol/', import.meta.url))
const HOST = '127.0.0.1'
const sessions: LabSession[] = []
const servers: Server[] = []

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()))
  await stopAllPython()
  await Promise.all(
    servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
  )
})

function session() {
  const s = new LabSession('protocol', { flushMs: 1 })
  sessions.push(s)
  return s
}

/** A stand-in for the calculator: answers each line with `OK <line>\n`, one write per reply. */
async function lineServer(): Promise<number> {
  const server = createServer((socket) => {
    let pending = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      pending += chunk
      for (let nl = pending.indexOf('\n'); nl !== -1; nl = pending.indexOf('\n')) {
        socket.write(`OK ${pending.slice(0, nl)}\n`)
        pending = pending.slice(nl + 1)
      }
    })
    socket.on('error', () => undefined)
  })
  servers.push(server)
  server.listen({ host: HOST, port: 0 })
  await once(server, 'listening')
  const address = server.address()
  return typeof address === 'object' && address ? address.port : 0
}

/** The app's framing relay in front of a fresh line server; returns the relay's port. */
async function appRelay(options: Partial<ActorOptions>) {
  const target = await lineServer()
  const port = await freeTcpPort()
  const relay = session().startActor({
    kind: 'framing-relay',
    host: HOST,
    port,
    options: { targetPort: target, ...options },
  })
  await relay.ready
  return port
}

/** framing_relay.py in front of a fresh line server; returns the relay's port. */
async function pythonRelay(args: (string | number)[]) {
  const target = await lineServer()
  const port = await freeTcpPort()
  const py = runPython(
    'framing_relay.py',
    ['--port', port, '--target-port', target, ...args],
    PROTOCOL_DIR,
  )
  await py.waitForLine(/^listening on /)
  return port
}

const replyLine = (n: number) => `${calcRequest(n)} -> OK ${calcRequest(n)}`

describe('Python clients through the app’s framing relay', () => {
  it('naive_client.py reads fine when nothing is split, and misreads when the relay splits', async () => {
    const plain = runPython('naive_client.py', ['--port', await appRelay({})], PROTOCOL_DIR)
    expect((await plain.exited).code).toBe(0)
    expect(plain.stdout).toMatch(/^0 of 5 reads were not exactly one reply line$/m)
    expect(plain.stdout).toContain(`1+1 -> b'OK 1+1\\n'`)

    const split = runPython(
      'naive_client.py',
      ['--port', await appRelay({ splitBytes: 3 })],
      PROTOCOL_DIR,
    )
    expect((await split.exited).code).toBe(0)
    const misread = /^(\d) of 5 reads were not exactly one reply line$/m.exec(split.stdout)
    expect(misread, split.transcript()).not.toBeNull()
    expect(Number(misread![1])).toBeGreaterThan(0)
    expect(split.stdout).toContain('^ that is not exactly one reply line')
  })

  it('line_client.py pairs every reply with its expression through splits and merges', async () => {
    for (const options of [{ splitBytes: 3 }, { splitBytes: 2, mergeMs: 30 }]) {
      const py = runPython(
        'line_client.py',
        ['--port', await appRelay(options), '--count', 7],
        PROTOCOL_DIR,
      )
      expect((await py.exited).code, py.transcript()).toBe(0)
      const lines = py.stdout.trim().split('\n')
      expect(lines).toEqual([
        ...[0, 1, 2, 3, 4, 5, 6].map(replyLine),
        'all 7 replies read line by line',
      ])
    }
  })
})

describe('the app’s clients through framing_relay.py', () => {
  it('the line client copes with framing_relay.py --split 3, the naive client does not', async () => {
    const port = await pythonRelay(['--split', 3])
    const s = session()
    const line = s.startActor({ kind: 'line-client', host: HOST, port })
    const lineStatus = await line.done
    expect(lineStatus.state).toBe('finished')
    expect(lineStatus.message).toMatch(/^All 5 replies matched their requests/)
    const naive = s.startActor({ kind: 'naive-client', host: HOST, port })
    const naiveStatus = await naive.done
    expect(naiveStatus.state).toBe('finished')
    expect(naiveStatus.message).toMatch(/^[1-5] of 5 replies were mismatched/)
  })

  it('framing_relay.py merges what arrives within its window and passes the FIN on', async () => {
    const port = await pythonRelay(['--merge-ms', 50, '--split', 4])
    const s = session()
    const line = s.startActor({ kind: 'line-client', host: HOST, port, options: { count: 3 } })
    expect((await line.done).state).toBe('finished')
    const chunks = s.trace.filter((e) => e.actor === line.id && e.op === 'recv')
    expect(chunks.map((e) => e.payload).join('')).toBe(
      [0, 1, 2].map((n) => `OK ${calcRequest(n)}\\n`).join(''),
    )
    expect(chunks.every((e) => e.bytes! <= 4)).toBe(true)
  })
})
