import { describe, expect, it, vi } from 'vitest'
import { devServerUrl, originOf, rendererSource } from '../../src/main/electron/renderer-url'

describe('ELECTRON_RENDERER_URL (the dev server)', () => {
  it('is used in an unpackaged app when it is http on loopback', () => {
    for (const url of ['http://localhost:5173/', 'http://127.0.0.1:5173/', 'http://[::1]:5173/']) {
      expect(devServerUrl(url, false)).toBe(url)
    }
    expect(rendererSource('http://localhost:5173', false)).toEqual({
      url: 'http://localhost:5173/',
      trustedOrigins: ['http://localhost:5173'],
    })
  })

  it('is never used in a packaged app', () => {
    const warn = vi.fn()
    expect(devServerUrl('http://localhost:5173/', true, warn)).toBeNull()
    expect(rendererSource('http://localhost:5173/', true)).toEqual({
      url: 'app://socket-labs/index.html',
      trustedOrigins: ['app://socket-labs'],
    })
  })

  it('is ignored, with a warning, when it points anywhere else', () => {
    const hostile = [
      'https://evil.example/',
      'http://evil.example:5173/',
      'http://localhost.evil.example/',
      'http://127.0.0.1.nip.io/',
      'http://127.0.0.1@evil.example/',
      'http://user:pass@localhost:5173/',
      'https://localhost:5173/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
      'http://192.168.1.5:5173/',
      'localhost:5173',
      'not a url',
    ]
    for (const url of hostile) {
      const warn = vi.fn()
      expect(devServerUrl(url, false, warn), url).toBeNull()
      expect(warn, url).toHaveBeenCalledWith(
        expect.stringContaining('Ignoring ELECTRON_RENDERER_URL'),
      )
    }
  })

  it('falls back to app:// when unset', () => {
    expect(rendererSource(undefined, false).url).toBe('app://socket-labs/index.html')
    expect(rendererSource('', false).url).toBe('app://socket-labs/index.html')
  })

  it('names origins of custom schemes too', () => {
    expect(originOf('app://socket-labs/index.html#/labs')).toBe('app://socket-labs')
    expect(originOf('http://localhost:5173/x')).toBe('http://localhost:5173')
    expect(originOf('file:///tmp/index.html')).toBe('')
    expect(originOf('about:blank')).toBe('')
    expect(originOf('')).toBe('')
  })
})
