import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { LabFileSchema, type LabFile } from '@shared/lab'
import { knownRuleKinds } from '../../src/main/checkpoints'
import { loadLab, loadLabs } from '../../src/main/labs/load-labs'
import { actorDefinitions } from '../../src/main/net'

const LABS_DIR = fileURLToPath(new URL('../../labs/', import.meta.url))
const LAB_DIR = join(LABS_DIR, 'lossy-udp')
const run = promisify(execFile)

/** The anchors each reference program carries: every one the app's actors name, and no other. */
const ANCHORS: Record<string, string[]> = {
  'lossy_server.py': ['seed', 'socket', 'bind', 'recvfrom', 'drop', 'sendto', 'close'],
  'lossy_client.py': [
    'socket',
    'settimeout',
    'time-left',
    'sendto',
    'recvfrom',
    'timeout',
    'close',
  ],
  'impair_relay.py': [
    'socket',
    'seed',
    'bind',
    'recvfrom',
    'drop',
    'delay',
    'duplicate',
    'reorder',
    'forward',
    'close',
  ],
}
const PROGRAMS = Object.keys(ANCHORS)
const CHECKPOINTS = [
  'lossy-goes-on',
  'lossy-blocked-cancelled',
  'lossy-same-seed',
  'lossy-drop-list',
  'lossy-late-reply',
  'lossy-your-client',
  'lossy-your-server',
]

function readLab(): LabFile {
  const result = LabFileSchema.safeParse(parse(readFileSync(join(LAB_DIR, 'lab.yaml'), 'utf8')))
  if (!result.success) throw new Error(JSON.stringify(result.error.issues, null, 2))
  return result.data
}

const source = (file: string) => readFileSync(join(LAB_DIR, file), 'utf8')

describe('labs/lossy-udp/lab.yaml', () => {
  it('validates as lab 4 on port 50011, with the four steps of the spec and the student’s own client', () => {
    const lab = readLab()
    expect([lab.id, lab.order, lab.defaultPort]).toEqual(['lossy-udp', 4, 50011])
    expect(lab.steps.map((s) => s.id)).toEqual([
      'losing-replies',
      'no-timeout',
      'same-seed',
      'relay',
      'your-lossy-client',
      'your-lossy-server',
    ])
    expect(lab.steps.map((s) => s.panels)).toEqual([['stats'], [], ['stats'], ['stats'], [], []])
    expect(lab.steps.map((s) => s.checkpoints)).toEqual([
      ['lossy-goes-on'],
      ['lossy-blocked-cancelled'],
      ['lossy-same-seed', 'lossy-drop-list'],
      ['lossy-late-reply'],
      ['lossy-your-client'],
      ['lossy-your-server'],
    ])
  })

  it("loads with the app's lab loader, with no errors, among all the labs", async () => {
    const result = await loadLab(LABS_DIR, 'lossy-udp')
    expect('errors' in result ? result.errors : []).toEqual([])
    const all = await loadLabs(LABS_DIR)
    expect(all.errors.filter((e) => e.file.startsWith('lossy-udp/'))).toEqual([])
    expect(all.labs.map((l) => l.id)).toContain('lossy-udp')
  })

  it('declares the seven checkpoints with rules the app knows, named in the step texts', () => {
    const lab = readLab()
    expect(lab.checkpoints.map((c) => c.id)).toEqual(CHECKPOINTS)
    const kinds = new Set(knownRuleKinds())
    for (const c of lab.checkpoints) expect(kinds, c.id).toContain(c.rule.kind)
    for (const s of lab.steps) {
      expect(existsSync(join(LAB_DIR, s.text)), s.text).toBe(true)
      for (const id of s.checkpoints) {
        const title = lab.checkpoints.find((c) => c.id === id)!.title
        expect(source(s.text), s.id).toContain(`- *${title}*`)
      }
    }
  })

  it('hints name the controls the student must use', () => {
    const hints = readLab()
      .checkpoints.map((c) => c.hint)
      .join('\n')
    for (const label of [
      'Drop probability',
      'Seed',
      'Drop exactly these PINGs',
      'Timeout',
      'None (wait forever)',
      'PINGs',
      'Forward to port',
      'Delay (ms)',
      'Start lossy server',
      'Run lossy client',
      'Start relay',
    ]) {
      expect(hints).toContain(label)
    }
  })

  it('offers actors whose reference programs the steps show', () => {
    for (const s of readLab().steps) {
      for (const kind of s.actors)
        expect(s.code, `${s.id}: ${kind}`).toContain(actorDefinitions[kind].file)
    }
  })

  it('draws a lost reply, a timeout and a late reply in the expected flows', () => {
    const events = readLab().steps.flatMap((s) => s.expected!.events)
    expect(events.some((e) => e.op === 'drop' && e.tag === 'lost')).toBe(true)
    expect(events.some((e) => e.op === 'timeout')).toBe(true)
    expect(events.some((e) => e.op === 'recvfrom' && e.tag === 'late')).toBe(true)
    const relay = readLab().steps.find((s) => s.id === 'relay')!.expected!
    expect(relay.lifelines.map((l) => l.role)).toEqual(['client', 'relay', 'server'])
  })
})

describe('lossy-udp Python reference programs', () => {
  it.each(PROGRAMS)('%s carries each of its anchors exactly once, on a code line', (file) => {
    const found = new Map<string, number>()
    for (const line of source(file).split('\n')) {
      const m = /#\s*anchor:\s*([a-z-]+)\s*$/.exec(line)
      if (!m) continue
      found.set(m[1]!, (found.get(m[1]!) ?? 0) + 1)
      expect(line.slice(0, line.indexOf('#')).trim(), line).not.toBe('')
    }
    expect([...found.keys()].sort()).toEqual([...ANCHORS[file]!].sort())
    for (const [name, times] of found) expect(times, `${file}: ${name}`).toBe(1)
  })

  it.each(PROGRAMS)('%s anchors every line that makes a socket call', (file) => {
    const call =
      /(\bsocket\.socket|\b(?:server|client|sock|out_socket|self\.listener)\.(?:bind|recvfrom|sendto|settimeout|close))\(/
    for (const line of source(file).split('\n')) {
      if (!call.test(line.split('#')[0]!)) continue
      expect(line, `${file}: a socket call without an anchor`).toMatch(/# anchor: [a-z-]+$/)
    }
  })

  it.each(PROGRAMS)('%s uses the standard library only, 127.0.0.1 and the lab ports', (file) => {
    const text = source(file)
    const imports = [...text.matchAll(/^(?:import|from) (\w+)/gm)].map((m) => m[1])
    const stdlib = [
      'argparse',
      'heapq',
      'itertools',
      'random',
      'selectors',
      'socket',
      'statistics',
      'sys',
      'time',
    ]
    for (const name of imports) expect(stdlib).toContain(name)
    expect(text).toMatch(/^HOST = "127\.0\.0\.1"$/m)
    if (file === 'impair_relay.py') {
      expect(text).toMatch(/^LISTEN_PORT = 50012$/m)
      expect(text).toMatch(/^TARGET_PORT = 50011$/m)
    } else {
      expect(text).toMatch(/^PORT = 50011$/m)
    }
  })

  it('all compile with python3 -m py_compile', async () => {
    const scratch = await mkdtemp(join(tmpdir(), 'lossy-pyc-'))
    try {
      const env = { ...process.env, PYTHONPYCACHEPREFIX: scratch }
      const { stderr } = await run(
        'python3',
        ['-m', 'py_compile', ...PROGRAMS.map((f) => join(LAB_DIR, f))],
        { env },
      )
      expect(stderr).toBe('')
    } finally {
      await rm(scratch, { recursive: true, force: true })
    }
  })
})
