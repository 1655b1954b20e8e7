import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { LabFileSchema, stepActorKinds, type ActorKind } from '@shared/lab'
import { actorKinds, startableEntry } from '@shared/actor-catalogue'

// Step texts are followed literally: the buttons they name are on the step's page, and
// the parts of the page they name are called what the page calls them.

const LABS_DIR = fileURLToPath(new URL('../../labs/', import.meta.url))
const labIds = readdirSync(LABS_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)

const steps = labIds.flatMap((labId) => {
  const lab = LabFileSchema.parse(parse(readFileSync(join(LABS_DIR, labId, 'lab.yaml'), 'utf8')))
  return lab.steps.map((step) => ({
    where: `${labId}/${step.text}`,
    text: readFileSync(join(LABS_DIR, labId, step.text), 'utf8'),
    labels: new Set(
      stepActorKinds(step)
        .filter((k): k is ActorKind => (actorKinds as string[]).includes(k))
        .map((k) => startableEntry(k).startLabel),
    ),
  }))
})

const ALL_LABELS = new Set(actorKinds.map((k) => startableEntry(k).startLabel))

describe('step texts name what the page shows', () => {
  it.each(steps)('$where: every start button it names is on the step', ({ text, labels }) => {
    // A button of another step is named with where it is ("… back in the TCP flow step").
    const named = [...text.matchAll(/\*\*([^*]+)\*\*(?! back in)/g)].map((m) => m[1]!)
    for (const name of named.filter((n) => ALL_LABELS.has(n))) {
      expect([...labels], `"${name}"`).toContain(name)
    }
  })

  it.each(steps)('$where: calls the sections and tabs by their names', ({ text }) => {
    // The statistics are a section under the controls; the comparison is a diagram tab.
    expect(text).not.toMatch(/statistics panel/i)
    expect(text).not.toMatch(/comparison table/i)
  })
})
