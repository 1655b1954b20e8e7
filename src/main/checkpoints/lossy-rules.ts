import type { TraceEvent } from '@shared/trace'
import { countParam, groupBy, notYet, pass, type CheckpointRule } from './rule'

/**
 * Rules of the Lossy UDP lab, read from the trace contract of lab 4:
 *
 * - a lossy server run starts with a note at `seed`: "seed S, drop probability P" or
 *   "seed S, dropping replies to PING a, b"; each dropped reply is an op `drop` whose
 *   payload is the PONG it did not send;
 * - a lossy client sends `PING n`; each PING ends in an answer (an untagged recvfrom of
 *   `PONG n`) or a `timeout`; late and duplicate replies are recvfroms tagged `late` or
 *   `duplicate`; a client stopped while blocked with no timeout leaves a `cancelled while
 *   blocked` note before its `close`.
 */

const PING_N = /^PING (\d+)$/
const PONG_N = /^PONG (\d+)$/
const SEED_NOTE = /^seed (\d+), (?:drop probability ([\d.]+)|dropping replies to PING ([\d, ]+))$/
const CANCELLED = /^cancelled while blocked in recvfrom\(\)/
const NO_TIMEOUT = /^settimeout\(None\)/

function numberIn(pattern: RegExp, text: string | undefined): number | undefined {
  // Stryker: equivalent — any other fallback text than '' matches no pattern either.
  const m = pattern.exec(text?.trim() ?? '')
  return m ? Number(m[1]) : undefined
}

const portOf = (address: string | undefined) => address?.slice(address.lastIndexOf(':') + 1)

/** One run of a lossy client, with the outcome of each of its PINGs. */
interface ClientRun {
  actor: string
  events: TraceEvent[]
  /** PING numbers in the order sent. */
  sent: number[]
  answers: Map<number, TraceEvent[]>
  timeouts: Map<number, TraceEvent[]>
  late: TraceEvent[]
  close?: TraceEvent
  cancelled?: TraceEvent
  /** The run said settimeout(None): recvfrom() waits forever. */
  noTimeout: boolean
  localPort?: string
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

/** Client runs: the client actors that sent numbered PINGs. */
function clientRuns(trace: readonly TraceEvent[]): ClientRun[] {
  const byActor = groupBy(
    trace.filter((e) => e.role === 'client' && e.proto === 'udp'),
    (e) => e.actor,
  )
  const runs: ClientRun[] = []
  for (const [actor, events] of byActor) {
    const run: ClientRun = {
      actor,
      events,
      sent: [],
      answers: new Map(),
      timeouts: new Map(),
      late: [],
      noTimeout: false,
    }
    let current: number | undefined
    for (const e of events) {
      if (e.op === 'sendto') {
        current = numberIn(PING_N, e.payload)
        if (current !== undefined) {
          run.sent.push(current)
          run.localPort ??= portOf(e.local)
        }
        // Stryker: equivalent — `e.op === …` → true in the branches below: only recvfrom is
        // tagged late, and only notes carry these messages ('' or any fallback matches none).
      } else if (e.op === 'recvfrom' && e.tag === 'late') {
        run.late.push(e)
      } else if (e.op === 'recvfrom' && e.tag === undefined && current !== undefined) {
        if (numberIn(PONG_N, e.payload) === current) push(run.answers, current, e)
      } else if (e.op === 'timeout' && current !== undefined) {
        push(run.timeouts, current, e)
      } else if (e.op === 'close') {
        run.close = e
      } else if (e.op === 'note' && CANCELLED.test(e.message ?? '')) {
        run.cancelled = e
      } else if (e.op === 'note' && NO_TIMEOUT.test(e.message ?? '')) {
        run.noTimeout = true
      }
    }
    if (run.sent.length > 0) runs.push(run)
  }
  return runs
}

/** One run of a lossy server: its seed note, the PINGs it received and the replies it dropped. */
interface ServerRun {
  actor: string
  seedNote: TraceEvent
  seed: number
  /** The drop probability, or undefined in drop-list mode. */
  probability?: number
  dropList?: number[]
  /** PING numbers in arrival order. */
  received: number[]
  /** The clients' ports, per received PING. */
  senders: Set<string>
  drops: TraceEvent[]
  dropped: number[]
}

function serverRuns(trace: readonly TraceEvent[]): ServerRun[] {
  const runs = new Map<string, ServerRun>()
  for (const e of trace) {
    if (e.role !== 'server' || e.proto !== 'udp') continue
    const run = runs.get(e.actor)
    if (!run) {
      const m = e.op === 'note' ? SEED_NOTE.exec(e.message ?? '') : null
      if (!m) continue
      runs.set(e.actor, {
        actor: e.actor,
        seedNote: e,
        seed: Number(m[1]),
        probability: m[2] !== undefined ? Number(m[2]) : undefined,
        // Stryker: equivalent — Number() ignores the spaces that trim() removes.
        dropList: m[3]?.split(',').map((s) => Number(s.trim())),
        received: [],
        senders: new Set(),
        drops: [],
        dropped: [],
      })
      continue
    }
    if (e.op === 'recvfrom') {
      const n = numberIn(PING_N, e.payload)
      if (n === undefined) continue
      run.received.push(n)
      const port = portOf(e.remote)
      // Stryker: equivalent — an undefined port in the set matches no client (serversOf).
      if (port) run.senders.add(port)
    } else if (e.op === 'drop') {
      const n = numberIn(PONG_N, e.payload)
      if (n === undefined) continue
      run.drops.push(e)
      run.dropped.push(n)
    }
  }
  return [...runs.values()]
}

/** The server runs that received this client's PINGs (matched by the client's port). */
function serversOf(client: ClientRun, servers: readonly ServerRun[]): ServerRun[] {
  return servers.filter((s) => client.localPort && s.senders.has(client.localPort))
}

/** PING numbers of a run that did not end in exactly one answer or one timeout. */
function withoutOneOutcome(run: ClientRun): number[] {
  return run.sent.filter(
    (n) => (run.answers.get(n)?.length ?? 0) + (run.timeouts.get(n)?.length ?? 0) !== 1,
  )
}

const sameNumbers = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((n, i) => n === b[i])

const sorted = (numbers: Iterable<number>) => [...new Set(numbers)].sort((a, b) => a - b)

/** PING numbers for a sentence: every one up to 12, else the first 10 and how many more. */
export function list(numbers: readonly number[]): string {
  if (numbers.length <= 12) return numbers.join(', ')
  return `${numbers.slice(0, 10).join(', ')} and ${numbers.length - 10} more`
}

const replies = (numbers: readonly number[]) =>
  numbers.length > 0 ? `the replies to PING ${list(numbers)}` : 'none'

/**
 * Why there is no server run (no seed note) to judge: none started, or one was running when
 * the student cleared the trace and has answered since: its start went with the trace.
 */
function noServerRun(trace: readonly TraceEvent[], todo: string): string {
  const cleared = trace.findLast((e) => e.role === 'server')
  if (cleared) {
    return `${cleared.actor} has answered since the trace was cleared, but its start (with its seed and drops) went with the cleared trace: click Stop on it, then ${todo}`
  }
  return `No lossy server has started since the trace began (one started before Clear trace is not in it: stop it and start it again): ${todo}`
}

/** A client of the app is still sending to this server run: its drops are not all in yet. */
function stillFed(server: ServerRun, clients: readonly ClientRun[]): ClientRun | undefined {
  return clients.find((c) => !c.close && serversOf(c, [server]).length > 0)
}

/**
 * One lossy client run of at least `count` PINGs (20) finished through loss: the server it
 * talked to dropped with probability ≥ `dropRate` (0.3), or, for a server the trace does not
 * show, at least one PING timed out. Every PING ended in exactly one answer or one timeout.
 */
export const lossyGoesOn: CheckpointRule = {
  kind: 'lossy-goes-on',
  evaluate(trace, params) {
    const need = countParam(params, 20)
    const minRate = typeof params.dropRate === 'number' ? params.dropRate : 0.3
    const servers = serverRuns(trace)
    const runs = clientRuns(trace)
    const finished = runs.filter((r) => r.close && !r.cancelled)
    if (runs.length === 0) {
      return notYet(
        `No lossy client has sent a PING yet: set Drop probability to ${minRate}, click Start lossy server, then run the lossy client with ${need} PINGs.`,
      )
    }
    if (finished.length === 0) {
      return notYet(
        'No lossy client run has finished yet: let it run to the end (with a Timeout, not None, it always does).',
      )
    }
    const long = finished.filter((r) => r.sent.length >= need)
    if (long.length === 0) {
      const most = Math.max(...finished.map((r) => r.sent.length))
      return notYet(
        `The longest finished run sent ${most} PINGs; ${need} are needed. Set PINGs to ${need} and run the lossy client again.`,
      )
    }
    let lowRate: number | undefined
    let noLoss = false
    for (const run of long) {
      const missing = withoutOneOutcome(run)
      if (missing.length > 0) continue
      const timeouts = [...run.timeouts.values()].flat()
      const seen = serversOf(run, servers)
      const lossy = seen.find((s) => (s.probability ?? 0) >= minRate)
      if (seen.length > 0 && !lossy) {
        lowRate = Math.max(...seen.map((s) => s.probability ?? 0))
        continue
      }
      if (!lossy && timeouts.length === 0) {
        noLoss = true
        continue
      }
      const lost = sorted(run.timeouts.keys())
      return pass(
        `${run.sent.length} PINGs finished through ${lossy ? `drop probability ${lossy.probability}` : 'loss'}: ${run.answers.size} answered, ${lost.length} timed out (${list(lost) || 'none'}), each reported and none left hanging.`,
        [...(lossy ? [lossy.seedNote] : []), ...timeouts, run.close!],
      )
    }
    if (lowRate !== undefined) {
      return notYet(
        `The client ran ${need} PINGs, but against a server dropping with probability ${lowRate}: set Drop probability to ${minRate} or more, stop and start the lossy server, and run the client again.`,
      )
    }
    if (noLoss) {
      return notYet(
        `The client finished ${need} PINGs without losing a single reply: the server must lose some. Set Drop probability to ${minRate} and start the lossy server again.`,
      )
    }
    const run = long[0]!
    const missing = withoutOneOutcome(run)
    return notYet(
      `PING ${list(missing.slice(0, 5))} did not end in exactly one reply or one timeout: run the lossy client again, with a Timeout.`,
    )
  },
}

/** A client with no timeout blocked in recvfrom() and was cancelled by Stop. */
export const lossyBlockedCancelled: CheckpointRule = {
  kind: 'lossy-blocked-cancelled',
  evaluate(trace) {
    const runs = clientRuns(trace)
    const cancelled = runs.find((r) => r.cancelled)
    if (cancelled) {
      const n = numberIn(/waiting for PONG (\d+)/, cancelled.cancelled!.message)
      const setting = cancelled.events.find(
        (e) => e.op === 'note' && NO_TIMEOUT.test(e.message ?? ''),
      )
      return pass(
        `With no timeout the client blocked in recvfrom() waiting for PONG ${n ?? '?'}, and only Stop could end the wait.`,
        [
          ...(setting ? [setting] : []),
          cancelled.cancelled!,
          ...(cancelled.close ? [cancelled.close] : []),
        ],
      )
    }
    const noTimeout = runs.filter((r) => r.noTimeout)
    if (noTimeout.length === 0) {
      return notYet(
        'No client has run without a timeout yet: set Timeout to None (wait forever) and click Run lossy client.',
      )
    }
    if (noTimeout.some((r) => !r.close)) {
      return notYet(
        'The client without a timeout is still running: if it has stopped moving, it is blocked in recvfrom(). Click Stop next to the lossy client.',
      )
    }
    return notYet(
      'The client without a timeout got every reply, so it never blocked: start the lossy server with Drop probability 0.3 and run it again.',
    )
  },
}

/**
 * Two lossy server runs with the same seed and the same drop probability received the same
 * PINGs in the same order and dropped the same ones (at least one). The runs are compared
 * over the PINGs both received, from the first: the generator draws once per PING.
 */
export const lossySameSeed: CheckpointRule = {
  kind: 'lossy-same-seed',
  evaluate(trace) {
    const runs = serverRuns(trace)
    if (runs.length === 0) {
      return notYet(
        noServerRun(
          trace,
          'type a number in Seed, set Drop probability to 0.3 and click Start lossy server.',
        ),
      )
    }
    const clients = clientRuns(trace)
    const random = runs.filter((r) => (r.probability ?? 0) > 0)
    if (random.length === 0) {
      return notYet(
        'No server run has used a drop probability yet (a fixed drop list does not need a seed): set Drop probability to 0.3 and Seed to a number, and start the lossy server.',
      )
    }
    const bySeed = new Map<string, ServerRun[]>()
    for (const r of random) push(bySeed, `${r.seed}/${r.probability}`, r)
    let repeated = false
    let reason: string | undefined
    for (const group of bySeed.values()) {
      for (const [i, a] of group.entries()) {
        for (const b of group.slice(i + 1)) {
          repeated = true
          // A pass is kept with its first text: compare the runs once their PINGs are all in.
          const running = stillFed(a, clients) ?? stillFed(b, clients)
          if (running) {
            reason = `${running.actor} is still sending PINGs to a run with seed ${a.seed}: let it finish, then the two runs are compared over all the PINGs both received.`
            continue
          }
          const shorter = Math.min(a.received.length, b.received.length)
          let common = 0
          while (common < shorter && a.received[common] === b.received[common]) common++
          if (common === 0) {
            reason = `Two runs with seed ${a.seed} did not receive the same PINGs: run the lossy client against each, with the same PINGs.`
            continue
          }
          const within = (run: ServerRun) => {
            const got = new Set(run.received.slice(0, common))
            return run.drops.filter((d) => got.has(numberIn(PONG_N, d.payload)!))
          }
          const [da, db] = [within(a), within(b)]
          const [na, nb] = [da.map((d) => d.payload), db.map((d) => d.payload)]
          if (da.length === 0) {
            reason = `Two runs with seed ${a.seed} dropped nothing over the same ${common} PINGs: send more PINGs (20), so that some replies are lost.`
            continue
          }
          const dropped = (drops: TraceEvent[]) => drops.map((d) => numberIn(PONG_N, d.payload)!)
          if (na.join() !== nb.join()) {
            reason = `Two runs with seed ${a.seed} dropped different replies over the same ${common} PINGs: the first ${replies(dropped(da))}, the second ${replies(dropped(db))}.`
            continue
          }
          return pass(
            `Seed ${a.seed} at drop probability ${a.probability}, twice: over the ${common} PINGs both runs received, both dropped the replies to PING ${list(sorted(dropped(da)))}.`,
            [a.seedNote, ...da, b.seedNote, ...db],
          )
        }
      }
    }
    if (!repeated) {
      const last = random.at(-1)!
      return notYet(
        `Seed ${last.seed} has been used by one server run only: click Stop on the lossy server, then Start lossy server again with the same Seed and Drop probability, and run the client again.`,
      )
    }
    return notYet(reason!)
  },
}

/** A server with a drop list dropped exactly those PINGs, and a client timed out on each. */
export const lossyDropList: CheckpointRule = {
  kind: 'lossy-drop-list',
  evaluate(trace) {
    const servers = serverRuns(trace).filter((s) => s.dropList)
    if (servers.length === 0) {
      if (serverRuns(trace).length === 0) {
        return notYet(
          noServerRun(trace, 'type 3, 7 in Drop exactly these PINGs and start the lossy server.'),
        )
      }
      return notYet(
        'No server has run with a drop list yet: type 3, 7 in Drop exactly these PINGs, then stop and start the lossy server.',
      )
    }
    const clients = clientRuns(trace)
    let reason: string | undefined
    for (const server of servers) {
      const wanted = sorted(server.dropList!)
      const top = wanted.at(-1)!
      if (!server.received.includes(top)) {
        reason = `The server drops the replies to PING ${list(wanted)}, but has not received PING ${top} yet: run the lossy client with at least ${top} PINGs.`
        continue
      }
      if (!sameNumbers(sorted(server.dropped), wanted)) {
        reason = `The server dropped the replies to PING ${list(sorted(server.dropped))}, not exactly ${list(wanted)}.`
        continue
      }
      for (const client of clients) {
        if (!serversOf(client, [server]).length || !client.close) continue
        const timedOut = sorted(client.timeouts.keys())
        if (!wanted.every((n) => client.timeouts.has(n))) {
          reason = client.noTimeout
            ? 'The client had no timeout, so it blocked on the first dropped reply instead of reporting it: choose a Timeout such as 2 s and run it again.'
            : `The client timed out on ${timedOut.length > 0 ? `PING ${list(timedOut)}` : 'no PING'}, not on each of ${list(wanted)}: run it to the end with at least ${top} PINGs.`
          continue
        }
        const evidence = [
          server.seedNote,
          ...server.drops,
          ...wanted.flatMap((n) => client.timeouts.get(n)!),
        ]
        return pass(
          `The server dropped exactly the replies to PING ${list(wanted)}, and the client reported each of them as a timeout.`,
          evidence,
        )
      }
      reason ??= `The server dropped exactly PING ${list(wanted)}'s replies, but no lossy client run of the app finished against it: run the lossy client (with a Timeout) to the end.`
    }
    return notYet(reason!)
  },
}

/**
 * A client recognised a late reply by its number: a recvfrom tagged `late`. It takes a
 * delay (from the relay) longer than the client's timeout.
 */
export const lossyLateReply: CheckpointRule = {
  kind: 'lossy-late-reply',
  evaluate(trace) {
    const runs = clientRuns(trace)
    for (const run of runs) {
      const late = run.late[0]
      if (!late) continue
      const k = numberIn(PONG_N, late.payload)
      // Stryker: equivalent — `k === undefined` → false: no timeout is ever kept under undefined.
      const timedOut = k === undefined ? [] : (run.timeouts.get(k) ?? [])
      const delayed = trace.filter(
        (e) =>
          e.role === 'relay' &&
          e.tag === 'delayed' &&
          e.payload === late.payload &&
          // Stryker: equivalent — `<=` adds only `late` itself, which is not a relay's.
          e.seq < late.seq,
      )
      return pass(
        `The client timed out on PING ${k ?? '?'}, then got ${late.payload} while waiting for a later PONG, and told it apart by its number: a late reply, ignored.`,
        [...timedOut, ...delayed.slice(-1), late],
      )
    }
    const relays = trace.filter((e) => e.role === 'relay')
    if (relays.length === 0) {
      return notYet(
        'No relay has run yet: set the relay’s Forward to port to the lossy server’s port and Delay (ms) to 1500, click Start relay, and run the lossy client through it with Timeout 2 s.',
      )
    }
    const forwarded = relays.some((e) => e.op === 'sendto')
    if (!forwarded) {
      return notYet(
        'The relay has not passed on any datagram yet: run the lossy client against the relay’s port (not the server’s).',
      )
    }
    const timedOut = runs.some((r) => r.timeouts.size > 0)
    if (!timedOut) {
      return notYet(
        'Every reply came back within the client’s timeout: set the relay’s Delay (ms) so that twice the delay is longer than the Timeout (1500 with Timeout 2 s), and run the client again.',
      )
    }
    return notYet(
      'The client timed out, but no late reply reached it before it finished: run more PINGs (5 or more) so the client is still waiting when the delayed PONG arrives, and use a Drop of 0 on the relay and the server.',
    )
  },
}

export const lossyRules: CheckpointRule[] = [
  lossyGoesOn,
  lossyBlockedCancelled,
  lossySameSeed,
  lossyDropList,
  lossyLateReply,
]
