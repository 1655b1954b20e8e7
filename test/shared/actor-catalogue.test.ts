import { describe, expect, it } from 'vitest'
import {
  CHECKER_KIND,
  STUDENT_KIND,
  actorCatalogue,
  actorKinds,
  catalogueEntry,
  optionsSchemaOf,
  startableEntry,
} from '@shared/actor-catalogue'
import { StartActorArgsSchema } from '@shared/actors'
import { actorDefinitions } from '../../src/main/net'
import { STUDENT_KIND as STUDENT_EVENTS_KIND } from '../../src/main/student/student-events'

describe('the actor catalogue', () => {
  it('lists every kind the net registry can start, and the registry starts every startable kind', () => {
    const startable = Object.entries(actorCatalogue)
      .filter(([, e]) => e.startable)
      .map(([kind]) => kind)
      .sort()
    expect(Object.keys(actorDefinitions).sort()).toEqual(startable)
    expect([...actorKinds].sort()).toEqual(startable)
    for (const [kind, definition] of Object.entries(actorDefinitions)) {
      expect(definition.kind, kind).toBe(kind)
    }
  })

  it('holds the student program and the checks as kinds the controls never start', () => {
    expect(STUDENT_EVENTS_KIND).toBe(STUDENT_KIND)
    for (const kind of [STUDENT_KIND, CHECKER_KIND]) {
      expect(catalogueEntry(kind)).toMatchObject({ startable: false })
      expect(actorKinds as readonly string[]).not.toContain(kind)
      expect(Object.keys(actorDefinitions)).not.toContain(kind)
    }
    expect(catalogueEntry('ftp-server')).toBeUndefined()
  })

  it('gives each startable kind a label, a start label and options that all have defaults', () => {
    const startLabels = new Set<string>()
    for (const kind of actorKinds) {
      const e = startableEntry(kind)
      expect(e.label, kind).not.toBe('')
      expect(startLabels.has(e.startLabel), `${kind}: ${e.startLabel} twice`).toBe(false)
      startLabels.add(e.startLabel)
      expect(e.options, kind).toContain('intervalMs')
      expect(() => optionsSchemaOf(kind).parse({}), kind).not.toThrow()
    }
  })

  it('refuses an option a kind does not read, at the IPC edge, naming it', () => {
    const args = { labId: 'lossy-udp', host: '127.0.0.1', port: 50010 }
    const ok = StartActorArgsSchema.safeParse({
      ...args,
      kind: 'lossy-client',
      options: { timeoutMs: 0, count: 3 },
    })
    expect(ok.success).toBe(true)
    const bad = StartActorArgsSchema.safeParse({
      ...args,
      kind: 'tcp-server',
      options: { dropRate: 0.5 },
    })
    expect(bad.success).toBe(false)
    expect(bad.error?.issues[0]).toMatchObject({ path: ['options'] })
    expect(bad.error?.issues[0]?.message).toContain('dropRate')
  })
})
