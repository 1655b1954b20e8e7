import { describe, expect, it, vi } from 'vitest'

const exposed = new Map<string, unknown>()
const invoke = vi.fn(async () => ({ ok: true, value: { labs: [], errors: [] } }))
const listeners = new Map<string, (...args: unknown[]) => void>()
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke,
    on: (channel: string, fn: (...args: unknown[]) => void) => listeners.set(channel, fn),
    removeListener: (channel: string) => listeners.delete(channel),
  },
}))

await import('../../src/preload/index')

describe('preload', () => {
  it('exposes one object of named functions, and no generic send or invoke', () => {
    expect([...exposed.keys()]).toEqual(['socketLabs'])
    const api = exposed.get('socketLabs') as Record<string, unknown>
    for (const value of Object.values(api)) expect(typeof value).toBe('function')
    expect(Object.keys(api)).not.toContain('invoke')
    expect(Object.keys(api)).not.toContain('send')
    expect(Object.keys(api)).not.toContain('on')
    expect(Object.keys(api)).toContain('startActor')
  })

  it('calls its channel and unwraps the reply', async () => {
    const api = exposed.get('socketLabs') as { listLabs(): Promise<unknown> }
    expect(await api.listLabs()).toEqual({ labs: [], errors: [] })
    expect(invoke).toHaveBeenCalledWith('labs:list', {})
  })

  it('subscribes and unsubscribes event listeners without exposing the IPC event', () => {
    const api = exposed.get('socketLabs') as { onNotice(fn: (p: unknown) => void): () => void }
    const seen: unknown[] = []
    const off = api.onNotice((payload) => seen.push(payload))
    listeners.get('app:notice')!({ sender: 'secret' }, { level: 'info', message: 'hi' })
    expect(seen).toEqual([{ level: 'info', message: 'hi' }])
    off()
    expect(listeners.has('app:notice')).toBe(false)
  })
})
