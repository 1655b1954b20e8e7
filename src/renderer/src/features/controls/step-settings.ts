import type { ActorOptions } from '@shared/actors'
import { startableEntry, type ActorKind, type OptionSetName } from '@shared/actor-catalogue'
import type { StepSettings } from '@shared/step-settings'
import { newForm, type ControlsForm } from './controls-form'

/**
 * A step's settings on the controls: each step opens with the defaults plus what its lab.yaml
 * declares, the fields the student changes since are named, and one click puts them back.
 * Host, port and seed are the student's own (a port in use, a run to replay) and are kept.
 */

interface SettingField {
  /** The field's label, as the controls show it. */
  label: string
  /** The option sets whose fields these are ('*': every step that starts anything). */
  sets: readonly (OptionSetName | '*')[]
  get(form: ControlsForm): string | number | boolean
  set(form: ControlsForm, value: never): void
}

const field = <V extends string | number | boolean>(
  label: string,
  sets: readonly (OptionSetName | '*')[],
  get: (form: ControlsForm) => V,
  set: (form: ControlsForm, value: V) => void,
): SettingField => ({ label, sets, get, set: set as SettingField['set'] })

const CLIENT_SETS = ['pings', 'mc-client', 'lossy-client', 'framing-client'] as const

const FIELDS: readonly SettingField[] = [
  field(
    'Pace',
    ['*'],
    (f) => f.pace,
    (f, v) => (f.pace = v),
  ),
  field(
    'PINGs',
    CLIENT_SETS,
    (f) => f.countText,
    (f, v) => (f.countText = v),
  ),
  field(
    'Count mode',
    ['counter-server'],
    (f) => f.countMode,
    (f, v) => (f.countMode = v),
  ),
  field(
    'Clients',
    ['mc-client'],
    (f) => f.clientsText,
    (f, v) => (f.clientsText = v),
  ),
  field(
    'Max clients',
    ['sequential-server'],
    (f) => f.maxClientsText,
    (f, v) => (f.maxClientsText = v),
  ),
  field(
    'Drop probability',
    ['lossy-server'],
    (f) => f.lossy.dropRateText,
    (f, v) => (f.lossy.dropRateText = v),
  ),
  field(
    'Drop exactly these PINGs',
    ['lossy-server'],
    (f) => f.lossy.dropListText,
    (f, v) => (f.lossy.dropListText = v),
  ),
  field(
    'Timeout',
    ['lossy-client'],
    (f) => f.lossy.timeoutMs,
    (f, v) => (f.lossy.timeoutMs = v),
  ),
  field(
    'Drop',
    ['udp-relay'],
    (f) => f.relay.dropText,
    (f, v) => (f.relay.dropText = v),
  ),
  field(
    'Delay (ms)',
    ['udp-relay'],
    (f) => f.relay.delayText,
    (f, v) => (f.relay.delayText = v),
  ),
  field(
    'Jitter (ms)',
    ['udp-relay'],
    (f) => f.relay.jitterText,
    (f, v) => (f.relay.jitterText = v),
  ),
  field(
    'Duplicate',
    ['udp-relay'],
    (f) => f.relay.duplicateText,
    (f, v) => (f.relay.duplicateText = v),
  ),
  field(
    'Reorder',
    ['udp-relay'],
    (f) => f.relay.reorderText,
    (f, v) => (f.relay.reorderText = v),
  ),
  field(
    'Split into pieces of (bytes)',
    ['framing-relay'],
    (f) => f.framing.splitText,
    (f, v) => (f.framing.splitText = v),
  ),
  field(
    'Merge window (ms)',
    ['framing-relay'],
    (f) => f.framing.mergeText,
    (f, v) => (f.framing.mergeText = v),
  ),
  field(
    'The clients connect to',
    ['framing-client'],
    (f) => f.framing.route,
    (f, v) => (f.framing.route = v),
  ),
]

/** The settings fields a step offering `kinds` shows. */
function fieldsOf(kinds: readonly ActorKind[]): SettingField[] {
  if (!kinds.length) return []
  const sets = new Set<string>(['*', ...kinds.map((k) => startableEntry(k).optionSet)])
  return FIELDS.filter((f) => f.sets.some((s) => sets.has(s)))
}

/** Writes one kind's declared options into the fields that show them. */
function applyOptions(form: ControlsForm, kind: ActorKind, options: Partial<ActorOptions>): void {
  const set = startableEntry(kind).optionSet
  const o = options
  if (o.intervalMs !== undefined) form.pace = o.intervalMs
  if (o.count !== undefined) form.countText = String(o.count)
  if (o.countMode !== undefined) form.countMode = o.countMode
  if (o.maxClients !== undefined) form.maxClientsText = String(o.maxClients)
  if (o.timeoutMs !== undefined && set === 'lossy-client') form.lossy.timeoutMs = o.timeoutMs
  if (o.dropRate !== undefined) form.lossy.dropRateText = String(o.dropRate)
  if (o.dropList !== undefined) form.lossy.dropListText = o.dropList.join(', ')
  if (o.seed !== undefined) form.lossy.seedText = String(o.seed)
  if (o.impair) {
    const i = o.impair
    if (i.drop !== undefined) form.relay.dropText = String(i.drop)
    if (i.delayMs !== undefined) form.relay.delayText = String(i.delayMs)
    if (i.jitterMs !== undefined) form.relay.jitterText = String(i.jitterMs)
    if (i.duplicate !== undefined) form.relay.duplicateText = String(i.duplicate)
    if (i.reorder !== undefined) form.relay.reorderText = String(i.reorder)
  }
  if (o.targetPort !== undefined && set === 'udp-relay') {
    form.relay.targetPortText = String(o.targetPort)
  }
  if (o.targetPort !== undefined && set === 'framing-relay') {
    form.framing.targetPortText = String(o.targetPort)
    form.framing.targetEdited = true
  }
  if (o.splitBytes !== undefined) form.framing.splitText = String(o.splitBytes)
  if (o.mergeMs !== undefined) form.framing.mergeText = String(o.mergeMs)
}

/** The values of a step's settings fields, to compare and restore. */
export type SettingsSnapshot = Map<string, string | number | boolean>

/**
 * Sets the fields of a step offering `kinds` to the defaults plus its declared `settings`,
 * and returns them as they now are: the step's settings.
 */
export function openStep(
  form: ControlsForm,
  defaultPort: number,
  kinds: readonly ActorKind[],
  settings: StepSettings | undefined,
): SettingsSnapshot {
  const fresh = newForm(defaultPort)
  for (const f of FIELDS) f.set(form, f.get(fresh) as never)
  for (const kind of kinds) {
    const declared = settings?.[kind]
    if (declared) applyOptions(form, kind, declared)
  }
  return snapshot(form, kinds)
}

function snapshot(form: ControlsForm, kinds: readonly ActorKind[]): SettingsSnapshot {
  return new Map(fieldsOf(kinds).map((f) => [f.label, f.get(form)]))
}

/** The labels of the fields that differ from the step's settings, in the order shown. */
export function changedFields(
  form: ControlsForm,
  kinds: readonly ActorKind[],
  step: SettingsSnapshot,
): string[] {
  return fieldsOf(kinds)
    .filter((f) => step.has(f.label) && step.get(f.label) !== f.get(form))
    .map((f) => f.label)
}

/** Puts the step's settings back into the fields. */
export function restoreStep(
  form: ControlsForm,
  kinds: readonly ActorKind[],
  step: SettingsSnapshot,
): void {
  for (const f of fieldsOf(kinds)) {
    if (step.has(f.label)) f.set(form, step.get(f.label) as never)
  }
}
