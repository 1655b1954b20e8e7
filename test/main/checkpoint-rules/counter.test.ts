import { describe, expect, it } from 'vitest'
import type { TraceEvent } from '@shared/trace'
import { checkRule, traceBuilder } from './trace-builder'

/**
 * Counter checkpoints over traces shaped like the app's real runs (counter-client.ts over
 * udp-client-run.ts): each client run opens with `socket`, ends with `close`, and in between
 * sends PING and receives `PONG #n`; the server traces its recvfrom and sendto. A pass keeps
 * the text of the moment it first passed (issue 16), so a pass must wait for the runs it names.
 */

const SERVER = '127.0.0.1:50008'

function counterTrace() {
  const b = traceBuilder()
  const trace: TraceEvent[] = []
  const add = (actor: string, op: TraceEvent['op'], extra: Partial<TraceEvent> = {}) => {
    const e = b.ev(actor, op, { proto: 'udp', ...extra })
    trace.push(e)
    return e
  }
  const addr = (actor: string) => `127.0.0.1:4${actor.split('#')[1]}000`
  const start = (client: string) =>
    add(client, 'socket', { local: addr(client), message: 'socket(AF_INET, SOCK_DGRAM)' })
  /** One PING from `client` and the server's PONG #n; returns both ends' replies. */
  const exchange = (client: string, n: number) => {
    const local = addr(client)
    add(client, 'sendto', { local, remote: SERVER, payload: 'PING' })
    add('counter-server#1', 'recvfrom', { local: SERVER, remote: local, payload: 'PING' })
    const sent = add('counter-server#1', 'sendto', {
      local: SERVER,
      remote: local,
      payload: `PONG #${n}`,
    })
    const got = add(client, 'recvfrom', { local, remote: SERVER, payload: `PONG #${n}` })
    return { sent, got }
  }
  const close = (client: string) => add(client, 'close', { local: addr(client) })
  return { trace, add, start, exchange, close }
}

const [A, B, C] = ['counter-client#1', 'counter-client#2', 'counter-client#3']

describe('counter texts name the whole runs they cite (issue 16)', () => {
  it('per-client count: waits for both clients, then names #1 to #10 for each', () => {
    const t = counterTrace()
    t.start(A)
    t.start(B)
    const ends: TraceEvent[] = []
    for (let n = 1; n <= 10; n++) {
      const a = t.exchange(A, n)
      const b = t.exchange(B, n)
      if (n === 1 || n === 10) ends.push(a.sent, b.sent)
      if (n === 5) {
        // Each has five: the old rule passed here and kept "PONG #1 to #5 and PONG #1 to #5".
        const mid = checkRule('counter-per-client-two-clients', t.trace, { count: 5 })
        expect(mid.passed).toBe(false)
        expect(mid.reason).toBe(
          'Two clients are pinging at the same time and are still running: let both finish, then their counts are compared.',
        )
      }
    }
    t.close(A)
    expect(checkRule('counter-per-client-two-clients', t.trace, { count: 5 }).passed).toBe(false)
    t.close(B)
    const r = checkRule('counter-per-client-two-clients', t.trace, { count: 5 })
    expect(r.reason).toBe(
      'Two clients pinged at the same time and each counted on its own: PONG #1 to #10 and PONG #1 to #10.',
    )
    expect(r.evidence).toStrictEqual(ends.map((e) => e.seq))
  })

  it('shared count: waits for both clients, then names the whole range, #6 to #25', () => {
    const t = counterTrace()
    t.start(C)
    for (let n = 1; n <= 5; n++) t.exchange(C, n)
    t.close(C)
    t.start(A)
    t.start(B)
    let n = 6
    const sent: TraceEvent[] = []
    for (let i = 0; i < 10; i++) {
      sent.push(t.exchange(A, n++).sent, t.exchange(B, n++).sent)
      if (i === 4) {
        expect(checkRule('counter-shared-two-clients', t.trace, { count: 5 }).reason).toMatch(
          /still running/,
        )
      }
    }
    t.close(A)
    t.close(B)
    const r = checkRule('counter-shared-two-clients', t.trace, { count: 5 })
    expect(r.reason).toBe(
      'Two clients shared one count: PONG #6 to PONG #25 went to both in turn, no gap, no repeat.',
    )
    expect(r.evidence).toStrictEqual([sent[0]!.seq, sent.at(-1)!.seq])
  })

  it('a shared count that repeats is told as such even while the clients run', () => {
    const t = counterTrace()
    t.start(A)
    t.start(B)
    for (let n = 1; n <= 5; n++) {
      t.exchange(A, n)
      t.exchange(B, n)
    }
    expect(checkRule('counter-shared-two-clients', t.trace, { count: 5 }).reason).toMatch(
      /^Both clients got the same numbers/,
    )
  })

  it('replies in order: waits for the client, then names #1 to #10, not the first five', () => {
    const t = counterTrace()
    t.start(A)
    const got: TraceEvent[] = []
    for (let n = 1; n <= 7; n++) got.push(t.exchange(A, n).got)
    expect(checkRule('counter-replies-in-order', t.trace, { count: 5 }).reason).toBe(
      'A client has PONG #1 to PONG #7 in order so far and is still running: let it run to the end.',
    )
    for (let n = 8; n <= 10; n++) got.push(t.exchange(A, n).got)
    t.close(A)
    const r = checkRule('counter-replies-in-order', t.trace, { count: 5 })
    expect(r.reason).toBe('PONG #1 to PONG #10 received by the client, in order.')
    expect(r.evidence).toStrictEqual(got.map((e) => e.seq))
  })

  it('replies in order: a finished run passes while another client still runs', () => {
    const t = counterTrace()
    t.start(A)
    for (let n = 1; n <= 5; n++) t.exchange(A, n)
    t.close(A)
    t.start(B)
    t.exchange(B, 6)
    expect(checkRule('counter-replies-in-order', t.trace, { count: 5 }).reason).toBe(
      'PONG #1 to PONG #5 received by the client, in order.',
    )
  })
})
