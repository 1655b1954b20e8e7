import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { LabFileSchema, type LabFile } from '@shared/lab'
import { knownRuleKinds } from '../../src/main/checkpoints'
import { actorDefinitions } from '../../src/main/net'
import { loadLab } from '../../src/main/labs/load-labs'

const LABS_DIR = fileURLToPath(new URL('../../labs/', import.meta.url))
const LAB_DIR = join(LABS_DIR, 'multi-client')

/** The anchors the app's actors name, per reference program. */
const ANCHORS: Record<string, string[]> = {
  'sequential_server.py': [
    'socket',
    'bind',
    'listen',
    'accept',
    'recv',
    'eof',
    'send',
    'idle',
    'close-conn',
    'max-clients',
    'running-flag',
    'close',
  ],
  'threaded_server.py': [
    'socket',
    'bind',
    'listen',
    'accept',
    'recv',
    'eof',
    'send',
    'idle',
    'close-conn',
    'running-flag',
    'close',
  ],
  'client.py': ['socket', 'connect', 'send', 'recv', 'close'],
}

function readLab(): LabFile {
  return LabFileSchema.parse(parse(readFileSync(join(LAB_DIR, 'lab.yaml'), 'utf8')))
}

describe('labs/multi-client', () => {
  it('validates and loads with the app’s own loader', async () => {
    const lab = readLab()
    expect(lab.order).toBe(3)
    expect(lab.steps.map((s) => s.id)).toEqual([
      'sequential',
      'max-clients',
      'concurrent',
      'compare',
      'your-threaded-server',
    ])
    const result = await loadLab(LABS_DIR, 'multi-client')
    expect('errors' in result ? result.errors : []).toEqual([])
  })

  it('names files that exist, declared checkpoints with known rules, and swim lanes', () => {
    const lab = readLab()
    const declared = new Set(lab.checkpoints.map((c) => c.id))
    const used = lab.steps.flatMap((s) => s.checkpoints)
    expect([...declared].sort()).toEqual([...new Set(used)].sort())
    for (const c of lab.checkpoints) expect(knownRuleKinds()).toContain(c.rule.kind)
    for (const step of lab.steps) {
      expect(existsSync(join(LAB_DIR, step.text)), step.text).toBe(true)
      for (const f of step.code) expect(existsSync(join(LAB_DIR, f)), f).toBe(true)
      expect(step.view).toBe('lanes')
    }
  })

  it('has every anchor the actors trace exactly once, on a line that makes that call', () => {
    for (const [file, names] of Object.entries(ANCHORS)) {
      const source = readFileSync(join(LAB_DIR, file), 'utf8')
      const found = [...source.matchAll(/# anchor: ([a-z-]+)/g)].map((m) => m[1])
      expect(found.sort(), file).toEqual([...names].sort())
    }
    const kinds = ['sequential-server', 'concurrent-server', 'mc-client'] as const
    expect(kinds.map((k) => actorDefinitions[k].file)).toEqual([
      'sequential_server.py',
      'threaded_server.py',
      'client.py',
    ])
    const seq = readFileSync(join(LAB_DIR, 'sequential_server.py'), 'utf8')
    expect(seq).toMatch(/server\.accept\(\)\s+# anchor: accept/)
    expect(seq).toMatch(/server\.listen\(BACKLOG\)\s+# anchor: listen/)
    const threaded = readFileSync(join(LAB_DIR, 'threaded_server.py'), 'utf8')
    expect(threaded).toMatch(/threading\.Thread\(target=handle_client/)
  })

  it('uses the standard library only, and every program compiles', () => {
    for (const file of Object.keys(ANCHORS)) {
      const source = readFileSync(join(LAB_DIR, file), 'utf8')
      const imports = [...source.matchAll(/^import (\w+)/gm)].map((m) => m[1])
      for (const name of imports) {
        expect(['argparse', 'signal', 'socket', 'sys', 'threading', 'time']).toContain(name)
      }
      expect(source).not.toMatch(/^from /m)
    }
  })
})
