import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  APP_CSP,
  APP_ENTRY_URL,
  rendererFileFor,
  serveRendererRequest,
} from '../../src/main/electron/renderer-files'

// A fake out/renderer beside a secret that must never be served.
let base: string
let root: string
const secret = 'student password file'

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'socket-labs-app-protocol-'))
  root = join(base, 'renderer')
  await mkdir(join(root, 'assets'), { recursive: true })
  await writeFile(join(root, 'index.html'), '<!doctype html><title>Socket Labs</title>')
  await writeFile(join(root, 'assets/index-abc.js'), 'export const ok = 1')
  await writeFile(join(root, 'assets/index-abc.css'), 'body{}')
  await writeFile(join(base, 'secret.txt'), secret)
  await symlink(join(base, 'secret.txt'), join(root, 'assets/link.txt'))
})

afterAll(async () => {
  await rm(base, { recursive: true, force: true })
})

describe('the app:// protocol', () => {
  it('serves the entry page and assets with their types, the CSP and nosniff', async () => {
    const page = await serveRendererRequest(root, APP_ENTRY_URL)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toBe(APP_CSP)
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await page.text()).toContain('<title>Socket Labs</title>')

    const root404 = await serveRendererRequest(root, 'app://socket-labs/')
    expect(root404.status).toBe(200)

    const script = await serveRendererRequest(root, 'app://socket-labs/assets/index-abc.js')
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/)
    const style = await serveRendererRequest(root, 'app://socket-labs/assets/index-abc.css')
    expect(style.headers.get('content-type')).toMatch(/^text\/css/)
  })

  it('never serves a file outside out/renderer', async () => {
    const attempts = [
      'app://socket-labs/../secret.txt',
      'app://socket-labs/..%2fsecret.txt',
      'app://socket-labs/assets/..%2f..%2fsecret.txt',
      'app://socket-labs/%2e%2e/secret.txt',
      'app://socket-labs/%2e%2e%2fsecret.txt',
      'app://socket-labs/..%5csecret.txt',
      `app://socket-labs/${encodeURIComponent(join(base, 'secret.txt'))}`,
      'app://socket-labs/assets/link.txt',
      'app://socket-labs/index.html%00.js',
      'app://socket-labs/%E0%A4%A',
      'app://other-host/index.html',
      `file://${join(base, 'secret.txt')}`,
      'not a url',
    ]
    for (const url of attempts) {
      const response = await serveRendererRequest(root, url)
      expect(response.status, url).toBeGreaterThanOrEqual(400)
      expect(await response.text(), url).not.toContain(secret)
    }
    expect(rendererFileFor(root, 'app://socket-labs/..%2f..%2fsecret.txt')).toBeNull()
    expect(rendererFileFor(root, 'app://other-host/index.html')).toBeNull()
    expect(rendererFileFor(root, 'app://socket-labs/assets/index-abc.js')).toBe(
      join(root, 'assets/index-abc.js'),
    )
  })

  it('answers 404 for a missing file or a folder', async () => {
    expect((await serveRendererRequest(root, 'app://socket-labs/nope.js')).status).toBe(404)
    expect((await serveRendererRequest(root, 'app://socket-labs/assets')).status).toBe(404)
  })

  it('has a CSP without eval, inline scripts, framing or other origins', () => {
    const directives = new Map(
      APP_CSP.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/)
        return [name!, values]
      }),
    )
    expect(directives.get('default-src')).toEqual(["'none'"])
    expect(directives.get('script-src')).toEqual(["'self'"])
    expect(directives.get('connect-src')).toEqual(["'self'"])
    expect(directives.get('object-src')).toEqual(["'none'"])
    expect(directives.get('frame-ancestors')).toEqual(["'none'"])
    expect(APP_CSP).not.toMatch(/unsafe-eval|https?:|ws:|\*/)
  })
})
