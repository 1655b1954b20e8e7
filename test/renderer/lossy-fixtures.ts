import type { TraceEvent } from '@shared/trace'
import { TraceBuilder, type FakeActor } from './fixtures'

/**
 * Hand-made traces of lab 4, shaped as /work/notes/lossy-spec.md describes the actors'
 * events: a lossy server, a lossy client, and the impairment relay between them.
 */

export const LOSSY_SERVER_ADDR = '127.0.0.1:50011'
export const RELAY_ADDR = '127.0.0.1:50012'

export function lossyServer(n = 1, local = LOSSY_SERVER_ADDR): FakeActor {
  return {
    id: `lossy-server#${n}`,
    kind: 'lossy-server',
    role: 'server',
    proto: 'udp',
    file: 'lossy_server.py',
    local,
  }
}

export function lossyClient(n = 2, local = `127.0.0.1:4${1000 + n}`): FakeActor {
  return {
    id: `lossy-client#${n}`,
    kind: 'lossy-client',
    role: 'client',
    proto: 'udp',
    file: 'lossy_client.py',
    local,
  }
}

export function relay(n = 3, local = RELAY_ADDR): FakeActor {
  return {
    id: `udp-relay#${n}`,
    kind: 'udp-relay',
    role: 'relay',
    proto: 'udp',
    file: 'impair_relay.py',
    local,
  }
}

export interface LossyRunOptions {
  /** PING numbers whose reply the server drops. */
  drop?: number[]
  /** Round-trip time of answer n, in ms. */
  rtt?: (n: number) => number
  timeoutS?: number | null
  seed?: number
  /** Leave the last PING waiting (no timeout, no reply) and do not close. */
  blockedAtEnd?: boolean
}

export function serverUp(
  b: TraceBuilder,
  s: FakeActor,
  seed = 1234,
  drop = 'drop probability 0.3',
) {
  b.add(s, 'note', { message: `seed ${seed}, ${drop}`, anchor: { file: s.file, name: 'seed' } })
  b.add(s, 'socket')
  b.add(s, 'bind')
}

/** One client run of `count` PINGs straight to the server. */
export function clientRun(
  b: TraceBuilder,
  c: FakeActor,
  s: FakeActor,
  count: number,
  opts: LossyRunOptions = {},
): void {
  const drop = new Set(opts.drop ?? [])
  const timeoutS = opts.timeoutS === undefined ? 2 : opts.timeoutS
  b.add(c, 'socket')
  b.add(c, 'note', {
    message:
      timeoutS === null
        ? 'settimeout(None): recvfrom() waits until a reply comes'
        : `settimeout(${timeoutS.toFixed(1)}): recvfrom() gives up after ${timeoutS} s`,
    anchor: { file: c.file, name: 'settimeout' },
  })
  for (let n = 1; n <= count; n++) {
    const ping = `PING ${n}`
    const pong = `PONG ${n}`
    b.add(c, 'sendto', { remote: s.local, bytes: ping.length, payload: ping })
    b.add(s, 'recvfrom', { remote: c.local, bytes: ping.length, payload: ping })
    if (drop.has(n)) {
      b.add(s, 'drop', {
        remote: c.local,
        bytes: pong.length,
        payload: pong,
        tag: 'lost',
        level: 'warn',
        anchor: { file: s.file, name: 'drop' },
        message: `dropped reply to PING ${n} — simulated loss`,
      })
      if (opts.blockedAtEnd && n === count) return
      b.add(c, 'timeout', {
        remote: s.local,
        level: 'warn',
        message: `no reply to PING ${n} within ${timeoutS} s — counted as lost, going on`,
      })
    } else {
      b.add(s, 'sendto', { remote: c.local, bytes: pong.length, payload: pong })
      b.add(c, 'recvfrom', {
        remote: s.local,
        bytes: pong.length,
        payload: pong,
        rttMs: opts.rtt?.(n) ?? 0.5,
      })
    }
  }
  if (!opts.blockedAtEnd) b.add(c, 'close')
}

/** A lossy server and one client run: PINGs 1..count, the replies in `drop` dropped. */
export function lossyRunTrace(count: number, opts: LossyRunOptions = {}): TraceEvent[] {
  const b = new TraceBuilder()
  const s = lossyServer()
  serverUp(b, s, opts.seed)
  clientRun(b, lossyClient(), s, count, opts)
  return b.events
}

/**
 * Client → relay → server, with the reply to PING 2 delayed past the client's timeout: it
 * arrives late, while the client waits for PONG 3; the relay also duplicates PONG 3.
 */
export function relayTrace(): TraceEvent[] {
  const b = new TraceBuilder()
  const s = lossyServer(1)
  const r = relay(2)
  const up = { ...r, local: '127.0.0.1:47001' }
  const c = lossyClient(3, '127.0.0.1:46001')
  serverUp(b, s, 7, 'drop probability 0')
  b.add(r, 'note', {
    message: 'seed 99: drop 0, delay 300 ± 100 ms, duplicate 0, reorder 0',
    anchor: { file: r.file, name: 'seed' },
  })
  b.add(r, 'socket')
  b.add(r, 'bind')
  b.add(c, 'socket')
  b.add(c, 'note', {
    message: 'settimeout(0.2): recvfrom() gives up after 0.2 s',
    anchor: { file: c.file, name: 'settimeout' },
  })
  const hop = (n: number, pongTag?: 'delayed') => {
    const ping = `PING ${n}`
    const pong = `PONG ${n}`
    b.add(c, 'sendto', { remote: RELAY_ADDR, bytes: ping.length, payload: ping })
    b.add(r, 'recvfrom', { remote: c.local, bytes: ping.length, payload: ping })
    b.add(up, 'sendto', { remote: s.local, bytes: ping.length, payload: ping })
    b.add(s, 'recvfrom', { remote: up.local, bytes: ping.length, payload: ping })
    b.add(s, 'sendto', { remote: up.local, bytes: pong.length, payload: pong })
    b.add(up, 'recvfrom', { remote: s.local, bytes: pong.length, payload: pong })
    return () =>
      b.add(r, 'sendto', {
        remote: c.local,
        bytes: pong.length,
        payload: pong,
        ...(pongTag ? { tag: pongTag, message: 'held 312 ms' } : {}),
      })
  }
  hop(1)()
  b.add(c, 'recvfrom', { remote: RELAY_ADDR, bytes: 6, payload: 'PONG 1', rttMs: 1.2 })
  const late = hop(2, 'delayed')
  b.add(c, 'timeout', {
    remote: RELAY_ADDR,
    level: 'warn',
    message: 'no reply to PING 2 within 0.2 s — counted as lost, going on',
  })
  const third = hop(3)
  late()
  b.add(c, 'recvfrom', {
    remote: RELAY_ADDR,
    bytes: 6,
    payload: 'PONG 2',
    tag: 'late',
    level: 'warn',
    message: 'late reply to PING 2 (already timed out) — ignored',
  })
  third()
  b.add(c, 'recvfrom', { remote: RELAY_ADDR, bytes: 6, payload: 'PONG 3', rttMs: 2.5 })
  b.add(r, 'sendto', { remote: c.local, bytes: 6, payload: 'PONG 3', tag: 'duplicated' })
  b.add(c, 'recvfrom', {
    remote: RELAY_ADDR,
    bytes: 6,
    payload: 'PONG 3',
    tag: 'duplicate',
    level: 'warn',
    message: 'duplicate reply to PING 3 — ignored',
  })
  b.add(c, 'close')
  return b.events
}
