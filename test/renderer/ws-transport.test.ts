// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { createClientApi, IpcCallError } from '@shared/client-api'
import {
  CONNECTION_LOST_MESSAGE,
  createWsTransport,
  type SocketLike,
} from '@renderer/bridge/ws-transport'
import { pageToken } from '@renderer/bridge'

class FakeSocket implements SocketLike {
  readyState = 0
  sent: unknown[] = []
  private handlers = new Map<string, ((ev: { data: unknown }) => void)[]>()
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data))
  }
  close() {
    this.fire('close')
  }
  addEventListener(type: string, listener: (ev: { data: unknown }) => void) {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), listener])
  }
  fire(type: string, data?: unknown) {
    if (type === 'open') this.readyState = 1
    if (type === 'close') this.readyState = 3
    for (const h of this.handlers.get(type) ?? []) h({ data })
  }
}

function setup() {
  let socket!: FakeSocket
  let lost = ''
  const transport = createWsTransport({
    url: 'ws://127.0.0.1:4000/ipc?token=abc',
    createSocket: (url) => (socket = new FakeSocket(url)),
    onLost: (m) => (lost = m),
  })
  return { api: createClientApi(transport), socket: () => socket, lost: () => lost }
}

describe('WebSocket transport', () => {
  it('queues invokes until the socket opens, then matches replies by id', async () => {
    const { api, socket } = setup()
    const progress = api.getProgress()
    expect(socket().sent).toHaveLength(0)
    socket().fire('open')
    expect(socket().sent).toEqual([{ type: 'invoke', id: 1, channel: 'progress:get', args: {} }])
    socket().fire(
      'message',
      JSON.stringify({
        type: 'reply',
        id: 1,
        reply: { ok: true, value: { version: 1, labs: {} } },
      }),
    )
    await expect(progress).resolves.toEqual({ version: 1, labs: {} })
  })

  it('turns error replies into IpcCallError and delivers events', async () => {
    const { api, socket } = setup()
    socket().fire('open')
    const seen: string[] = []
    const off = api.onNotice((n) => seen.push(n.message))
    const start = api.startActor({ labId: 'x', kind: 'tcp-server', host: '127.0.0.1', port: 80 })
    socket().fire(
      'message',
      JSON.stringify({
        type: 'reply',
        id: 1,
        reply: { ok: false, error: { code: 'bad-request', message: 'Port 80: privileged' } },
      }),
    )
    await expect(start).rejects.toBeInstanceOf(IpcCallError)
    socket().fire(
      'message',
      JSON.stringify({
        type: 'event',
        channel: 'app:notice',
        payload: { level: 'info', message: 'hi' },
      }),
    )
    off()
    socket().fire(
      'message',
      JSON.stringify({
        type: 'event',
        channel: 'app:notice',
        payload: { level: 'info', message: 'again' },
      }),
    )
    socket().fire('message', 'not json')
    expect(seen).toEqual(['hi'])
  })

  it('fails pending and later calls with a clear message when the socket closes', async () => {
    const { api, socket, lost } = setup()
    socket().fire('open')
    const pending = api.listLabs()
    socket().fire('close')
    await expect(pending).rejects.toThrow(CONNECTION_LOST_MESSAGE)
    await expect(api.getProgress()).rejects.toThrow(CONNECTION_LOST_MESSAGE)
    expect(lost()).toBe(CONNECTION_LOST_MESSAGE)
  })

  it('reads the token from the page address', () => {
    expect(pageToken({ search: '?token=s3cret', hash: '#/' })).toBe('s3cret')
    expect(pageToken({ search: '', hash: '#/lab/x?token=t2' })).toBe('t2')
    expect(pageToken({ search: '', hash: '#/' })).toBe('')
  })
})
