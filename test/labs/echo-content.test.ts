import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { ActorKind, Lab } from '@shared/lab'
import { genericRules } from '../../src/main/checkpoints/generic'
import { loadLab } from '../../src/main/labs/load-labs'
import { actorDefinitions } from '../../src/main/net'

const LABS_DIR = fileURLToPath(new URL('../../labs/', import.meta.url))
const YAML_TEXT = readFileSync(join(LABS_DIR, 'echo', 'lab.yaml'), 'utf8')

async function echoLab(): Promise<Lab> {
  const loaded = await loadLab(LABS_DIR, 'echo')
  if ('errors' in loaded) throw new Error(JSON.stringify(loaded.errors))
  return loaded.lab
}

describe('labs/echo', () => {
  it('is lab 6 on port 50030 and loads with every file it names', async () => {
    const lab = await echoLab()
    expect(lab).toMatchObject({
      id: 'echo',
      order: 6,
      defaultPort: 50030,
      title: 'Echo and uppercase',
    })
    expect(lab.steps.map((s) => s.id)).toEqual([
      'tcp-upper',
      'udp-upper',
      'threaded',
      'your-upper-server',
    ])
  })

  it('checks only with generic rules: no rule kind of its own', async () => {
    const kinds = new Set(genericRules.map((r) => r.kind))
    const lab = await echoLab()
    for (const c of lab.checkpoints) expect(kinds.has(c.rule.kind), c.id).toBe(true)
    // Every checkpoint is on a step, once.
    const onSteps = lab.steps.flatMap((s) => s.checkpoints)
    expect([...onSteps].sort()).toEqual(lab.checkpoints.map((c) => c.id).sort())
  })

  it('offers general actors only, each with its Python reference on the step', async () => {
    const lab = await echoLab()
    for (const step of lab.steps) {
      expect(step.panels, step.id).toContain('console')
      for (const kind of step.actors) {
        const definition = actorDefinitions[kind as ActorKind]
        expect(definition, kind).toBeDefined()
        expect(step.code, `${step.id}: ${kind}`).toContain(definition.file)
      }
    }
  })

  it('spells round trips once, with repeat, and they come out numbered', async () => {
    expect(YAML_TEXT.match(/^\s+- repeat:$/gm)).toHaveLength(3)
    const lab = await echoLab()
    const tcp = lab.steps[0]!.expected!.events
    expect(tcp.filter((e) => e.op === 'send').map((e) => e.payload)).toEqual([
      'line 1',
      'LINE 1',
      'line 2',
      'LINE 2',
      'line 3',
      'LINE 3',
    ])
    const udp = lab.steps[1]!.expected!.events
    expect(udp.filter((e) => e.op === 'recvfrom').map((e) => e.payload)).toEqual([
      'datagram 1',
      'DATAGRAM 1',
      'datagram 2',
      'DATAGRAM 2',
    ])
  })

  it('greets with the course’s exact bytes, in the flow, the checkpoint and the reference', async () => {
    const lab = await echoLab()
    const greeting = 'Thank you for connecting\\r\\n'
    const flow = lab.steps[2]!.expected!.events
    expect(flow.filter((e) => e.payload === greeting)).toHaveLength(4)
    const rule = lab.checkpoints.find((c) => c.id === 'two-greeted')!.rule
    expect(rule).toMatchObject({ kind: 'greeted', greeting: { exact: greeting } })
    const server = lab.files.find((f) => f.name === 'greeting_server.py')!.source
    expect(server).toContain('GREETING = b"Thank you for connecting\\r\\n"')
  })

  it('its step texts name the checkpoint numbers the rules check', async () => {
    const lab = await echoLab()
    const [tcp, udp, threaded] = lab.steps.map((s) => s.markdown)
    expect(tcp).toMatch(/`line 2` and `line 3`/)
    expect(udp).toMatch(/Then send `datagram 2`/)
    expect(threaded).toMatch(/Click \*\*Connect\*\* again/)
  })
})
