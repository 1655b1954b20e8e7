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
import { traceOps } from '@shared/trace'
import { knownRuleKinds } from '../../src/main/checkpoints'
import { loadLab } from '../../src/main/labs/load-labs'

const LABS_DIR = fileURLToPath(new URL('../../labs/', import.meta.url))
const LAB_DIR = join(LABS_DIR, 'ping-pong')
const run = promisify(execFile)

/** The code anchors the app's actors name, per reference program: each exactly once. */
const ANCHORS: Record<string, string[]> = {
  'tcp_server.py': [
    'socket',
    'bind',
    'listen',
    'accept',
    'recv',
    'eof',
    'send',
    'close-conn',
    'close',
  ],
  'tcp_client.py': ['socket', 'connect', 'send', 'recv', 'close'],
  'udp_server.py': ['socket', 'bind', 'recvfrom', 'sendto', 'close'],
  'udp_client.py': ['socket', 'settimeout', 'sendto', 'recvfrom', 'timeout', 'close'],
}
const PROGRAMS = Object.keys(ANCHORS)

function readLab(): LabFile {
  const result = LabFileSchema.safeParse(parse(readFileSync(join(LAB_DIR, 'lab.yaml'), 'utf8')))
  if (!result.success) throw new Error(JSON.stringify(result.error.issues, null, 2))
  return result.data
}

function source(file: string): string {
  return readFileSync(join(LAB_DIR, file), 'utf8')
}

describe('labs/ping-pong/lab.yaml', () => {
  it('validates with LabFileSchema', () => {
    const lab = readLab()
    expect(lab.id).toBe('ping-pong')
    expect(lab.order).toBe(1)
    expect(lab.defaultPort).toBe(50007)
    expect(lab.steps.map((s) => s.id)).toEqual([
      'tcp-flow',
      'udp-flow',
      'compare',
      'udp-server-down',
    ])
  })

  it("loads with the app's own lab loader, with no errors", async () => {
    const result = await loadLab(LABS_DIR, 'ping-pong')
    expect('errors' in result ? result.errors : []).toEqual([])
  })

  it('names step texts and code files that exist', () => {
    for (const step of readLab().steps) {
      expect(existsSync(join(LAB_DIR, step.text)), step.text).toBe(true)
      expect(step.code.length, `${step.id} shows code`).toBeGreaterThan(0)
      for (const file of step.code) expect(existsSync(join(LAB_DIR, file)), file).toBe(true)
    }
  })

  it('uses only declared checkpoints, with rule kinds the app knows, each used by a step', () => {
    const lab = readLab()
    const declared = new Set(lab.checkpoints.map((c) => c.id))
    const used = new Set(lab.steps.flatMap((s) => s.checkpoints))
    for (const id of used) expect(declared, `checkpoint ${id}`).toContain(id)
    expect([...declared].sort()).toEqual([...used].sort())
    const kinds = new Set(knownRuleKinds())
    for (const c of lab.checkpoints) expect(kinds, c.id).toContain(c.rule.kind)
  })

  it('gives each step the code, actors and checkpoints it is about', () => {
    const byId = new Map(readLab().steps.map((s) => [s.id, s]))
    const summary = (id: string) => {
      const s = byId.get(id)!
      return { code: s.code, actors: s.actors, checkpoints: s.checkpoints }
    }
    expect(summary('tcp-flow')).toEqual({
      code: ['tcp_server.py', 'tcp_client.py'],
      actors: ['tcp-server', 'tcp-client'],
      checkpoints: ['tcp-five-pongs', 'tcp-server-eof'],
    })
    expect(summary('udp-flow')).toEqual({
      code: ['udp_server.py', 'udp_client.py'],
      actors: ['udp-server', 'udp-client'],
      checkpoints: ['udp-five-replies'],
    })
    expect(summary('compare')).toEqual({
      code: ['tcp_client.py', 'udp_client.py'],
      actors: ['tcp-server', 'tcp-client', 'udp-server', 'udp-client'],
      checkpoints: ['compared'],
    })
    expect(summary('udp-server-down')).toEqual({
      code: ['udp_client.py'],
      actors: ['udp-server', 'udp-client'],
      checkpoints: ['udp-timeouts'],
    })
  })

  it('draws five round trips in the TCP and UDP expected flows, and five timeouts with the server down', () => {
    const byId = new Map(readLab().steps.map((s) => [s.id, s]))
    const count = (id: string, op: string, payload?: string) =>
      byId
        .get(id)!
        .expected!.events.filter(
          (e) => e.op === op && (payload === undefined || e.payload === payload),
        ).length
    for (const [op, payload] of [
      ['send', 'PING'],
      ['recv', 'PING'],
      ['send', 'PONG'],
      ['recv', 'PONG'],
    ]) {
      expect(count('tcp-flow', op!, payload), `${op} ${payload}`).toBe(5)
    }
    expect(count('tcp-flow', 'eof')).toBe(1)
    for (const [op, payload] of [
      ['sendto', 'PING'],
      ['recvfrom', 'PING'],
      ['sendto', 'PONG'],
      ['recvfrom', 'PONG'],
    ]) {
      expect(count('udp-flow', op!, payload), `${op} ${payload}`).toBe(5)
    }
    expect(count('udp-server-down', 'sendto', 'PING')).toBe(5)
    expect(count('udp-server-down', 'timeout')).toBe(5)
    expect(count('udp-server-down', 'recvfrom')).toBe(0)
  })

  it('names only declared lifelines in expected flows, and a peer on every exchange', () => {
    for (const step of readLab().steps) {
      if (!step.expected) continue
      const lifelines = new Set(step.expected.lifelines.map((l) => l.id))
      for (const e of step.expected.events) {
        expect(lifelines, `${step.id}: ${e.op}`).toContain(e.actor)
        expect(traceOps).toContain(e.op)
        if (['send', 'recv', 'sendto', 'recvfrom', 'connect', 'accept', 'eof'].includes(e.op)) {
          expect(e.peer, `${step.id}: ${e.actor} ${e.op} has a peer`).toBeDefined()
          expect(lifelines).toContain(e.peer)
          expect(e.peer).not.toBe(e.actor)
        }
      }
    }
  })

  it('has a TCP vs UDP table with the aspects the step discusses', () => {
    const compare = readLab().steps.find((s) => s.id === 'compare')!
    expect(compare.comparison?.columns).toEqual(['TCP (SOCK_STREAM)', 'UDP (SOCK_DGRAM)'])
    expect(compare.comparison?.rows.map((r) => r.aspect)).toEqual([
      'Connection',
      'Server setup calls',
      'Client setup calls',
      'Send call',
      'Receive call',
      'Delivery guarantee',
      'Ordering',
      'Teardown',
      'Typical uses',
    ])
  })
})

describe('step Markdown', () => {
  it('has a title, no raw HTML, and mentions the calls of its step', () => {
    const mentions: Record<string, string[]> = {
      'tcp-flow': ['accept()', 'connect()', 'inferred', "b''", 'FIN', 'python3 tcp_client.py'],
      'udp-flow': ['recvfrom()', 'sendto(', 'listen()', 'accept()'],
      compare: ['Run TCP client', 'Run UDP client'],
      'udp-server-down': ['settimeout()', 'timeout', 'connection refused'],
    }
    for (const step of readLab().steps) {
      const text = source(step.text)
      expect(text.startsWith('# '), `${step.text} starts with a title`).toBe(true)
      // Outside code, no tag-like text: the app renders Markdown with HTML disabled.
      const prose = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`]*`/g, '')
      expect(prose, step.text).not.toMatch(/<\/?[a-z][^>]*>/i)
      for (const words of mentions[step.id] ?? []) expect(text, step.text).toContain(words)
    }
  })
})

describe('Python reference programs', () => {
  it.each(PROGRAMS)('%s carries each of its code anchors exactly once, on a code line', (file) => {
    const lines = source(file).split('\n')
    const found = new Map<string, number>()
    for (const line of lines) {
      const m = /#\s*anchor:\s*([a-z-]+)\s*$/.exec(line)
      if (!m) continue
      found.set(m[1]!, (found.get(m[1]!) ?? 0) + 1)
      // The anchor sits at the end of the line that makes the call, not on a comment line.
      expect(line.slice(0, line.indexOf('#')).trim(), line).not.toBe('')
    }
    for (const name of ANCHORS[file]!) expect(found.get(name), `${file}: anchor ${name}`).toBe(1)
    // And no anchor the app does not know about.
    expect([...found.keys()].sort()).toEqual([...ANCHORS[file]!].sort())
  })

  it.each(PROGRAMS)('%s anchors every line that makes a socket call', (file) => {
    const call =
      /\.(socket|bind|listen|accept|connect|recv|recvfrom|send|sendall|sendto|settimeout|close)\(/
    for (const line of source(file).split('\n')) {
      const code = line.split('#')[0]!
      if (!call.test(code)) continue
      expect(line, `${file}: a socket call without an anchor`).toMatch(/# anchor: [a-z-]+$/)
    }
  })

  it.each(PROGRAMS)('%s uses the standard library only and port 50007 by default', (file) => {
    const text = source(file)
    const imports = [...text.matchAll(/^(?:import|from) (\w+)/gm)].map((m) => m[1])
    for (const name of imports) expect(['socket', 'sys', 'time']).toContain(name)
    expect(text).toMatch(/^PORT = 50007$/m)
    expect(text).toMatch(/^HOST = "127\.0\.0\.1"$/m)
  })

  it('all compile with python3 -m py_compile', async () => {
    // Compile into a scratch folder so no __pycache__ lands next to the lab files.
    const scratch = await mkdtemp(join(tmpdir(), 'ping-pong-pyc-'))
    try {
      const env = { ...process.env, PYTHONPYCACHEPREFIX: scratch }
      const files = PROGRAMS.map((f) => join(LAB_DIR, f))
      const { stderr } = await run('python3', ['-m', 'py_compile', ...files], { env })
      expect(stderr).toBe('')
    } finally {
      await rm(scratch, { recursive: true, force: true })
    }
  })
})
