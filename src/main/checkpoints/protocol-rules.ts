import type { TraceEvent } from '@shared/trace'
import { notYet, pass, type CheckpointRule } from './rule'

/** Actor kinds of lab 5 that the rules below read (declared by the servers and the console). */
const CALC = 'calc-server'
const CONSOLES = new Set(['tcp-console', 'udp-console'])
const RELAY = 'framing-relay'
const NAIVE = 'naive-client'
const LINE = 'line-client'

/**
 * The lines of a payload preview. Previews write a newline as the two characters `\n`; a
 * chunk that is exactly one message is one line followed by that.
 */
function previewLines(payload: string | undefined): string[] {
  return (payload ?? '')
    .replace(/…$/, '')
    .split('\\n')
    .map((l) => l.replace(/\\r$/, ''))
}

const isErrorReply = (e: TraceEvent) => previewLines(e.payload).some((l) => l.startsWith('ERROR'))

/** The student typed a malformed expression into a console and the calculator said ERROR. */
export const calcErrorThroughConsole: CheckpointRule = {
  kind: 'calc-error-via-console',
  evaluate(trace) {
    const calcConns = new Set<string>()
    const consoleConns = new Map<string, TraceEvent[]>()
    let calcStarted = false
    for (const e of trace) {
      if (e.actorKind === CALC) {
        calcStarted = true
        if (e.conn !== undefined) calcConns.add(e.conn)
      } else if (CONSOLES.has(e.actorKind) && e.conn !== undefined) {
        let list = consoleConns.get(e.conn)
        if (!list) consoleConns.set(e.conn, (list = []))
        list.push(e)
      }
    }
    let talked = false
    for (const [conn, events] of consoleConns) {
      if (!calcConns.has(conn)) continue
      talked = true
      const reply = events.find((e) => e.op === 'recv' && isErrorReply(e))
      if (!reply) continue
      const asked = events.filter((e) => e.op === 'send' && e.seq < reply.seq).at(-1)
      const said = previewLines(reply.payload).find((l) => l.startsWith('ERROR'))
      const sent = asked ? ` to ${JSON.stringify(previewLines(asked.payload)[0])}` : ''
      return pass(
        `The calculator answered "${said}"${sent}, and the connection stayed open.`,
        asked ? [asked, reply] : [reply],
      )
    }
    if (talked) {
      return notYet(
        'The console is connected to the calculator: now send a malformed expression, such as 2 + * 3, and read its ERROR reply.',
      )
    }
    if (calcStarted) {
      return notYet(
        'The calculator is running: open a TCP console to its port and type an expression.',
      )
    }
    return notYet('Start the calculator server, then talk to it through a TCP console.')
  },
}

/** One client run through the framing relay: what it sent and what came back, chunk by chunk. */
interface RelayedRun {
  actor: string
  sends: TraceEvent[]
  recvs: TraceEvent[]
  /** The client's "a whole line" notes: one per reply it took from its buffer. */
  lines: TraceEvent[]
  failed: boolean
}

/** Runs of `kind` whose connection went to a framing relay rather than straight to a server. */
function relayedRuns(trace: readonly TraceEvent[], kind: string): RelayedRun[] {
  const relayPorts = new Set<string>()
  const relayConns = new Set<string>()
  for (const e of trace) {
    if (e.actorKind !== RELAY) continue
    if (e.op === 'listen' && e.local) relayPorts.add(e.local)
    if (e.op === 'accept' && e.conn) relayConns.add(e.conn)
  }
  const runs = new Map<string, RelayedRun>()
  for (const e of trace) {
    if (e.actorKind !== kind) continue
    let run = runs.get(e.actor)
    if (!run) {
      run = { actor: e.actor, sends: [], recvs: [], lines: [], failed: false }
      runs.set(e.actor, run)
    }
    if (e.op === 'send') run.sends.push(e)
    else if (e.op === 'recv') run.recvs.push(e)
    else if (e.op === 'note' && e.anchor?.name === 'line') run.lines.push(e)
    if (e.op === 'error' || e.op === 'eof' || e.level === 'error') run.failed = true
  }
  const viaRelay = (actor: string) =>
    trace.some(
      (e) =>
        e.actor === actor &&
        e.op === 'connect' &&
        ((e.remote !== undefined && relayPorts.has(e.remote)) ||
          (e.conn !== undefined && relayConns.has(e.conn))),
    )
  return [...runs.values()].filter((r) => viaRelay(r.actor))
}

/** A chunk that is not exactly one whole line: a split or a merge of messages. */
const misframed = (e: TraceEvent) => {
  const lines = previewLines(e.payload)
  return lines.length !== 2 || lines[1] !== ''
}
/** The naive client marks a read that was not the reply to its request with a warning. */
const mismatched = (e: TraceEvent) => e.op === 'recv' && (e.level === 'warn' || misframed(e))

/**
 * Why framing matters: through the relay that splits and merges segments, the naive client
 * (one recv() = one reply) got chunks that were not one reply each, while the line-reading
 * client still got one complete reply per request.
 */
export const framingBrokeAndCoped: CheckpointRule = {
  kind: 'framing-naive-broke-line-coped',
  evaluate(trace) {
    const broken = relayedRuns(trace, NAIVE)
      .map((run) => ({ run, bad: run.recvs.find(mismatched) }))
      .find((r) => r.bad !== undefined)
    const coped = relayedRuns(trace, LINE).find(
      (run) =>
        !run.failed &&
        run.sends.length > 0 &&
        run.lines.length >= run.sends.length &&
        run.recvs.some(misframed),
    )
    if (broken && coped) {
      return pass(
        `Through the relay, ${broken.run.actor} took a chunk that was not one reply for one (${JSON.stringify(broken.bad!.payload)}), while ${coped.actor} reassembled all ${coped.sends.length} replies line by line.`,
        [broken.bad!, coped.recvs.find(misframed)!, coped.lines.at(-1)!],
      )
    }
    if (!trace.some((e) => e.actorKind === RELAY)) {
      return notYet(
        'Start the calculator, then the framing relay in front of it, and run both clients through the relay.',
      )
    }
    const missing: string[] = []
    if (!broken)
      missing.push('the naive client has not yet been caught out by a split or merged reply')
    if (!coped) {
      missing.push(
        'the line-reading client has not yet received every reply through a relay that split or merged them',
      )
    }
    return notYet(`Through the relay, ${missing.join(', and ')}.`)
  },
}

/** The student's own checks: at least one passed, and a failing one showed its transcript. */
export const ownChecksPassAndFail: CheckpointRule = {
  kind: 'own-checks-pass-and-fail',
  evaluate(_trace, _params, context) {
    const results = context?.checkResults ?? []
    const passed = results.find((r) => r.passed)
    const failed = results.find((r) => !r.passed && r.sent !== undefined)
    if (passed && failed) {
      return pass(
        `Your check "${passed.name}" passed and "${failed.name}" failed with its transcript.`,
        [],
      )
    }
    if (results.length === 0) return notYet('Write a check and run it against a server.')
    if (!passed) return notYet('None of your checks has passed yet: write one the server meets.')
    return notYet(
      'Every check passed so far: write one that fails (e.g. expect a wrong reply) and read its transcript.',
    )
  },
}

export const protocolRules = [calcErrorThroughConsole, framingBrokeAndCoped, ownChecksPassAndFail]
