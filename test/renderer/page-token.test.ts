import { describe, expect, it } from 'vitest'
import { takePageToken } from '@renderer/bridge'

function memoryStorage() {
  const items = new Map<string, string>()
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
  }
}

describe('the page token', () => {
  it('is taken out of the address bar and kept in this tab', () => {
    const storage = memoryStorage()
    const replaced: string[] = []
    const token = takePageToken(
      { pathname: '/', search: '?token=abc123&lang=en', hash: '#/lab/counter' },
      storage,
      (url) => replaced.push(url),
    )
    expect(token).toBe('abc123')
    expect(replaced).toEqual(['/?lang=en#/lab/counter'])
    expect(storage.getItem('socket-labs-token')).toBe('abc123')
  })

  it('after the hash route too, and leaves an address without a token alone', () => {
    const storage = memoryStorage()
    const replaced: string[] = []
    const replace = (url: string) => replaced.push(url)
    expect(
      takePageToken({ pathname: '/', search: '', hash: '#/?token=xyz' }, storage, replace),
    ).toBe('xyz')
    expect(replaced).toEqual(['/#/'])
    // A reload: the address has no token any more, the tab still knows it.
    expect(takePageToken({ pathname: '/', search: '', hash: '#/' }, storage, replace)).toBe('xyz')
    expect(replaced).toHaveLength(1)
  })

  it('is empty in a fresh tab opened without one', () => {
    expect(
      takePageToken({ pathname: '/', search: '', hash: '' }, memoryStorage(), () => undefined),
    ).toBe('')
  })
})
