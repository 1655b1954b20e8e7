import type { TraceEvent } from '@shared/trace'
import { countParam, groupBy, notYet, pass, type CheckpointRule } from './rule'

const isPong = (e: TraceEvent) => e.payload?.trim() === 'PONG'
const isPing = (e: TraceEvent) => e.payload?.trim() === 'PING'

/**
 * N PONGs over ONE TCP connection, seen from either end: the app's client received them,
 * or the app's server sent them (when the client is the student's own program).
 */
export const tcpRoundTrips: CheckpointRule = {
  kind: 'tcp-round-trips',
  evaluate(trace, params) {
    const need = countParam(params, 5)
    const pongs = trace.filter(
      (e) =>
        e.proto === 'tcp' &&
        e.conn !== undefined &&
        isPong(e) &&
        ((e.role === 'client' && e.op === 'recv') || (e.role === 'server' && e.op === 'send')),
    )
    const groups = [...groupBy(pongs, (e) => `${e.actor} ${e.conn}`).values()]
    // The client's view first ("received by the client" is what the step is about), then
    // the newest connection with enough PONGs, so that the text quotes the latest run's ports.
    const enough = groups.filter((list) => list.length >= need)
    const byClient = enough.filter((list) => list[0]!.role === 'client')
    const candidates = byClient.length > 0 ? byClient : enough
    if (candidates.length > 0) {
      // Groups keep the order of their first PONG: the last is the newest connection.
      const shown = candidates.at(-1)!
      const side = shown[0]!.role === 'client' ? 'received by the client' : 'sent by the server'
      return pass(`${shown.length} PONGs ${side} over one connection (${shown[0]!.conn})`, shown)
    }
    const most = Math.max(0, ...groups.map((list) => list.length))
    if (most === 0) return notYet('No PONG has crossed a TCP connection yet.')
    return notYet(`Best so far: ${most} of ${need} PONGs on one connection.`)
  },
}

/** The TCP server's recv() returned end-of-stream, then it closed that connection. */
export const tcpServerSawEof: CheckpointRule = {
  kind: 'tcp-server-saw-eof',
  evaluate(trace) {
    let sawEof = false
    for (const eof of trace) {
      if (eof.op !== 'eof' || eof.role !== 'server' || eof.proto !== 'tcp') continue
      const closed = trace.find(
        // Stryker: equivalent — `e.seq >= eof.seq` also matches only eof itself, not a close.
        (e) => e.seq > eof.seq && e.actor === eof.actor && e.op === 'close' && e.conn === eof.conn,
      )
      if (closed)
        return pass('The server saw end-of-stream and closed the connection.', [eof, closed])
      // A later connection may still prove it: keep looking.
      sawEof = true
    }
    if (sawEof) return notYet('The server saw end-of-stream but has not closed the connection yet.')
    return notYet(
      'The TCP server has not yet seen end-of-stream: a client has to close its connection.',
    )
  },
}

/**
 * N UDP PONGs from a server, each sent to exactly the address the matching recvfrom()
 * returned. Replies to other addresses do not count: that is the lesson.
 */
export const udpRepliesToSender: CheckpointRule = {
  kind: 'udp-replies-to-sender',
  evaluate(trace, params) {
    const need = countParam(params, 5)
    const proof: TraceEvent[] = []
    let wrongAddress = 0
    const lastRecv = new Map<string, TraceEvent>()
    for (const e of trace) {
      if (e.proto !== 'udp' || e.role !== 'server') continue
      if (e.op === 'recvfrom' && isPing(e)) lastRecv.set(e.actor, e)
      if (e.op === 'sendto' && isPong(e)) {
        const recv = lastRecv.get(e.actor)
        if (recv && recv.remote === e.remote) proof.push(recv, e)
        else wrongAddress++
        lastRecv.delete(e.actor)
      }
    }
    const replies = proof.length / 2
    if (replies >= need) {
      return pass(`${replies} PONGs, each sent to the address recvfrom() returned.`, proof)
    }
    const extra = wrongAddress ? ` (${wrongAddress} went to another address)` : ''
    if (replies === 0) return notYet(`No UDP server has answered a PING yet${extra}.`)
    return notYet(`${replies} of ${need} PONGs sent back to their senders so far${extra}.`)
  },
}

/** One UDP client run that timed out N times and still finished (closed its socket). */
export const udpTimeoutsFinished: CheckpointRule = {
  kind: 'udp-timeouts-finished',
  evaluate(trace, params) {
    const need = countParam(params, 5)
    let best = 0
    let unfinished = false
    for (const list of groupBy(trace, (e) =>
      e.proto === 'udp' && e.role === 'client' ? e.actor : undefined,
    ).values()) {
      const timeouts = list.filter((e) => e.op === 'timeout')
      const closed = list.find((e) => e.op === 'close')
      if (timeouts.length >= need && closed) {
        return pass(`The UDP client timed out ${timeouts.length} times and still finished.`, [
          ...timeouts,
          closed,
        ])
      }
      if (timeouts.length >= need) unfinished = true
      best = Math.max(best, timeouts.length)
    }
    if (best === 0)
      return notYet(
        'No UDP client has timed out yet: stop the UDP server, then run the UDP client.',
      )
    if (unfinished)
      return notYet(
        `The UDP client timed out ${need} times but did not finish its run: let it run to the end.`,
      )
    return notYet(
      `Best run so far: ${best} of ${need} timeouts. Keep the server down for the whole run.`,
    )
  },
}

/** A TCP client run and a UDP client run both completed their round trips in this session. */
export const bothProtocolsCompared: CheckpointRule = {
  kind: 'both-protocols-compared',
  evaluate(trace) {
    const finishedClient = (proto: 'tcp' | 'udp') => {
      for (const list of groupBy(trace, (e) =>
        e.proto === proto && e.role === 'client' ? e.actor : undefined,
      ).values()) {
        const replies = list.filter((e) => (e.op === 'recv' || e.op === 'recvfrom') && isPong(e))
        const closed = list.find((e) => e.op === 'close')
        if (replies.length > 0 && closed) return [replies[0]!, closed]
      }
      return undefined
    }
    const tcp = finishedClient('tcp')
    const udp = finishedClient('udp')
    if (tcp && udp)
      return pass('A TCP client and a UDP client both got PONGs and closed.', [...tcp, ...udp])
    if (!tcp && !udp)
      return notYet('Run a TCP client and a UDP client (each with its server running).')
    return notYet(
      tcp
        ? 'The TCP run is done; now run a UDP client against a UDP server.'
        : 'The UDP run is done; now run a TCP client against a TCP server.',
    )
  },
}
