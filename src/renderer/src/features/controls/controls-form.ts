import { MAX_PORT, type CountMode } from '@shared/actors'
import { DEFAULT_TIMEOUT_MS, randomSeed } from './lossy-fields'

/**
 * Everything the controls' fields hold, as typed: one object the panel owns, each option
 * component editing its part through v-model. Text stays text until a start reads it, so a
 * half-typed value is kept and named, never cleared.
 */
export interface ControlsForm {
  host: string
  portText: string
  /** Pause between calls (ms), so a class can follow each one. */
  pace: number
  /** How many PINGs (or requests) a client run sends. */
  countText: string
  countMode: CountMode
  /** Multi-client: how many clients one click starts, and the sequential server's limit. */
  clientsText: string
  maxClientsText: string
  lossy: LossyForm
  relay: RelayForm
  framing: FramingForm
}

/** Lab 4: the lossy server's drops and seed (the relay's seed too), the client's timeout. */
export interface LossyForm {
  dropRateText: string
  seedText: string
  dropListText: string
  timeoutMs: number
}

/** Lab 4's impairment relay: where it forwards, and what it does to each datagram. */
export interface RelayForm {
  targetPortText: string
  dropText: string
  delayText: string
  jitterText: string
  duplicateText: string
  reorderText: string
}

/** Lab 5's framing relay, and where its two clients connect. */
export interface FramingForm {
  relayPortText: string
  targetPortText: string
  /** Until edited, "Forward to port" follows the Port above. */
  targetEdited: boolean
  splitText: string
  mergeText: string
  route: 'relay' | 'direct'
}

/** The fields as a lab opens, on its default port. */
export function newForm(defaultPort: number): ControlsForm {
  return {
    host: '127.0.0.1',
    portText: String(defaultPort),
    pace: 0,
    countText: '5',
    countMode: 'shared',
    clientsText: '1',
    maxClientsText: '0',
    lossy: {
      dropRateText: '0.3',
      seedText: String(randomSeed()),
      dropListText: '',
      timeoutMs: DEFAULT_TIMEOUT_MS,
    },
    relay: {
      targetPortText: String(defaultPort),
      dropText: '0',
      delayText: '0',
      jitterText: '0',
      duplicateText: '0',
      reorderText: '0',
    },
    framing: {
      relayPortText: String(Math.min(defaultPort + 1, MAX_PORT)),
      targetPortText: String(defaultPort),
      targetEdited: false,
      splitText: '3',
      mergeText: '0',
      route: 'relay',
    },
  }
}
