import { spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config'
import { describe, expect, it } from 'vitest'

// electron-builder.yml, read and checked by electron-builder's own loader and schema.
const root = join(import.meta.dirname, '../..')
const config = await getConfig(root, null, null)

describe('the packaging configuration', () => {
  it('is valid for the electron-builder we install (option names and types)', async () => {
    // A debug logger that is off: the schema errors are thrown either way.
    await expect(validateConfiguration(config, { isEnabled: false } as never)).resolves.toBe(
      undefined,
    )
  })

  it('flips every fuse the security baseline asks for', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    })
    // The integrity and only-from-ASAR fuses mean nothing without an asar with its hash.
    expect(config.asar).toBe(true)
  })

  it('builds AppImage and deb on Linux, NSIS on Windows, dmg on macOS', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb'])
    expect(config.win?.target).toEqual(['nsis'])
    expect(config.mac?.target).toEqual(['dmg'])
  })

  it('ships the built app and the labs where the main process looks for them', () => {
    // electron-builder's loader turns the list into one filter.
    expect(config.files).toEqual([{ filter: ['out/**/*', 'package.json', '!**/*.map'] }])
    // src/main/index.ts: labsDir is process.resourcesPath/labs when packaged.
    expect(config.extraResources).toEqual([
      { from: 'labs', to: 'labs' },
      // The Python tracer, read from disk by python3 (src/main/student/paths.ts).
      { from: 'tracer', to: 'tracer' },
    ])
  })

  it('keeps electron out of the runtime dependencies (electron-builder refuses it there)', async () => {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'))
    expect(pkg.dependencies.electron).toBeUndefined()
    expect(pkg.devDependencies.electron).toBeDefined()
    expect(pkg.scripts.dist).toBe('node scripts/dist.mjs')
  })
})

describe('npm run dist', () => {
  it('says in one line that it needs Electron’s binary, and fails, where it is missing', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'socket-labs-no-electron-'))
    try {
      const result = spawnSync(process.execPath, [join(root, 'scripts/dist.mjs')], {
        cwd: root,
        encoding: 'utf8',
        // An empty Electron dist folder: the binary is missing, as on this machine.
        env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: empty },
        timeout: 15_000,
      })
      expect(result.status).toBe(1)
      const lines = `${result.stdout}${result.stderr}`.trim().split('\n')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(/needs Electron's binary.*no installer was built/)
    } finally {
      await rm(empty, { recursive: true, force: true })
    }
  })
})
