import { z } from 'zod'
import { ActorOptionsSchema, type ActorOptions } from '@shared/actors'
import { startableEntry, type ActorKind, type OptionSetName } from '@shared/actor-catalogue'
import type { OptionName } from '@shared/actor-options'
import { parsePortText } from '@shared/endpoint'
import type { ControlsForm, FramingForm, LossyForm, RelayForm } from './controls-form'
import { parseWhole, type Parsed } from './field-validation'
import { parseMergeMs, parseSplitBytes } from './framing-fields'
import { parseDropList, parseMs, parseProbability, parseSeed, parseTimeout } from './lossy-fields'

/**
 * Each option set the actor catalogue names: how its fields become a kind's start options
 * (`read`), and how a step's declared options are written into its fields (`apply`). The
 * components that show the fields are in option-components.ts.
 */

/** What one start reads from the fields: options, and where the kind has a port of its own. */
export interface Reading {
  options: Partial<ActorOptions>
  /** Where to listen or connect, if not the Port above (lab 5's framing relay and clients). */
  port?: number
  /** How many to start at once (the multi-client lab's Clients field). */
  copies?: number
}

interface ReadContext {
  kind: ActorKind
  form: ControlsForm
  /** The Port above, checked. */
  port: number
}

interface OptionSet {
  /** The options its fields set: a step's declared value for any other goes as declared. */
  shows: readonly OptionName[]
  read(ctx: ReadContext): Parsed<Reading>
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value })

const COUNT = ActorOptionsSchema.shape.count.unwrap()
export const COUNT_LIMIT = `a whole number from 1 to ${COUNT.maxValue}`

export function parseCount(label: string, text: string): Parsed<number> {
  return parseWhole(label, text, COUNT, COUNT_LIMIT)
}

/** Only the multi-client lab's own limits: one click starts at most 20 clients. */
const CLIENTS = z.number().int().min(1).max(20)
const MAX_CLIENTS = z.number().int().min(0).max(1000)

export const parseClients = (text: string) =>
  parseWhole('Clients', text, CLIENTS, 'a whole number from 1 to 20')
export const parseMaxClients = (text: string) =>
  parseWhole('Max clients', text, MAX_CLIENTS, 'a whole number from 0 (no limit) to 1000')

/** Lab 4's lossy fields, each checked. */
export function parseLossyForm(f: LossyForm) {
  return {
    dropRate: parseProbability('Drop probability', f.dropRateText),
    seed: parseSeed(f.seedText),
    dropList: parseDropList(f.dropListText),
    timeout: parseTimeout(f.timeoutMs),
  }
}

/** The impairment relay's fields, each checked, in the order they are shown. */
export function parseRelayForm(f: RelayForm) {
  return {
    targetPort: parsePortText('Forward to port', f.targetPortText),
    drop: parseProbability('Drop', f.dropText),
    delay: parseMs('Delay (ms)', f.delayText),
    jitter: parseMs('Jitter (ms)', f.jitterText),
    duplicate: parseProbability('Duplicate', f.duplicateText),
    reorder: parseProbability('Reorder', f.reorderText),
  }
}

/** The framing relay's fields, each checked. */
export function parseFramingForm(f: FramingForm) {
  return {
    relayPort: parsePortText('Relay port', f.relayPortText),
    targetPort: parsePortText('Forward to port', f.targetPortText),
    split: parseSplitBytes(f.splitText),
    merge: parseMergeMs(f.mergeText),
  }
}

/** The first check that failed, or undefined. */
export function firstFailure(
  checks: Parsed<unknown>[],
): { ok: false; message: string } | undefined {
  for (const c of checks) if (!c.ok) return c
  return undefined
}

/** "PINGs", or "Requests" for lab 5's framing clients, which send calculator requests. */
export function countLabel(kinds: readonly ActorKind[]): 'PINGs' | 'Requests' {
  return kinds.some((k) => startableEntry(k).optionSet === 'framing-client') ? 'Requests' : 'PINGs'
}

function readCount({ kind }: ReadContext, form: ControlsForm): Parsed<number> {
  return parseCount(countLabel([kind]), form.countText)
}

const pings: OptionSet = {
  shows: ['count'],
  read(ctx) {
    const count = readCount(ctx, ctx.form)
    return count.ok ? ok({ options: { count: count.value } }) : count
  },
}

const sets: Record<OptionSetName, OptionSet> = {
  none: { shows: [], read: () => ok({ options: {} }) },
  pings,
  'counter-server': {
    shows: ['countMode'],
    read: ({ form }) => ok({ options: { countMode: form.countMode } }),
  },
  'sequential-server': {
    shows: ['maxClients'],
    read({ form }) {
      const max = parseMaxClients(form.maxClientsText)
      return max.ok ? ok({ options: { maxClients: max.value } }) : max
    },
  },
  'mc-client': {
    shows: ['count'],
    read(ctx) {
      const count = pings.read(ctx)
      if (!count.ok) return count
      const clients = parseClients(ctx.form.clientsText)
      return clients.ok ? ok({ ...count.value, copies: clients.value }) : clients
    },
  },
  'lossy-server': {
    shows: ['seed', 'dropRate', 'dropList'],
    read({ form }) {
      const f = parseLossyForm(form.lossy)
      if (!f.seed.ok) return f.seed
      if (!f.dropList.ok) return f.dropList
      if (f.dropList.value)
        return ok({ options: { seed: f.seed.value, dropList: f.dropList.value } })
      if (!f.dropRate.ok) return f.dropRate
      return ok({ options: { seed: f.seed.value, dropRate: f.dropRate.value } })
    },
  },
  'lossy-client': {
    shows: ['count', 'timeoutMs'],
    read(ctx) {
      const count = pings.read(ctx)
      if (!count.ok) return count
      const timeout = parseLossyForm(ctx.form.lossy).timeout
      if (!timeout.ok) return timeout
      return ok({ options: { ...count.value.options, timeoutMs: timeout.value } })
    },
  },
  'udp-relay': {
    shows: ['seed', 'targetPort', 'impair'],
    read({ form, port: listenPort }) {
      const seed = parseLossyForm(form.lossy).seed
      if (!seed.ok) return seed
      const f = parseRelayForm(form.relay)
      const bad = firstFailure(Object.values(f))
      if (bad) return bad
      const num = (p: Parsed<number>) => (p.ok ? p.value : 0)
      const port = num(f.targetPort)
      if (listenPort === port) {
        return {
          ok: false,
          message: `Forward to port ${port} is the port the relay would listen on: set Port above to another one (e.g. ${port + 1}) and point the client at it`,
        }
      }
      const impair = {
        drop: num(f.drop),
        delayMs: num(f.delay),
        jitterMs: num(f.jitter),
        duplicate: num(f.duplicate),
        reorder: num(f.reorder),
      }
      return ok({ options: { seed: seed.value, targetPort: port, impair } })
    },
  },
  'framing-relay': {
    shows: ['targetPort', 'splitBytes', 'mergeMs'],
    read({ form }) {
      const f = parseFramingForm(form.framing)
      const bad = firstFailure([f.relayPort, f.targetPort, f.split, f.merge])
      if (bad) return bad
      const num = (p: Parsed<number>) => (p.ok ? p.value : 0)
      const [listen, target] = [num(f.relayPort), num(f.targetPort)]
      if (listen === target) {
        return {
          ok: false,
          message: `Relay port ${listen} is also the port it forwards to: give the relay a port of its own (e.g. ${target + 1})`,
        }
      }
      return ok({
        port: listen,
        options: { targetPort: target, splitBytes: num(f.split), mergeMs: num(f.merge) },
      })
    },
  },
  'framing-client': {
    shows: ['count'],
    read(ctx) {
      const count = pings.read(ctx)
      if (!count.ok) return count
      const f = parseFramingForm(ctx.form.framing)
      const port = ctx.form.framing.route === 'relay' ? f.relayPort : f.targetPort
      return port.ok ? ok({ ...count.value, port: port.value }) : port
    },
  },
}

/**
 * What one start of `kind` sends: the step's `declared` options its fields do not show, the
 * pace, and what its option set reads from the fields; or the first field at fault.
 */
export function readOptions(
  kind: ActorKind,
  form: ControlsForm,
  port: number,
  declared: Partial<ActorOptions> = {},
): Parsed<Reading> {
  const set = sets[startableEntry(kind).optionSet]
  const reading = set.read({ kind, form, port })
  if (!reading.ok) return reading
  const hidden = Object.fromEntries(
    Object.entries(declared).filter(([name]) => !set.shows.includes(name as OptionName)),
  )
  const options = { ...hidden, intervalMs: form.pace, ...reading.value.options }
  return ok({ ...reading.value, options })
}
