import { createSocket } from 'node:dgram'
import { connect } from 'node:net'
import {
  compareReply,
  type Comparison,
  decodeEscapes,
  formatWithin,
  withoutLineEnd,
  type Check,
  type CheckResult,
  type CheckRun,
} from '@shared/checks'
import { PatternTooSlowError, testPatternBounded } from './bounded-regex'
import { previewPayload, type Protocol } from '@shared/trace'
import type { ActorTraceInput } from '../net/actor'
import { formatAddress, normalizeHost, udpType } from '../net/address'
import { explainSocketError } from '../net/errors'
import { round } from '../net/round-ms'

/** One event of a check run; the caller adds the actor, its kind (`checker`) and the time. */
export type CheckerTraceInput = Omit<ActorTraceInput, 'at' | 'now'> & { proto: Protocol }
export type CheckerTrace = (event: CheckerTraceInput) => void

/** A reply longer than this is cut: a check compares one message, not a flood. */
export const MAX_REPLY_BYTES = 64 * 1024
const PREVIEW_CHARS = 2000

/** One check's exchange to make: what to send where, and how long to wait for the reply. */
interface ExchangeRequest {
  target: { host: string; port: number }
  sent: string
  withinMs: number
  trace: CheckerTrace
  signal?: AbortSignal
}

/** What one exchange brought back, before it is compared. */
interface Exchange {
  /** Everything received, or null when nothing was. */
  received: string | null
  /** The message to compare: TCP, the first line (with its \n); UDP, the first datagram. */
  message: string | null
  replyMs: number | null
  /** Why the exchange ended without a message. */
  problem?: string
  /** Something worth knowing about a reply that was compared anyway. */
  note?: string
}

/**
 * Run each check against host:port, one after another (a server that serves one client at a
 * time gets them in order). Every socket call is traced; a check never hangs past its time
 * limit, and `signal` cuts the run short (its remaining checks are not run).
 */
export async function runChecks(
  target: { host: string; port: number },
  checks: readonly Check[],
  trace: CheckerTrace,
  signal?: AbortSignal,
): Promise<CheckRun> {
  const ranAt = new Date().toISOString()
  const results: CheckResult[] = []
  for (const check of checks) {
    if (signal?.aborted) break
    results.push(await runCheck(target, check, trace, signal))
  }
  return { host: target.host, port: target.port, ranAt, results }
}

export async function runCheck(
  target: { host: string; port: number },
  check: Check,
  trace: CheckerTrace,
  signal?: AbortSignal,
): Promise<CheckResult> {
  const sent = decodeEscapes(check.send) + (check.newline ? '\n' : '')
  trace({ proto: check.proto, op: 'note', message: `check "${check.name}": sending` })
  const request: ExchangeRequest = { target, sent, withinMs: check.withinMs, trace, signal }
  const exchange = check.proto === 'tcp' ? await tcpExchange(request) : await udpExchange(request)
  const reply = exchange.message === null ? null : withoutLineEnd(exchange.message)
  let comparison: Comparison = { passed: false, diffIndex: null }
  if (reply !== null) {
    try {
      comparison = compareReply(reply, check.expect, testPatternBounded)
    } catch (error) {
      if (!(error instanceof PatternTooSlowError)) throw error
      exchange.problem = error.message
    }
  }
  const result: CheckResult = {
    id: check.id,
    name: check.name,
    proto: check.proto,
    passed: comparison.passed,
    sent,
    received: exchange.received,
    reply,
    expect: check.expect,
    diffIndex: comparison.diffIndex,
    replyMs: exchange.replyMs,
    withinMs: check.withinMs,
  }
  if (exchange.problem) result.problem = exchange.problem
  if (exchange.note) result.note = exchange.note
  trace({
    proto: check.proto,
    op: 'note',
    level: result.passed ? 'info' : 'warn',
    message: `check "${check.name}": ${result.passed ? 'passed' : `failed${result.problem ? ` (${result.problem})` : ''}`}`,
  })
  return result
}

/**
 * TCP: one connection per check. Send, then read until the first \n, the end of the
 * stream, or the time limit (counted from the send), then close.
 */
function tcpExchange(request: ExchangeRequest): Promise<Exchange> {
  const { target, sent, withinMs, trace, signal } = request
  const proto = 'tcp'
  const remote = formatAddress(target.host, target.port)
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    let local: string | undefined
    let conn: string | undefined
    let sentAt = 0
    let replyMs: number | null = null
    let settled = false

    trace({ proto, op: 'socket', message: 'socket(AF_INET, SOCK_STREAM)' })
    const socket = connect({ host: target.host, port: target.port, noDelay: true })
    // Until connect() returns the limit covers the connect, then it restarts at the send.
    let timer = setTimeout(
      () => finish(same(`could not connect within ${formatWithin(withinMs)}`)),
      withinMs,
    )
    const onAbort = () => finish(same('the run was cancelled'))
    signal?.addEventListener('abort', onAbort, { once: true })

    /**
     * `line`: the message, when a whole line arrived. Without one, `why` says why the exchange
     * ended: `empty` when nothing arrived, `partial` when what arrived is compared as it is.
     */
    const finish = (
      why?: { empty: string; partial: string; timedOut?: boolean },
      line?: string,
    ) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      const received = size > 0 ? Buffer.concat(chunks).toString('utf8') : null
      const exchange: Exchange = { received, message: line ?? received, replyMs }
      if (why && line === undefined) {
        if (received === null) exchange.problem = why.empty
        else exchange.note = `${why.partial}: compared what arrived`
        if (why.timedOut) {
          const message = exchange.problem ?? why.partial
          trace({ proto, op: 'timeout', local, remote, conn, level: 'warn', message })
        }
      }
      if (local) trace({ proto, op: 'close', local, remote, conn, message: 'check over' })
      socket.destroy()
      if (socket.closed) resolve(exchange)
      else socket.once('close', () => resolve(exchange))
    }
    const same = (text: string) => ({ empty: text, partial: text })

    socket.once('connect', () => {
      local = formatAddress(socket.localAddress ?? '?', socket.localPort ?? 0)
      conn = `${local}->${remote}`
      trace({ proto, op: 'connect', local, remote, conn })
      clearTimeout(timer)
      const data = Buffer.from(sent, 'utf8')
      sentAt = performance.now()
      socket.write(data)
      trace({
        proto,
        op: 'send',
        local,
        remote,
        conn,
        bytes: data.length,
        payload: previewPayload(data, PREVIEW_CHARS),
      })
      const limit = formatWithin(withinMs)
      timer = setTimeout(
        () =>
          finish({
            empty: `no reply within ${limit}`,
            partial: `no end of line (\\n) within ${limit}`,
            timedOut: true,
          }),
        withinMs,
      )
    })

    socket.on('data', (chunk: Buffer) => {
      if (settled) return
      if (replyMs === null) replyMs = round(performance.now() - sentAt)
      trace({
        proto,
        op: 'recv',
        local,
        remote,
        conn,
        bytes: chunk.length,
        payload: previewPayload(chunk, PREVIEW_CHARS),
      })
      chunks.push(chunk)
      size += chunk.length
      const all = Buffer.concat(chunks)
      const nl = all.indexOf(0x0a)
      if (nl !== -1) finish(undefined, all.subarray(0, nl + 1).toString('utf8'))
      else if (size >= MAX_REPLY_BYTES) {
        finish(same(`no end of line (\\n) in the first ${MAX_REPLY_BYTES / 1024} KiB`))
      }
    })

    socket.on('end', () => {
      trace({
        proto,
        op: 'eof',
        local,
        remote,
        conn,
        message: 'recv() returned b"": the server closed the connection',
      })
      finish({
        empty: 'the server closed the connection without replying',
        partial: 'the server closed the connection before an end of line (\\n)',
      })
    })

    socket.on('error', (error) => {
      if (settled) return
      const message = explainSocketError(error, target)
      trace({ proto, op: 'error', local, remote, conn, level: 'error', message })
      finish(same(message))
    })
  })
}

/** UDP: one datagram out from a fresh socket, the first datagram back within the limit. */
function udpExchange(request: ExchangeRequest): Promise<Exchange> {
  const { target, sent, withinMs, trace, signal } = request
  const proto = 'udp'
  const host = normalizeHost(target.host)
  const remote = formatAddress(host, target.port)
  return new Promise((resolve) => {
    const socket = createSocket(udpType(host))
    let local: string | undefined
    let sentAt = 0
    let settled = false
    let timer: NodeJS.Timeout | undefined
    const onAbort = () =>
      finish({ received: null, message: null, replyMs: null, problem: 'the run was cancelled' })
    signal?.addEventListener('abort', onAbort, { once: true })

    const finish = (exchange: Exchange) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      if (local) trace({ proto, op: 'close', local, message: 'check over' })
      socket.close(() => resolve(exchange))
    }

    socket.on('error', (error) => {
      if (settled) return
      const message = explainSocketError(error, target)
      trace({ proto, op: 'error', local, remote, level: 'error', message })
      finish({ received: null, message: null, replyMs: null, problem: message })
    })

    socket.on('message', (data, rinfo) => {
      if (settled) return
      const replyMs = round(performance.now() - sentAt)
      trace({
        proto,
        op: 'recvfrom',
        local,
        remote: formatAddress(rinfo.address, rinfo.port),
        bytes: data.length,
        payload: previewPayload(data, PREVIEW_CHARS),
      })
      const text = data.subarray(0, MAX_REPLY_BYTES).toString('utf8')
      finish({ received: text, message: text, replyMs })
    })

    socket.bind({ port: 0, address: host }, () => {
      if (settled) return
      const address = socket.address()
      local = formatAddress(address.address, address.port)
      trace({ proto, op: 'socket', local, message: 'socket(AF_INET, SOCK_DGRAM)' })
      const data = Buffer.from(sent, 'utf8')
      sentAt = performance.now()
      trace({
        proto,
        op: 'sendto',
        local,
        remote,
        bytes: data.length,
        payload: previewPayload(data, PREVIEW_CHARS),
      })
      socket.send(data, target.port, host)
      timer = setTimeout(() => {
        const problem = `no reply within ${formatWithin(withinMs)}`
        trace({ proto, op: 'timeout', local, remote, level: 'warn', message: problem })
        finish({ received: null, message: null, replyMs: null, problem })
      }, withinMs)
    })
  })
}
