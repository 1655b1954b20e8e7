import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import type { TraceEvent } from '@shared/trace'
import { evaluateCheckpoints } from '../../src/main/checkpoints'
import { LabSession } from '../../src/main/session/lab-session'
import { sessionHooks, waitForEvent } from '../main/helpers'
import { freeTcpPort, runPython, stopAllPython } from './python'

const MC_DIR = fileURLToPath(new URL('../../labs/multi-client/', import.meta.url))
const HOST = '127.0.0.1'
const sessions: LabSession[] = []

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()))
  await stopAllPython()
})

function session() {
  const s = new LabSession('multi-client', { flushMs: 1 })
  sessions.push(s)
  return s
}

const check = (trace: readonly TraceEvent[], kind: string, params: object = {}) =>
  evaluateCheckpoints([{ id: 'x', title: 'x', hint: 'x', rule: { kind, ...params } }], trace)[0]!

describe('Python clients against the app’s servers', () => {
  it('the sequential server serves two client.py one after another, then stops at its maximum', async () => {
    const { sink, hooks } = sessionHooks()
    const s = new LabSession('multi-client', hooks)
    sessions.push(s)
    const port = await freeTcpPort()
    const server = s.startActor({
      kind: 'sequential-server',
      host: HOST,
      port,
      options: { maxClients: 2 },
    })
    await server.ready
    const a = runPython(
      'client.py',
      ['--port', port, '--count', 3, '--pause', 0.2, '--name', 'A'],
      MC_DIR,
    )
    await a.waitForLine(/A: ping 1: PONG/)
    // A is held between two PINGs, its connection open, until B waits in the backlog: under
    // load B's Python could otherwise start only after A had finished.
    a.pause()
    const b = runPython(
      'client.py',
      ['--port', port, '--count', 2, '--pause', 0, '--name', 'B'],
      MC_DIR,
    )
    await b.waitForLine(/B: connected/)
    await waitForEvent(
      s,
      sink,
      (e) => e.op === 'note' && e.message?.includes('waits in the backlog') === true,
    )
    a.resume()
    expect((await a.exited).code).toBe(0)
    expect((await b.exited).code).toBe(0)
    expect(b.stdout).toMatch(/B: ping 2: PONG/)
    const status = await server.done
    expect(status.state).toBe('finished')
    expect(check(s.trace, 'mc-sequential-served', { count: 2 }).passed).toBe(true)
    expect(check(s.trace, 'mc-backlog-wait').passed).toBe(true)
    expect(check(s.trace, 'mc-max-clients-stop').passed).toBe(true)
  })

  it('the concurrent server serves three client.py at the same time', async () => {
    const s = session()
    const port = await freeTcpPort()
    const server = s.startActor({ kind: 'concurrent-server', host: HOST, port })
    await server.ready
    const names = ['A', 'B', 'C']
    const programs = names.map((name) =>
      runPython(
        'client.py',
        ['--port', port, '--count', 3, '--pause', 0.3, '--name', name],
        MC_DIR,
      ),
    )
    for (const p of programs) expect((await p.exited).code).toBe(0)
    const pongs = s.trace.filter((e) => e.op === 'send' && e.payload === 'PONG')
    expect(pongs).toHaveLength(9)
    expect(check(s.trace, 'mc-concurrent-overlap', { count: 3 }).passed).toBe(true)
  })
})

describe('the app’s clients against the Python servers', () => {
  it('sequential_server.py serves the app’s clients one after another and stops at its maximum', async () => {
    const port = await freeTcpPort()
    const py = runPython('sequential_server.py', ['--port', port, '--max-clients', 2], MC_DIR)
    await py.waitForLine(/listening on/)
    const s = session()
    const runs = [1, 2].map(() =>
      s.startActor({ kind: 'mc-client', host: HOST, port, options: { count: 3 } }),
    )
    const statuses = await Promise.all(runs.map((r) => r.done))
    expect(statuses.map((x) => x.state)).toEqual(['finished', 'finished'])
    expect((await py.exited).code).toBe(0)
    expect(py.stdout).toMatch(/served 2 clients, the maximum: stopping/)
    expect(py.stdout).toMatch(/server closed after 2 clients and 6 PONGs/)
    expect(s.trace.filter((e) => e.op === 'recv' && e.payload === 'PONG')).toHaveLength(6)
  })

  it('threaded_server.py serves the app’s clients and stops cleanly on SIGINT', async () => {
    const port = await freeTcpPort()
    const py = runPython('threaded_server.py', ['--port', port], MC_DIR)
    await py.waitForLine(/listening on/)
    const s = session()
    const runs = [1, 2, 3].map(() =>
      s.startActor({ kind: 'mc-client', host: HOST, port, options: { count: 4 } }),
    )
    const statuses = await Promise.all(runs.map((r) => r.done))
    expect(statuses.map((x) => x.state)).toEqual(['finished', 'finished', 'finished'])
    await py.waitForLines(/done after 4 PONGs/, 3)
    py.child.kill('SIGINT')
    expect((await py.exited).code).toBe(0)
    expect(py.stdout).toMatch(/server closed after 3 clients and 12 PONGs/)
  })
})
