import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import {
  CHECKER_KIND,
  LabFileSchema,
  stepActorKinds,
  type ActorKind,
  type LabFile,
} from '@shared/lab'
import { knownRuleKinds } from '../../src/main/checkpoints'
import { loadLab } from '../../src/main/labs/load-labs'
import { actorDefinitions } from '../../src/main/net'

const LABS_DIR = fileURLToPath(new URL('../../labs/', import.meta.url))
const LAB_DIR = join(LABS_DIR, 'protocol')

function readLab(): LabFile {
  return LabFileSchema.parse(parse(readFileSync(join(LAB_DIR, 'lab.yaml'), 'utf8')))
}

describe('labs/protocol', () => {
  it('is lab 5 on port 50020, and loads with every file it names', async () => {
    const lab = readLab()
    expect(lab).toMatchObject({ id: 'protocol', order: 5, defaultPort: 50020 })
    const loaded = await loadLab(LABS_DIR, 'protocol')
    expect('errors' in loaded ? loaded.errors : []).toEqual([])
  })

  it('walks the design loop: worksheet, examples, framing, checks, your server, then the optional loop', () => {
    const lab = readLab()
    expect(lab.steps.map((s) => s.id)).toEqual([
      'worksheet',
      'examples',
      'framing',
      'checks',
      'your-protocol',
      'design-loop',
    ])
    const panels = Object.fromEntries(lab.steps.map((s) => [s.id, s.panels]))
    expect(panels.worksheet).toEqual(['worksheet'])
    expect(panels.examples).toContain('console')
    // The worksheet is shown beside the student's checks.
    expect(panels.checks).toEqual(expect.arrayContaining(['checks', 'worksheet']))
  })

  it('offers each example server, both consoles and the framing demo, all of them real actors', () => {
    const lab = readLab()
    const actors = new Set(lab.steps.flatMap((s) => stepActorKinds(s)))
    for (const kind of [
      'calc-server',
      'guess-server',
      'kv-server',
      'chat-server',
      'upper-tcp-server',
      'upper-udp-server',
      'tcp-console',
      'udp-console',
      'framing-relay',
      'naive-client',
      'line-client',
    ]) {
      expect(actors.has(kind as never), kind).toBe(true)
    }
    for (const kind of actors) {
      if (kind !== CHECKER_KIND) expect(actorDefinitions[kind as ActorKind], kind).toBeDefined()
    }
    // The console panel opens consoles itself: no step repeats them as start buttons.
    for (const step of lab.steps) {
      expect(step.actors, step.id).not.toContain('tcp-console')
      expect(step.actors, step.id).not.toContain('udp-console')
    }
  })

  it('shows the Python reference of every program a step runs', () => {
    const lab = readLab()
    const file: Partial<Record<ActorKind, string>> = {
      'calc-server': 'calc_server.py',
      'guess-server': 'guess_server.py',
      'kv-server': 'kv_server.py',
      'chat-server': 'chat_server.py',
      'upper-tcp-server': 'upper_tcp_server.py',
      'upper-udp-server': 'upper_udp_server.py',
      'framing-relay': 'framing_relay.py',
      'naive-client': 'naive_client.py',
      'line-client': 'line_client.py',
    }
    for (const step of lab.steps.filter((s) => s.code.length > 0)) {
      for (const kind of step.actors) expect(step.code, `${step.id}: ${kind}`).toContain(file[kind])
    }
  })

  it('has one checkpoint per part of the loop, each with a known rule and a step to pass it in', () => {
    const lab = readLab()
    const kinds = new Set(knownRuleKinds())
    expect(lab.checkpoints.map((c) => c.rule.kind)).toEqual([
      'worksheet-complete',
      'calc-error-via-console',
      'framing-naive-broke-line-coped',
      'own-checks-pass-and-fail',
      'student-server-passed-check',
    ])
    for (const c of lab.checkpoints) {
      expect(kinds.has(c.rule.kind), c.rule.kind).toBe(true)
      expect(lab.steps.filter((s) => s.checkpoints.includes(c.id))).toHaveLength(1)
    }
  })

  it('step texts name the controls and files they send the student to', () => {
    const lab = readLab()
    const text = (id: string) =>
      readFileSync(join(LAB_DIR, lab.steps.find((s) => s.id === id)!.text), 'utf8')
    expect(text('worksheet')).toMatch(/Export as comment block/)
    expect(text('examples')).toMatch(/labs\/protocol\/specs\//)
    expect(text('framing')).toMatch(/naive_client\.py[\s\S]*line_client\.py/)
    for (const step of lab.steps) expect(text(step.id).length, step.id).toBeGreaterThan(600)
  })
})
