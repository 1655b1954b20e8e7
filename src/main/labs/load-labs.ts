import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseDocument } from 'yaml'
import { missingIsRequired } from '@shared/expected-flow'
import { LabFileSchema, type Lab, type LabFile, type LabLoadError } from '@shared/lab'
import { knownRuleKinds, ruleParamsSchema } from '../checkpoints'

export interface LoadedLabs {
  labs: Lab[]
  errors: LabLoadError[]
}

/**
 * Read every `labs/<id>/lab.yaml`. A lab that fails validation is reported with its file
 * and the field at fault; the other labs still load.
 */
export async function loadLabs(labsDir: string): Promise<LoadedLabs> {
  const entries = await readdir(labsDir, { withFileTypes: true })
  const labs: Lab[] = []
  const errors: LabLoadError[] = []
  for (const entry of entries
    .filter((e) => e.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))) {
    const result = await loadLab(labsDir, entry.name)
    if ('lab' in result) labs.push(result.lab)
    else errors.push(...result.errors)
  }
  labs.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id))
  return { labs, errors }
}

export async function loadLab(
  labsDir: string,
  folder: string,
): Promise<{ lab: Lab } | { errors: LabLoadError[] }> {
  const file = `${folder}/lab.yaml`
  const fail = (field: string, message: string) => ({ errors: [{ file, field, message }] })

  let text: string
  try {
    text = await readFile(join(labsDir, folder, 'lab.yaml'), 'utf8')
  } catch {
    return fail('', 'lab.yaml is missing or unreadable')
  }
  const doc = parseDocument(text, { prettyErrors: true })
  if (doc.errors.length > 0) {
    return {
      errors: doc.errors.map((e) => ({
        file,
        field: '',
        message: `YAML syntax: ${e.message.split('\n')[0]}`,
      })),
    }
  }
  // A missing field is the commonest slip in a hand-written lab: say it plainly.
  const parsed = LabFileSchema.safeParse(doc.toJS(), { error: missingIsRequired })
  if (!parsed.success) {
    return {
      errors: parsed.error.issues.map((issue) => ({
        file,
        field: issue.path.join('.'),
        message: issue.message,
      })),
    }
  }
  const spec = parsed.data
  const problems = crossCheck(spec, folder)
  if (problems.length > 0) return { errors: problems.map((p) => ({ file, ...p })) }

  const read = async (
    name: string,
    field: string,
  ): Promise<{ text: string } | { error: LabLoadError }> => {
    try {
      return { text: await readFile(join(labsDir, folder, name), 'utf8') }
    } catch {
      return { error: { file, field, message: `${folder}/${name} is missing or unreadable` } }
    }
  }
  const missing: LabLoadError[] = []
  const steps = []
  for (const [i, step] of spec.steps.entries()) {
    const md = await read(step.text, `steps.${i}.text`)
    if ('error' in md) missing.push(md.error)
    steps.push({ ...step, markdown: 'text' in md ? md.text : '' })
  }
  const files = []
  const names = [...new Set(spec.steps.flatMap((s) => s.code))]
  for (const name of names) {
    const i = spec.steps.findIndex((s) => s.code.includes(name))
    const source = await read(name, `steps.${i}.code`)
    if ('error' in source) missing.push(source.error)
    else files.push({ name, source: source.text })
  }
  if (missing.length > 0) return { errors: missing }
  return { lab: { ...spec, steps, files } }
}

/** What the schema cannot see alone: references between parts of the file. */
function crossCheck(spec: LabFile, folder: string): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = []
  if (spec.id !== folder) {
    problems.push({
      field: 'id',
      message: `id "${spec.id}" must match the folder name "${folder}"`,
    })
  }
  const declared = new Set(spec.checkpoints.map((c) => c.id))
  const kinds = new Set(knownRuleKinds())
  spec.checkpoints.forEach((c, i) => {
    if (!kinds.has(c.rule.kind)) {
      problems.push({
        field: `checkpoints.${i}.rule.kind`,
        message: `unknown rule kind "${c.rule.kind}"`,
      })
    }
    problems.push(...ruleParamProblems(c.rule, `checkpoints.${i}.rule`))
  })
  problems.push(...worksheetProblems(spec))
  const stepIds = new Set<string>()
  spec.steps.forEach((step, i) => {
    if (stepIds.has(step.id))
      problems.push({ field: `steps.${i}.id`, message: `duplicate step id "${step.id}"` })
    stepIds.add(step.id)
    step.checkpoints.forEach((id, j) => {
      if (!declared.has(id)) {
        problems.push({
          field: `steps.${i}.checkpoints.${j}`,
          message: `checkpoint "${id}" is not declared under checkpoints`,
        })
      }
    })
  })
  return problems
}

/** A worksheet asked by a step, or read by a checkpoint, must be declared, with unique ids. */
function worksheetProblems(spec: LabFile): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = []
  if (!spec.worksheet) {
    spec.steps.forEach((step, i) => {
      const at = step.panels.indexOf('worksheet')
      if (at >= 0) {
        problems.push({
          field: `steps.${i}.panels.${at}`,
          message: 'the worksheet panel needs questions: add a worksheet section to the lab',
        })
      }
    })
    spec.checkpoints.forEach((c, i) => {
      if (c.rule.kind === 'worksheet-complete') {
        problems.push({
          field: `checkpoints.${i}.rule.kind`,
          message: 'worksheet-complete needs questions: add a worksheet section to the lab',
        })
      }
    })
    return problems
  }
  const ids = new Set<string>()
  spec.worksheet.questions.forEach((q, i) => {
    if (ids.has(q.id)) {
      problems.push({
        field: `worksheet.questions.${i}.id`,
        message: `duplicate question id "${q.id}"`,
      })
    }
    ids.add(q.id)
  })
  return problems
}

/** A rule's parameters against its kind's schema, one problem per field at fault. */
function ruleParamProblems(
  rule: { kind: string } & Record<string, unknown>,
  at: string,
): { field: string; message: string }[] {
  const schema = ruleParamsSchema(rule.kind)
  if (!schema) return []
  const { kind, ...params } = rule
  const parsed = schema.safeParse(params, { error: missingIsRequired })
  if (parsed.success) return []
  return parsed.error.issues.flatMap((issue) => {
    const field = [at, ...issue.path].join('.')
    // An unknown key is reported on its own field, which is where the author will look.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: `${field}.${key}`,
        message: `is not a parameter of rule "${kind}"`,
      }))
    }
    return [{ field, message: issue.message }]
  })
}
