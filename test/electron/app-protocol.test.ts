import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'

// A stand-in for Electron's protocol module: records the scheme and the handler.
const registered: unknown[] = []
const handlers = new Map<string, (request: { url: string }) => Promise<Response>>()
vi.mock('electron', () => ({
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown[]) => registered.push(...schemes),
    handle: (scheme: string, fn: (request: { url: string }) => Promise<Response>) =>
      handlers.set(scheme, fn),
  },
}))

const { registerAppScheme, serveAppProtocol } = await import('../../src/main/electron/app-protocol')

const dir = await mkdtemp(join(tmpdir(), 'socket-labs-protocol-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('the app:// scheme in Electron', () => {
  it('is registered as a standard, secure scheme (an origin, ES modules, fetch)', () => {
    registerAppScheme()
    expect(registered).toEqual([
      {
        scheme: 'app',
        privileges: expect.objectContaining({
          standard: true,
          secure: true,
          supportFetchAPI: true,
        }),
      },
    ])
  })

  it('is answered from the renderer folder it is given, and nothing outside', async () => {
    await mkdir(join(dir, 'renderer'))
    await writeFile(join(dir, 'renderer/index.html'), '<title>ok</title>')
    await writeFile(join(dir, 'outside.txt'), 'outside')
    serveAppProtocol(join(dir, 'renderer'))
    const handle = handlers.get('app')!
    const page = await handle({ url: 'app://socket-labs/index.html' })
    expect(await page.text()).toBe('<title>ok</title>')
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/)
    expect((await handle({ url: 'app://socket-labs/..%2foutside.txt' })).status).toBe(403)
  })
})
