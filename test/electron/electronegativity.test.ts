import Module, { createRequire } from 'node:module'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse } from 'yaml'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'

/**
 * Electronegativity (Doyensec's Electron security linter) over our sources through its Node
 * API. Every finding must be explained in security/electronegativity-allow.yaml.
 */
const root = join(import.meta.dirname, '../..')
const require = createRequire(import.meta.url)
const runnerPath = require.resolve('@doyensec/electronegativity')

// On every run it fetches fresh translations over the network; tests talk to loopback only, so
// its HTTP client is replaced with one that always fails (it then uses its bundled English).
const gotPath = createRequire(runnerPath).resolve('got')
const offline = new Module(gotPath)
const refuse = () => Promise.reject(new Error('no network in tests'))
offline.filename = gotPath
offline.loaded = true
offline.exports = Object.assign(refuse, { get: refuse, head: refuse })
require.cache[gotPath] = offline

const allowSchema = z.object({
  excludedChecks: z.array(z.object({ check: z.string(), reason: z.string().min(40) })),
  findings: z.array(z.object({ id: z.string(), file: z.string(), reason: z.string().min(40) })),
})
const resultSchema = z.object({
  errors: z.array(z.object({ file: z.string(), message: z.string(), tolerable: z.boolean() })),
  issues: z.array(
    z.object({
      id: z.string(),
      file: z.string(),
      location: z.object({ line: z.number(), column: z.number() }),
      description: z.string(),
      sample: z.string().optional(),
    }),
  ),
})

type Result = z.infer<typeof resultSchema>
let result: Result
let allow: z.infer<typeof allowSchema>

beforeAll(async () => {
  allow = allowSchema.parse(
    parse(await readFile(join(root, 'security/electronegativity-allow.yaml'), 'utf8')),
  )
  const electronVersion = JSON.parse(
    await readFile(require.resolve('electron/package.json'), 'utf8'),
  ).version as string
  const run = require(runnerPath) as (options: Record<string, unknown>) => Promise<unknown>
  const quiet = vi.spyOn(console, 'log').mockImplementation(() => {})
  try {
    result = resultSchema.parse(
      await run({
        input: join(root, 'src'),
        isRelative: true,
        electronVersionOverride: electronVersion,
        excludeFromScan: allow.excludedChecks.map((c) => c.check),
      }),
    )
  } finally {
    quiet.mockRestore()
  }
}, 120_000)

afterAll(() => {
  delete require.cache[gotPath]
})

const where = (issue: Result['issues'][number]) => `src/${issue.file}`

describe('Electronegativity over src/', () => {
  it('parses every file it scans', () => {
    expect(result.errors.filter((e) => !e.tolerable)).toEqual([])
  })

  it('finds nothing that the allow-list does not explain', () => {
    const unexplained = result.issues
      .filter((issue) => !allow.findings.some((a) => a.id === issue.id && a.file === where(issue)))
      .map(
        (issue) =>
          `${issue.id} at ${where(issue)}:${issue.location.line}: ${issue.description} (${issue.sample ?? ''})`,
      )
    expect(unexplained).toEqual([])
  })

  it('keeps no allow-list entry that no finding needs any more', () => {
    const stale = allow.findings.filter(
      (a) => !result.issues.some((issue) => issue.id === a.id && where(issue) === a.file),
    )
    expect(stale).toEqual([])
  })
})
