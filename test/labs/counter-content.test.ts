import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { countModes } from '@shared/actors'
import { LabFileSchema, type LabFile } from '@shared/lab'
import { traceOps } from '@shared/trace'
import { knownRuleKinds } from '../../src/main/checkpoints'
import { loadLab, loadLabs } from '../../src/main/labs/load-labs'
import { actorDefinitions } from '../../src/main/net'

const LABS_DIR = fileURLToPath(new URL('../../labs/', import.meta.url))
const LAB_DIR = join(LABS_DIR, 'counter')
const run = promisify(execFile)

/** The code anchors the app's counter actors name, per reference program: each exactly once. */
const ANCHORS: Record<string, string[]> = {
  'counter_server.py': ['counts', 'socket', 'bind', 'recvfrom', 'sendto', 'close'],
  'counter_client.py': ['socket', 'settimeout', 'sendto', 'recvfrom', 'timeout', 'close'],
}
const PROGRAMS = Object.keys(ANCHORS)
const STEPS = [
  'where-count-lives',
  'restart',
  'shared-count',
  'per-client-count',
  'your-counter-server',
]

function readLab(): LabFile {
  const result = LabFileSchema.safeParse(parse(readFileSync(join(LAB_DIR, 'lab.yaml'), 'utf8')))
  if (!result.success) throw new Error(JSON.stringify(result.error.issues, null, 2))
  return result.data
}

function source(file: string): string {
  return readFileSync(join(LAB_DIR, file), 'utf8')
}

const step = (id: string) => readLab().steps.find((s) => s.id === id)!

describe('labs/counter/lab.yaml', () => {
  it('validates with LabFileSchema, as lab 2 on its own port', () => {
    const lab = readLab()
    expect(lab.id).toBe('counter')
    expect(lab.title).toBe('Counter')
    expect(lab.order).toBe(2)
    expect(lab.defaultPort).toBe(50008)
    expect(lab.steps.map((s) => s.id)).toEqual(STEPS)
  })

  it("loads with the app's own lab loader, after Ping-pong, with no errors", async () => {
    const result = await loadLab(LABS_DIR, 'counter')
    expect('errors' in result ? result.errors : []).toEqual([])
    const all = await loadLabs(LABS_DIR)
    expect(all.errors).toEqual([])
    expect(all.labs.map((l) => l.id).slice(0, 2)).toEqual(['ping-pong', 'counter'])
  })

  it('names step texts and code files that exist', () => {
    for (const s of readLab().steps) {
      expect(existsSync(join(LAB_DIR, s.text)), s.text).toBe(true)
      for (const file of s.code) expect(existsSync(join(LAB_DIR, file)), file).toBe(true)
    }
  })

  it('offers the counter server and client, with both programs, in every step', () => {
    for (const s of readLab().steps) {
      // The last step runs the student's own server: the app offers only its client.
      const actors =
        s.id === 'your-counter-server' ? ['counter-client'] : ['counter-server', 'counter-client']
      expect(s.actors, s.id).toEqual(actors)
      expect(s.code, s.id).toEqual(['counter_server.py', 'counter_client.py'])
      for (const kind of s.actors) expect(actorDefinitions[kind].file).toMatch(/^counter_/)
    }
  })

  it('gives each step its own checkpoint, each declared with a rule the app knows', () => {
    const lab = readLab()
    expect(lab.steps.map((s) => s.checkpoints)).toEqual([
      ['counter-five-in-order'],
      ['counter-restarted'],
      ['counter-shared-two-clients'],
      ['counter-per-client-two-clients'],
      ['counter-your-server'],
    ])
    expect(lab.checkpoints.map((c) => c.rule.kind)).toEqual([
      'counter-replies-in-order',
      'counter-restarted',
      'counter-shared-two-clients',
      'counter-per-client-two-clients',
      'student-counter-server',
    ])
    const kinds = new Set(knownRuleKinds())
    for (const c of lab.checkpoints) expect(kinds, c.id).toContain(c.rule.kind)
  })

  it("names each step's checkpoint, by its full title, at the end of the step's text", () => {
    // A title or hint with an unquoted " #" would be cut short by YAML: it starts a comment.
    const lab = readLab()
    expect(lab.checkpoints[0]!.title).toBe('PONG #1 to PONG #5, in order, to one client')
    for (const c of lab.checkpoints) expect(c.title.length, c.id).toBeGreaterThan(20)
    for (const s of lab.steps) {
      const titles = s.checkpoints.map((id) => lab.checkpoints.find((c) => c.id === id)!.title)
      for (const title of titles) expect(source(s.text), s.id).toContain(`- *${title}*`)
    }
  })

  it('draws the counted replies each step is about in its expected flow', () => {
    const replies = (id: string, lifeline?: string) =>
      step(id)
        .expected!.events.filter(
          (e) =>
            e.op === 'recvfrom' &&
            e.payload?.startsWith('PONG #') &&
            (lifeline === undefined || e.actor === lifeline),
        )
        .map((e) => e.payload)
    expect(replies('where-count-lives')).toEqual([
      'PONG #1',
      'PONG #2',
      'PONG #3',
      'PONG #4',
      'PONG #5',
    ])
    // The restart: the count climbs, a PING times out, the new run starts at #1.
    const restart = step('restart').expected!
    expect(replies('restart')).toEqual(['PONG #6', 'PONG #7', 'PONG #1', 'PONG #2'])
    const ops = restart.events.map((e) => `${e.actor} ${e.op}`)
    expect(ops.indexOf('server-1 close')).toBeLessThan(ops.indexOf('client timeout'))
    expect(ops.indexOf('client timeout')).toBeLessThan(ops.indexOf('server-2 bind'))
    // Two clients: shared numbers alternate, per-client numbers repeat.
    expect(replies('shared-count', 'client-a')).toEqual(['PONG #1', 'PONG #3'])
    expect(replies('shared-count', 'client-b')).toEqual(['PONG #2', 'PONG #4'])
    expect(replies('per-client-count', 'client-a')).toEqual(['PONG #1', 'PONG #2'])
    expect(replies('per-client-count', 'client-b')).toEqual(['PONG #1', 'PONG #2'])
  })

  it('names only declared lifelines in expected flows, and a peer on every exchange', () => {
    for (const s of readLab().steps) {
      const lifelines = new Set(s.expected!.lifelines.map((l) => l.id))
      for (const e of s.expected!.events) {
        expect(lifelines, `${s.id}: ${e.op}`).toContain(e.actor)
        expect(traceOps).toContain(e.op)
        if (['sendto', 'recvfrom'].includes(e.op)) {
          expect(e.peer, `${s.id}: ${e.actor} ${e.op} has a peer`).toBeDefined()
          expect(lifelines).toContain(e.peer)
        }
      }
    }
  })
})

describe('step Markdown', () => {
  it('has a title, no raw HTML, and mentions what its step is about', () => {
    const mentions: Record<string, string[]> = {
      'where-count-lives': [
        'counts = {}',
        'server state',
        'Start counter server',
        'Run counter client',
      ],
      restart: ['PINGs', 'Slow (0.5 s)', 'Stop', 'timeout', 'PONG #1', '--count 10 --pause 0.5'],
      'shared-count': ['Shared count', 'twice', 'count_key()', '--mode shared'],
      'per-client-count': ['Per-client count', '(ip, port)', '--mode per-client', 'new port'],
      'your-counter-server': ['Start from the exercise', '# TODO', 'Run counter client', 'PONG #6'],
    }
    for (const s of readLab().steps) {
      const text = source(s.text)
      expect(text.startsWith('# '), `${s.text} starts with a title`).toBe(true)
      const prose = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`]*`/g, '')
      expect(prose, s.text).not.toMatch(/<\/?[a-z][^>]*>/i)
      for (const words of mentions[s.id]!) expect(text, s.text).toContain(words)
    }
  })
})

describe('Python reference programs', () => {
  it.each(PROGRAMS)('%s carries each of its code anchors exactly once, on a code line', (file) => {
    const found = new Map<string, number>()
    for (const line of source(file).split('\n')) {
      const m = /#\s*anchor:\s*([a-z-]+)\s*$/.exec(line)
      if (!m) continue
      found.set(m[1]!, (found.get(m[1]!) ?? 0) + 1)
      expect(line.slice(0, line.indexOf('#')).trim(), line).not.toBe('')
    }
    for (const name of ANCHORS[file]!) expect(found.get(name), `${file}: anchor ${name}`).toBe(1)
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

  it.each(PROGRAMS)('%s uses the standard library only, 127.0.0.1 and port 50008', (file) => {
    const text = source(file)
    const imports = [...text.matchAll(/^(?:import|from) (\w+)/gm)].map((m) => m[1])
    for (const name of imports) expect(['argparse', 'socket', 'sys', 'time']).toContain(name)
    expect(text).toMatch(/^PORT = 50008$/m)
    expect(text).toMatch(/^HOST = "127\.0\.0\.1"$/m)
  })

  it('the server knows the same count modes as the app, and explains where the count lives', () => {
    const text = source('counter_server.py')
    expect(text).toContain(`MODES = [${countModes.map((m) => `"${m}"`).join(', ')}]`)
    expect(text).toMatch(/^ {4}counts = \{\} {2}# anchor: counts$/m)
    // The comment block just above that line says where the count lives, and what a stop does.
    const lines = text.split('\n')
    const at = lines.findIndex((l) => l.includes('# anchor: counts'))
    const comment = lines.slice(at - 6, at).join('\n')
    expect(comment).toMatch(/WHERE THE COUNT LIVES/)
    expect(comment).toMatch(/process/)
    expect(comment).toMatch(/PONG #1/)
  })

  it('the client has a 2 s timeout and prints each reply in full', () => {
    const text = source('counter_client.py')
    expect(text).toMatch(/^TIMEOUT_SECONDS = 2\.0$/m)
    expect(text).toContain('"--count"')
    expect(text).toContain('"--pause"')
    expect(text).toMatch(/print\(f"ping \{number\}: \{reply\} /)
  })

  it('all compile with python3 -m py_compile', async () => {
    const scratch = await mkdtemp(join(tmpdir(), 'counter-pyc-'))
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
