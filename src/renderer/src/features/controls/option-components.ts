import type { Component } from 'vue'
import { startableEntry, type ActorKind, type OptionSetName } from '@shared/actor-catalogue'
import LossyOptions from '@renderer/features/controls/LossyOptions.vue'
import RelayOptions from '@renderer/features/controls/RelayOptions.vue'
import FramingOptions from '@renderer/features/controls/FramingOptions.vue'
import type { ControlsForm } from './controls-form'

/**
 * Which option component shows each option set's fields, bound with v-model to its part of
 * the panel's form. Sets with no entry use only the fields every step has (pace, PINGs…).
 */
export interface OptionComponent {
  component: Component
  /** The part of the form it edits. */
  model: 'lossy' | 'relay' | 'framing'
}

const lossy: OptionComponent = { component: LossyOptions, model: 'lossy' }
const relay: OptionComponent = { component: RelayOptions, model: 'relay' }
const framing: OptionComponent = { component: FramingOptions, model: 'framing' }

/** In the order they are shown. */
const ORDER = [lossy, relay, framing]

const bySet: Partial<Record<OptionSetName, readonly OptionComponent[]>> = {
  'lossy-server': [lossy],
  'lossy-client': [lossy],
  // The relay's seed is the lossy options' seed field.
  'udp-relay': [relay, lossy],
  'framing-relay': [framing],
}

/** The option components a step offering `kinds` shows, each once. */
export function optionComponentsFor(kinds: readonly ActorKind[]): OptionComponent[] {
  const used = new Set(kinds.flatMap((k) => bySet[startableEntry(k).optionSet] ?? []))
  return ORDER.filter((c) => used.has(c))
}

export type FormPart = ControlsForm[OptionComponent['model']]
