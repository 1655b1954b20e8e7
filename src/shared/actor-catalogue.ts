import { z } from 'zod'
import { optionsOf, type OptionName } from './actor-options'

/**
 * Every kind of program that can appear in a lab's trace, in one table: what it is (its
 * role), what it speaks, what the page calls it, and, for the ones the controls start, the
 * words on its button, the options it reads and which group of option fields sets them.
 * The net registry, the controls, the diagram and the lab validation all read this table:
 * a new kind is one entry here, one actor in src/main/net and one line in its registry.
 */

/**
 * - `server`, `client`, `relay`: the app's programs, as the course names them;
 * - `console`: a connection the student drives by hand (lab 5's raw console);
 * - `program`: the student's own program, run from the workspace;
 * - `checker`: the student's send/expect checks (lab 5).
 */
export const catalogueRoles = [
  'server',
  'client',
  'relay',
  'console',
  'program',
  'checker',
] as const
export type CatalogueRole = (typeof catalogueRoles)[number]

/**
 * Which group of option fields a kind's controls show. The renderer maps each name to the
 * component that edits it (src/renderer/src/features/controls/option-sets.ts).
 */
export const optionSetNames = [
  'none',
  'pings',
  'counter-server',
  'sequential-server',
  'mc-client',
  'lossy-server',
  'lossy-client',
  'udp-relay',
  'framing-relay',
  'framing-client',
] as const
export type OptionSetName = (typeof optionSetNames)[number]

interface StartableEntry<K extends OptionName> {
  startable: true
  role: 'server' | 'client' | 'relay' | 'console'
  proto: 'tcp' | 'udp'
  /** What the page calls it: "TCP server". */
  label: string
  /** The words on its start button, as the step texts name them. */
  startLabel: string
  /** The options it reads; every kind also takes the pace (`intervalMs`). */
  options: readonly K[]
  optionSet: OptionSetName
}

interface TraceOnlyEntry {
  startable: false
  role: 'program' | 'checker'
  /** Either protocol: it depends on what the program does. */
  proto: null
  label: string
}

/** Every kind also reads the pace: how long it pauses between calls, for a class to follow. */
const PACE = 'intervalMs'

function entry<const K extends OptionName>(
  role: StartableEntry<K>['role'],
  proto: StartableEntry<K>['proto'],
  label: string,
  startLabel: string,
  optionSet: OptionSetName = 'none',
  options: readonly K[] = [],
): StartableEntry<K | typeof PACE> {
  return { startable: true, role, proto, label, startLabel, options: [PACE, ...options], optionSet }
}

const CLIENT_RUN = ['count', 'timeoutMs'] as const

/** The programs the controls start. */
const startable = {
  'tcp-server': entry('server', 'tcp', 'TCP server', 'Start TCP server'),
  'tcp-client': entry('client', 'tcp', 'TCP client', 'Run TCP client', 'pings', CLIENT_RUN),
  'udp-server': entry('server', 'udp', 'UDP server', 'Start UDP server'),
  'udp-client': entry('client', 'udp', 'UDP client', 'Run UDP client', 'pings', CLIENT_RUN),
  'counter-server': entry(
    'server',
    'udp',
    'counter server',
    'Start counter server',
    'counter-server',
    ['countMode'],
  ),
  'counter-client': entry(
    'client',
    'udp',
    'counter client',
    'Run counter client',
    'pings',
    CLIENT_RUN,
  ),
  'sequential-server': entry(
    'server',
    'tcp',
    'sequential server',
    'Start sequential server',
    'sequential-server',
    ['maxClients', 'idleTimeoutMs', 'framing'],
  ),
  'concurrent-server': entry(
    'server',
    'tcp',
    'concurrent server',
    'Start concurrent server',
    'none',
    ['idleTimeoutMs', 'framing'],
  ),
  'mc-client': entry('client', 'tcp', 'mc client', 'Add client(s)', 'mc-client', [
    ...CLIENT_RUN,
    'framing',
  ]),
  'calc-server': entry('server', 'tcp', 'calculator server', 'Start calculator server'),
  'guess-server': entry(
    'server',
    'tcp',
    'guessing-game server',
    'Start guessing-game server',
    'none',
    ['seed'],
  ),
  'kv-server': entry('server', 'tcp', 'key-value server', 'Start key-value server'),
  'chat-server': entry('server', 'tcp', 'chat server', 'Start chat server'),
  'upper-tcp-server': entry(
    'server',
    'tcp',
    'uppercase TCP server',
    'Start uppercase TCP server',
    'none',
    ['framing'],
  ),
  'upper-udp-server': entry('server', 'udp', 'uppercase UDP server', 'Start uppercase UDP server'),
  'tcp-console': entry('console', 'tcp', 'TCP console', 'Open TCP console'),
  'udp-console': entry('console', 'udp', 'UDP console', 'Open UDP console'),
  'lossy-server': entry('server', 'udp', 'lossy server', 'Start lossy server', 'lossy-server', [
    'dropRate',
    'seed',
    'dropList',
  ]),
  'lossy-client': entry(
    'client',
    'udp',
    'lossy client',
    'Run lossy client',
    'lossy-client',
    CLIENT_RUN,
  ),
  'udp-relay': entry('relay', 'udp', 'UDP relay', 'Start relay', 'udp-relay', [
    'targetHost',
    'targetPort',
    'seed',
    'impair',
  ]),
  'framing-relay': entry('relay', 'tcp', 'framing relay', 'Start framing relay', 'framing-relay', [
    'targetHost',
    'targetPort',
    'splitBytes',
    'mergeMs',
  ]),
  'naive-client': entry('client', 'tcp', 'naive client', 'Run naive client', 'framing-client', [
    'count',
  ]),
  'line-client': entry('client', 'tcp', 'line client', 'Run line client', 'framing-client', [
    'count',
  ]),
  'greeting-server': entry('server', 'tcp', 'greeting server', 'Start greeting server'),
}

/** The student's own program in the trace (src/main/student/student-events.ts). */
export const STUDENT_KIND = 'student-program'
/** The student's own checks in the trace (not started through controls). */
export const CHECKER_KIND = 'checker'

const traceOnly: Record<typeof STUDENT_KIND | typeof CHECKER_KIND, TraceOnlyEntry> = {
  [STUDENT_KIND]: { startable: false, role: 'program', proto: null, label: 'student program' },
  [CHECKER_KIND]: { startable: false, role: 'checker', proto: null, label: 'checker' },
}

export type ActorKind = keyof typeof startable
export type CatalogueKind = ActorKind | keyof typeof traceOnly
export type CatalogueEntry = StartableEntry<OptionName> | TraceOnlyEntry

/** The whole catalogue: every kind a trace event can carry. */
export const actorCatalogue: Record<CatalogueKind, CatalogueEntry> = { ...startable, ...traceOnly }

/** Actor kinds the main process can run. Each lab step names the ones it offers. */
export const actorKinds = Object.keys(startable) as [ActorKind, ...ActorKind[]]
export const ActorKindSchema = z.enum(actorKinds, {
  error: (issue) =>
    `"${String(issue.input)}" is not a program the app can run (it runs ${actorKinds.join(', ')})`,
})

/** A startable kind's catalogue entry. */
export function startableEntry(kind: ActorKind): StartableEntry<OptionName> {
  return startable[kind]
}

/** The entry of any kind a trace event names, or undefined for one the catalogue lacks. */
export function catalogueEntry(kind: string): CatalogueEntry | undefined {
  return Object.hasOwn(actorCatalogue, kind) ? actorCatalogue[kind as CatalogueKind] : undefined
}

const schemas = new Map(
  actorKinds.map((kind) => [kind, optionsOf(startable[kind].options)] as const),
)

/** The options schema of `kind`: its own fields with their defaults, unknown fields refused. */
export function optionsSchemaOf(kind: ActorKind) {
  return schemas.get(kind)!
}

/**
 * Checks `options` against `kind`'s own schema: the problems, each with its path inside
 * the options and words that name the field ("tcp-server has no option "count"…").
 */
export function optionProblems(
  kind: ActorKind,
  options: unknown,
): { path: PropertyKey[]; message: string }[] {
  const checked = optionsSchemaOf(kind).safeParse(options)
  if (checked.success) return []
  return checked.error.issues.map((issue) => ({
    path: issue.path,
    message:
      issue.code === 'unrecognized_keys'
        ? `${kind} has no option ${issue.keys.map((k) => `"${k}"`).join(', ')}; it has: ${startable[kind].options.join(', ')}`
        : issue.message,
  }))
}

/** The role in a trace event: a console connects like a client. */
export function traceRoleOf(kind: ActorKind): 'server' | 'client' | 'relay' {
  const role = startable[kind].role
  return role === 'console' ? 'client' : role
}

/**
 * Clients are one-shot runs: they can be run again and again, several at once. Everything
 * else (servers, relays, consoles) keeps running until stopped, so while one runs its
 * controls offer Stop and Restart instead of a second Start that could only fail.
 */
export function isOneShot(kind: ActorKind): boolean {
  return startable[kind].role === 'client'
}

/** A server or relay: it listens, and others talk to it. */
export function listens(kind: string): boolean {
  const role = catalogueEntry(kind)?.role
  return role === 'server' || role === 'relay'
}
