import { once } from 'node:events'
import { connect, createServer, type Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { ActorOptionsSchema } from '@shared/actors'
import type { ActorTraceInput } from '../../src/main/net/actor'
import { listenTcp, MAX_SERVER_CONNECTIONS } from '../../src/main/net/listen'
import { freePort, HOST } from './helpers'

describe("an app server's connection cap", () => {
  it('closes connections past the cap at once and says so in the trace, once per hundred', async () => {
    const port = await freePort()
    const notes: ActorTraceInput[] = []
    const server = createServer()
    const held: Socket[] = []
    server.on('connection', (s) => held.push(s))
    const listener = listenTcp(
      {
        id: 'concurrent-server#1',
        host: HOST,
        port,
        options: ActorOptionsSchema.parse({}),
        trace: (e) => notes.push(e),
        prepare: () => () => undefined,
      },
      server,
      {
        local: `${HOST}:${port}`,
        maxConnections: 3,
        acceptNote: () => ({ message: 'waiting' }),
        closeAll: () => held.forEach((s) => s.destroy()),
      },
    )
    await listener.running.ready
    const clients: Socket[] = []
    const closed: Promise<unknown>[] = []
    for (let i = 0; i < 8; i++) {
      const c = connect(port, HOST)
      c.on('error', () => undefined)
      closed.push(once(c, 'close'))
      clients.push(c)
      await once(c, 'connect')
    }
    // The five past the cap are closed by the server; the first three stay open.
    await Promise.all(closed.slice(3))
    expect(held).toHaveLength(3)
    expect(clients.slice(0, 3).every((c) => !c.destroyed)).toBe(true)
    const turnedAway = notes.filter(
      (n) => n.op === 'note' && /closed at once/.test(n.message ?? ''),
    )
    expect(turnedAway).toHaveLength(1)
    expect(turnedAway[0]!.message).toMatch(/already holds 3 connections \(1 turned away so far\)/)
    clients.forEach((c) => c.destroy())
    await listener.running.stop()
  })

  it('lets the 500-client benchmark through by default', () => {
    expect(MAX_SERVER_CONNECTIONS).toBeGreaterThanOrEqual(500)
  })
})
