import { describe, expect, it } from 'vitest'
import type { TraceEvent } from '@shared/trace'
import { checkRule, traceBuilder } from './trace-builder'

/**
 * Lab 4's checkpoints against a student's almost-right runs, in the shape the app's lossy
 * actors trace them (src/main/net/lossy/lossy-server.ts, lossy-client.ts, relays/udp-relay.ts): the server
 * opens with socket, bind and its seed note; the client with its settimeout note; each PING
 * ends in an answer, a timeout, or nothing when the run was stopped.
 */

const SERVER = '127.0.0.1:50011'
interface Client {
  actor: string
  addr: string
}
const A: Client = { actor: 'lossy-client#1', addr: '127.0.0.1:41000' }
const B: Client = { actor: 'lossy-client#2', addr: '127.0.0.1:42000' }

function lossyTrace() {
  const b = traceBuilder()
  const trace: TraceEvent[] = []
  const add = (actor: string, op: TraceEvent['op'], extra: Partial<TraceEvent> = {}) => {
    const e = b.ev(actor, op, { proto: 'udp', ...extra })
    trace.push(e)
    return e
  }
  /** A server run: socket, bind, then the seed note (returned). */
  const server = (actor: string, note: string) => {
    add(actor, 'socket', { message: 'socket(AF_INET, SOCK_DGRAM)' })
    add(actor, 'bind', { local: SERVER })
    return add(actor, 'note', { local: SERVER, message: note })
  }
  const timeoutNote = (c: Client, seconds: string | null) =>
    add(c.actor, 'note', {
      message:
        seconds === null
          ? 'settimeout(None): recvfrom() waits until a reply comes'
          : `settimeout(${seconds}): recvfrom() gives up after ${seconds} s`,
    })
  const send = (c: Client, payload: string) =>
    add(c.actor, 'sendto', { local: c.addr, remote: SERVER, payload })
  const timeout = (c: Client, n: number | string) =>
    add(c.actor, 'timeout', { level: 'warn', message: `no reply to PING ${n}` })
  const reply = (c: Client, payload: string, tag?: TraceEvent['tag']) =>
    add(c.actor, 'recvfrom', { local: c.addr, remote: SERVER, payload, ...(tag ? { tag } : {}) })
  /** PING n from c, seen by server s (when traced); answered, dropped, or left waiting. */
  const ping = (c: Client, s: string | undefined, n: number, fate: 'answer' | 'drop' | 'wait') => {
    send(c, `PING ${n}`)
    if (s) add(s, 'recvfrom', { local: SERVER, remote: c.addr, payload: `PING ${n}` })
    if (fate === 'drop') {
      if (s) add(s, 'drop', { tag: 'lost', level: 'warn', payload: `PONG ${n}` })
      return timeout(c, n)
    }
    if (fate === 'wait') return undefined
    if (s) add(s, 'sendto', { local: SERVER, remote: c.addr, payload: `PONG ${n}` })
    return reply(c, `PONG ${n}`)
  }
  const close = (actor: string) => add(actor, 'close')
  /** A whole client run of PING 1..count; `lost` are dropped; closed unless `running`. */
  const run = (
    c: Client,
    s: string | undefined,
    count: number,
    lost: readonly number[],
    { seconds = '2.0' as string | null, from = 1, running = false } = {},
  ) => {
    timeoutNote(c, seconds)
    for (let n = from; n <= count; n++) ping(c, s, n, lost.includes(n) ? 'drop' : 'answer')
    return running ? undefined : close(c.actor)
  }
  return { trace, add, server, timeoutNote, send, timeout, reply, ping, close, run }
}

const seqs = (events: readonly (TraceEvent | undefined)[]) => events.map((e) => e!.seq)

describe('lossy-goes-on against near-miss runs', () => {
  const params = { count: 20, dropRate: 0.3 }

  it('counts no TCP client and no relay as a lossy client run', () => {
    const t = lossyTrace()
    t.add('tcp-client#1', 'sendto', { proto: 'tcp', payload: 'PING 1' })
    t.add('tcp-client#1', 'timeout', { proto: 'tcp' })
    t.add('tcp-client#1', 'close', { proto: 'tcp' })
    t.add('udp-relay#1', 'sendto', { payload: 'PING 1' })
    expect(checkRule('lossy-goes-on', t.trace, params).reason).toBe(
      'No lossy client has sent a PING yet: set Drop probability to 0.3, click Start lossy server, then run the lossy client with 20 PINGs.',
    )
  })

  it('is not fooled by a plain PING, a stray reply or a duplicate among 20 numbered PINGs', () => {
    const t = lossyTrace()
    const seed = t.server('lossy-server#1', 'seed 7, drop probability 0.3')
    t.timeoutNote(A, '2.0')
    // The course's plain PING first: one lost, one answered; then a line the server refuses.
    t.send(A, 'PING')
    t.timeout(A, '(plain)')
    t.send(A, 'PING')
    t.reply(A, 'PONG')
    t.send(A, 'hello')
    t.reply(A, 'ERROR expected PING n')
    const timeouts: TraceEvent[] = []
    for (let n = 1; n <= 20; n++) {
      const lost = [2, 5, 9, 14].includes(n)
      // A stray PONG 3 while PING 10 waits, before its own reply.
      if (n === 10) {
        t.send(A, 'PING 10')
        t.reply(A, 'PONG 3')
        t.reply(A, 'PONG 10')
      } else if (lost) timeouts.push(t.ping(A, 'lossy-server#1', n, 'drop')!)
      else t.ping(A, 'lossy-server#1', n, 'answer')
      // A second copy of PONG 7 in the pause before PING 8.
      if (n === 7) t.reply(A, 'PONG 7', 'duplicate')
    }
    const close = t.close(A.actor)
    const r = checkRule('lossy-goes-on', t.trace, params)
    expect(r.passed, r.reason).toBe(true)
    expect(r.reason).toBe(
      '20 PINGs finished through drop probability 0.3: 16 answered, 4 timed out (2, 5, 9, 14), each reported and none left hanging.',
    )
    expect(r.evidence).toStrictEqual(seqs([seed, ...timeouts, close]))
  })

  it('passes through loss it cannot see, and says none timed out when the server dropped none', () => {
    const unseen = lossyTrace()
    unseen.run(A, undefined, 20, [3])
    expect(checkRule('lossy-goes-on', unseen.trace, params).reason).toBe(
      '20 PINGs finished through loss: 19 answered, 1 timed out (3), each reported and none left hanging.',
    )
    const lucky = lossyTrace()
    lucky.server('lossy-server#1', 'seed 7, drop probability 0.3')
    lucky.run(A, 'lossy-server#1', 20, [])
    expect(checkRule('lossy-goes-on', lucky.trace, params).reason).toBe(
      '20 PINGs finished through drop probability 0.3: 20 answered, 0 timed out (none), each reported and none left hanging.',
    )
  })

  it('counts no client run that sent no PING', () => {
    const t = lossyTrace()
    t.timeoutNote(A, '2.0')
    t.close(A.actor)
    expect(checkRule('lossy-goes-on', t.trace, params).reason).toMatch(
      /^No lossy client has sent a PING yet/,
    )
  })

  it('lists twelve timeouts in full', () => {
    const t = lossyTrace()
    t.run(A, undefined, 20, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    expect(checkRule('lossy-goes-on', t.trace, params).reason).toContain(
      '12 timed out (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)',
    )
  })

  it('lists a long run of timeouts readably', () => {
    const t = lossyTrace()
    const lost = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]
    t.run(A, undefined, 20, lost)
    const r = checkRule('lossy-goes-on', t.trace, params)
    expect(r.reason).toContain('14 timed out (1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 4 more)')
    expect(r.evidence).toHaveLength(14 + 1)
  })

  it('names the longest of several short runs', () => {
    const t = lossyTrace()
    t.run(A, undefined, 5, [2])
    t.run(B, undefined, 8, [2])
    expect(checkRule('lossy-goes-on', t.trace, params).reason).toBe(
      'The longest finished run sent 8 PINGs; 20 are needed. Set PINGs to 20 and run the lossy client again.',
    )
  })

  it('fails a drop rate out of bounds, whichever server runs the client met, and the rule’s own rate', () => {
    // The server was restarted mid-run at another rate: the client met both runs.
    const t = lossyTrace()
    t.server('lossy-server#1', 'seed 7, drop probability 0.1')
    t.timeoutNote(A, '2.0')
    for (let n = 1; n <= 10; n++) t.ping(A, 'lossy-server#1', n, n === 4 ? 'drop' : 'answer')
    t.server('lossy-server#2', 'seed 7, drop probability 0.2')
    for (let n = 11; n <= 20; n++) t.ping(A, 'lossy-server#2', n, n === 15 ? 'drop' : 'answer')
    t.close(A.actor)
    expect(checkRule('lossy-goes-on', t.trace, params).reason).toBe(
      'The client ran 20 PINGs, but against a server dropping with probability 0.2: set Drop probability to 0.3 or more, stop and start the lossy server, and run the client again.',
    )
    expect(checkRule('lossy-goes-on', t.trace, { count: 20, dropRate: 0.15 }).passed).toBe(true)

    const mid = lossyTrace()
    mid.server('lossy-server#1', 'seed 7, drop probability 0.4')
    mid.run(A, 'lossy-server#1', 20, [6])
    expect(checkRule('lossy-goes-on', mid.trace, { count: 20 }).passed).toBe(true)
    expect(checkRule('lossy-goes-on', mid.trace, { count: 20, dropRate: 0.5 }).reason).toMatch(
      /probability 0\.4: set Drop probability to 0\.5 or more/,
    )
  })

  it('judges a client by the server it talked to, not by another client’s server', () => {
    const t = lossyTrace()
    t.server('lossy-server#1', 'seed 7, drop probability 0.3')
    t.run(B, 'lossy-server#1', 3, [2])
    t.server('lossy-server#2', 'seed 7, drop probability 0.1')
    t.run(A, 'lossy-server#2', 20, [4])
    expect(checkRule('lossy-goes-on', t.trace, params).reason).toMatch(/probability 0\.1:/)
  })

  it('matches client and server by port, whatever address the client bound', () => {
    const t = lossyTrace()
    const anyAddr: Client = { actor: A.actor, addr: '0.0.0.0:41000' }
    t.server('lossy-server#1', 'seed 7, drop probability 0.1')
    t.timeoutNote(anyAddr, '2.0')
    for (let n = 1; n <= 20; n++) {
      t.send(anyAddr, `PING ${n}`)
      t.add('lossy-server#1', 'recvfrom', { remote: A.addr, payload: `PING ${n}` })
      t.reply(anyAddr, `PONG ${n}`)
    }
    // A datagram the server could not tell the sender of.
    t.add('lossy-server#1', 'recvfrom', { payload: 'PING 21' })
    t.close(A.actor)
    expect(checkRule('lossy-goes-on', t.trace, params).reason).toMatch(/probability 0\.1:/)
  })

  it('says the server dropped with probability 0 when it dropped from a list', () => {
    const t = lossyTrace()
    t.server('lossy-server#1', 'seed 7, dropping replies to PING 3, 7')
    t.run(A, 'lossy-server#1', 20, [3, 7])
    expect(checkRule('lossy-goes-on', t.trace, params).reason).toMatch(/probability 0: set Drop/)
  })

  it('fails a client that gave up: PINGs sent and closed without waiting for an outcome', () => {
    const t = lossyTrace()
    t.timeoutNote(A, '2.0')
    for (let n = 1; n <= 20; n++) t.ping(A, undefined, n, n <= 13 ? 'answer' : 'wait')
    t.close(A.actor)
    expect(checkRule('lossy-goes-on', t.trace, params).reason).toBe(
      'PING 14, 15, 16, 17, 18 did not end in exactly one reply or one timeout: run the lossy client again, with a Timeout.',
    )
  })

  it('counts only whole PING lines: a reply with extra text answers nothing', () => {
    const t = lossyTrace()
    t.timeoutNote(A, '2.0')
    for (let n = 1; n <= 20; n++) {
      t.send(A, `PING ${n}\n`)
      t.reply(A, n === 8 ? 'PONG 8 (again)' : `PONG ${n}`)
      if (n === 3) t.timeout(A, 3)
    }
    t.send(A, 'xPING 21')
    t.send(A, 'PING 22 extra')
    t.add(A.actor, 'sendto', { local: A.addr })
    t.close(A.actor)
    expect(checkRule('lossy-goes-on', t.trace, params).reason).toBe(
      'PING 3, 8 did not end in exactly one reply or one timeout: run the lossy client again, with a Timeout.',
    )
  })
})

describe('lossy-blocked-cancelled against near-miss runs', () => {
  it('cites the settimeout(None) note, the cancel and the close', () => {
    const t = lossyTrace()
    t.add(A.actor, 'note', { message: 'socket(AF_INET, SOCK_DGRAM)' })
    const setting = t.timeoutNote(A, null)
    for (let n = 1; n <= 11; n++) t.ping(A, undefined, n, 'answer')
    t.ping(A, undefined, 12, 'wait')
    const cancel = t.add(A.actor, 'note', {
      message: 'cancelled while blocked in recvfrom() waiting for PONG 12',
    })
    const close = t.close(A.actor)
    const r = checkRule('lossy-blocked-cancelled', t.trace)
    expect(r.reason).toBe(
      'With no timeout the client blocked in recvfrom() waiting for PONG 12, and only Stop could end the wait.',
    )
    expect(r.evidence).toStrictEqual(seqs([setting, cancel, close]))
  })

  it('cites only the cancel when the run’s setting and close are not in the trace', () => {
    const t = lossyTrace()
    t.send(A, 'PING 1')
    const cancel = t.add(A.actor, 'note', { message: 'cancelled while blocked in recvfrom()' })
    const r = checkRule('lossy-blocked-cancelled', t.trace)
    expect(r.reason).toContain('waiting for PONG ?')
    expect(r.evidence).toStrictEqual([cancel.seq])
  })

  it('says “click Stop” while one of two no-timeout clients is still blocked', () => {
    const t = lossyTrace()
    t.run(A, undefined, 3, [], { seconds: null })
    t.timeoutNote(B, null)
    t.ping(B, undefined, 1, 'wait')
    expect(checkRule('lossy-blocked-cancelled', t.trace).reason).toMatch(/still running/)
  })
})

describe('lossy-same-seed against near-miss runs', () => {
  /** Two server runs with `notes`, each fed by one finished client run. */
  function twoRuns(
    notes: [string, string],
    runs: [{ count: number; lost: number[]; from?: number }, { count: number; lost: number[] }],
  ) {
    const t = lossyTrace()
    const first = t.server('lossy-server#1', notes[0])
    t.run(A, 'lossy-server#1', runs[0].count, runs[0].lost, { from: runs[0].from ?? 1 })
    const second = t.server('lossy-server#2', notes[1])
    t.run(B, 'lossy-server#2', runs[1].count, runs[1].lost)
    return { t, first, second }
  }
  const at = (seed: number, p: number) => `seed ${seed}, drop probability ${p}`

  it('lists every drop both runs made, over every PING both received (issue 16)', () => {
    const lost = [3, 5, 7, 11, 12, 16]
    const { t, first, second } = twoRuns(
      [at(42, 0.3), at(42, 0.3)],
      [
        { count: 20, lost },
        { count: 20, lost },
      ],
    )
    const r = checkRule('lossy-same-seed', t.trace)
    expect(r.reason).toBe(
      'Seed 42 at drop probability 0.3, twice: over the 20 PINGs both runs received, both dropped the replies to PING 3, 5, 7, 11, 12, 16.',
    )
    const drops = t.trace.filter((e) => e.op === 'drop')
    expect(r.evidence).toStrictEqual(seqs([first, ...drops.slice(0, 6), second, ...drops.slice(6)]))
  })

  it('does not pass while a client is still sending to the second run (its text would be kept)', () => {
    const t = lossyTrace()
    t.server('lossy-server#1', at(42, 0.3))
    t.run(A, 'lossy-server#1', 20, [3, 5, 7])
    t.server('lossy-server#2', at(42, 0.3))
    t.run(B, 'lossy-server#2', 4, [3], { running: true })
    const r = checkRule('lossy-same-seed', t.trace)
    expect(r.passed).toBe(false)
    expect(r.reason).toBe(
      'lossy-client#2 is still sending PINGs to a run with seed 42: let it finish, then the two runs are compared over all the PINGs both received.',
    )
    t.run(B, 'lossy-server#2', 20, [5, 7], { from: 5 })
    expect(checkRule('lossy-same-seed', t.trace).reason).toContain('over the 20 PINGs')
  })

  it('is not held back by a client still running against another server', () => {
    const t = lossyTrace()
    t.server('lossy-server#1', at(42, 0.3))
    t.run(A, 'lossy-server#1', 10, [3])
    t.server('lossy-server#2', at(42, 0.3))
    t.run(B, 'lossy-server#2', 10, [3])
    t.server('lossy-server#3', at(7, 0.3))
    t.run({ actor: 'lossy-client#3', addr: '127.0.0.1:43000' }, 'lossy-server#3', 2, [], {
      running: true,
    })
    expect(checkRule('lossy-same-seed', t.trace).passed).toBe(true)
  })

  it('is not fooled by the seed line in a client’s or a TCP server’s note', () => {
    const t = lossyTrace()
    t.add(A.actor, 'note', { message: at(42, 0.3) })
    t.add('guess-server#1', 'note', { proto: 'tcp', message: at(42, 0.3) })
    t.server('lossy-server#1', at(42, 0.3))
    t.run(B, 'lossy-server#1', 10, [3])
    expect(checkRule('lossy-same-seed', t.trace).reason).toMatch(/one server run only/)
  })

  it('compares over the shorter run only, and cites the drops within it', () => {
    const { t, first, second } = twoRuns(
      [at(42, 0.3), at(42, 0.3)],
      [
        { count: 20, lost: [3, 15] },
        { count: 10, lost: [3] },
      ],
    )
    const r = checkRule('lossy-same-seed', t.trace)
    expect(r.reason).toBe(
      'Seed 42 at drop probability 0.3, twice: over the 10 PINGs both runs received, both dropped the replies to PING 3.',
    )
    const drops = t.trace.filter((e) => e.op === 'drop')
    expect(r.evidence).toStrictEqual(seqs([first, drops[0], second, drops[2]]))
  })

  it('fails two runs whose drops differ but are as many', () => {
    const { t } = twoRuns(
      [at(42, 0.3), at(42, 0.3)],
      [
        { count: 10, lost: [3, 8] },
        { count: 10, lost: [3, 9] },
      ],
    )
    expect(checkRule('lossy-same-seed', t.trace).reason).toBe(
      'Two runs with seed 42 dropped different replies over the same 10 PINGs: the first the replies to PING 3, 8, the second the replies to PING 3, 9.',
    )
    const none = twoRuns(
      [at(42, 0.3), at(42, 0.3)],
      [
        { count: 10, lost: [3] },
        { count: 10, lost: [] },
      ],
    )
    expect(checkRule('lossy-same-seed', none.t.trace).reason).toContain('the second none.')
  })

  it('fails two runs that dropped nothing, with the number of PINGs compared', () => {
    const { t } = twoRuns(
      [at(42, 0.3), at(42, 0.3)],
      [
        { count: 5, lost: [] },
        { count: 5, lost: [] },
      ],
    )
    expect(checkRule('lossy-same-seed', t.trace).reason).toBe(
      'Two runs with seed 42 dropped nothing over the same 5 PINGs: send more PINGs (20), so that some replies are lost.',
    )
  })

  it('fails a second run that caught the middle of a client run', () => {
    const { t } = twoRuns(
      [at(42, 0.3), at(42, 0.3)],
      [
        { count: 20, lost: [3, 13], from: 11 },
        { count: 20, lost: [3, 13] },
      ],
    )
    expect(checkRule('lossy-same-seed', t.trace).reason).toBe(
      'Two runs with seed 42 did not receive the same PINGs: run the lossy client against each, with the same PINGs.',
    )
  })

  it('skips a plain PING before the numbered ones', () => {
    const t = lossyTrace()
    t.server('lossy-server#1', at(42, 0.3))
    t.send(A, 'PING')
    t.add('lossy-server#1', 'recvfrom', { remote: A.addr, payload: 'PING' })
    t.add('lossy-server#1', 'drop', { payload: 'PONG' })
    t.run(A, 'lossy-server#1', 10, [4])
    t.server('lossy-server#2', at(42, 0.3))
    t.run(B, 'lossy-server#2', 10, [4])
    expect(checkRule('lossy-same-seed', t.trace).reason).toContain('over the 10 PINGs')
  })

  it('never compares runs with another seed or another probability', () => {
    const seeds = twoRuns(
      [at(42, 0.3), at(43, 0.3)],
      [
        { count: 10, lost: [3] },
        { count: 10, lost: [3] },
      ],
    )
    expect(checkRule('lossy-same-seed', seeds.t.trace).reason).toBe(
      'Seed 43 has been used by one server run only: click Stop on the lossy server, then Start lossy server again with the same Seed and Drop probability, and run the client again.',
    )
    const rates = twoRuns(
      [at(42, 0.3), at(42, 0.5)],
      [
        { count: 10, lost: [3] },
        { count: 10, lost: [3] },
      ],
    )
    expect(checkRule('lossy-same-seed', rates.t.trace).passed).toBe(false)
  })

  it('needs a drop probability above 0', () => {
    const { t } = twoRuns(
      [at(42, 0), at(42, 0)],
      [
        { count: 10, lost: [] },
        { count: 10, lost: [] },
      ],
    )
    expect(checkRule('lossy-same-seed', t.trace).reason).toMatch(
      /^No server run has used a drop probability yet/,
    )
  })

  it('after Clear trace, names the server still answering instead of saying none ran (issue 16)', () => {
    const t = lossyTrace()
    // The servers' starts went with the cleared trace; they answer client runs since.
    t.run(B, 'lossy-server#2', 2, [])
    t.run(A, 'lossy-server#1', 3, [2])
    const r = checkRule('lossy-same-seed', t.trace)
    expect(r.passed).toBe(false)
    expect(r.reason).toBe(
      'lossy-server#1 has answered since the trace was cleared, but its start (with its seed and drops) went with the cleared trace: click Stop on it, then type a number in Seed, set Drop probability to 0.3 and click Start lossy server.',
    )
    expect(checkRule('lossy-same-seed', []).reason).toBe(
      'No lossy server has started since the trace began (one started before Clear trace is not in it: stop it and start it again): type a number in Seed, set Drop probability to 0.3 and click Start lossy server.',
    )
    expect(checkRule('lossy-drop-list', t.trace).reason).toMatch(
      /^lossy-server#1 has answered since the trace was cleared.*type 3, 7 in Drop exactly these PINGs and start the lossy server\.$/,
    )
  })
})

describe('lossy-drop-list against near-miss runs', () => {
  const list = (numbers: string) => `seed 1, dropping replies to PING ${numbers}`

  it('asks for a drop list when the servers only dropped at random', () => {
    const t = lossyTrace()
    t.server('lossy-server#1', 'seed 1, drop probability 0.3')
    expect(checkRule('lossy-drop-list', t.trace).reason).toBe(
      'No server has run with a drop list yet: type 3, 7 in Drop exactly these PINGs, then stop and start the lossy server.',
    )
  })

  it('waits for the highest PING of the list, not the second', () => {
    const t = lossyTrace()
    t.server('lossy-server#1', list('3, 7, 12'))
    t.run(A, 'lossy-server#1', 10, [3, 7])
    expect(checkRule('lossy-drop-list', t.trace).reason).toBe(
      'The server drops the replies to PING 3, 7, 12, but has not received PING 12 yet: run the lossy client with at least 12 PINGs.',
    )
  })

  it('fails drops that differ from the list though as many, or fewer', () => {
    const t = lossyTrace()
    t.server('lossy-server#1', list('3, 7'))
    t.run(A, 'lossy-server#1', 8, [3, 5])
    expect(checkRule('lossy-drop-list', t.trace).reason).toBe(
      'The server dropped the replies to PING 3, 5, not exactly 3, 7.',
    )
    const fewer = lossyTrace()
    fewer.server('lossy-server#1', list('3, 7'))
    fewer.run(A, 'lossy-server#1', 8, [3])
    expect(checkRule('lossy-drop-list', fewer.trace).reason).toBe(
      'The server dropped the replies to PING 3, not exactly 3, 7.',
    )
  })

  it('passes when a relay reordered the PINGs, and a dropped plain PING does not count', () => {
    const t = lossyTrace()
    const note = t.server('lossy-server#1', list('3, 7'))
    t.add('lossy-server#1', 'recvfrom', { remote: A.addr, payload: 'PING' })
    t.add('lossy-server#1', 'drop', { payload: 'PONG' })
    t.timeoutNote(A, '2.0')
    const timeouts: TraceEvent[] = []
    for (const n of [1, 2, 7, 4, 5, 6, 3, 8]) {
      const end = t.ping(A, 'lossy-server#1', n, n === 3 || n === 7 ? 'drop' : 'answer')
      if (n === 3 || n === 7) timeouts.push(end!)
    }
    t.close(A.actor)
    const r = checkRule('lossy-drop-list', t.trace)
    expect(r.reason).toBe(
      'The server dropped exactly the replies to PING 3, 7, and the client reported each of them as a timeout.',
    )
    const drops = t.trace.filter((e) => e.op === 'drop' && e.payload !== 'PONG')
    expect(r.evidence).toStrictEqual(seqs([note, ...drops, timeouts[1], timeouts[0]]))
  })

  it('fails a client still running, or one that talked to another server', () => {
    const t = lossyTrace()
    t.server('lossy-server#1', list('3, 7'))
    t.run(A, 'lossy-server#1', 8, [3, 7], { running: true })
    const unfinished =
      "The server dropped exactly PING 3, 7's replies, but no lossy client run of the app finished against it: run the lossy client (with a Timeout) to the end."
    expect(checkRule('lossy-drop-list', t.trace).reason).toBe(unfinished)

    const other = lossyTrace()
    other.server('lossy-server#1', list('3, 7'))
    for (let n = 1; n <= 8; n++) {
      other.add('lossy-server#1', 'recvfrom', { remote: '127.0.0.1:49999', payload: `PING ${n}` })
      if (n === 3 || n === 7) other.add('lossy-server#1', 'drop', { payload: `PONG ${n}` })
    }
    other.run(B, undefined, 8, [3, 7])
    expect(checkRule('lossy-drop-list', other.trace).reason).toBe(unfinished)
  })

  it('fails a client that gave up before the last dropped reply, and one with no timeout', () => {
    const t = lossyTrace()
    t.server('lossy-server#1', list('3, 7'))
    t.timeoutNote(A, '2.0')
    for (let n = 1; n <= 6; n++) t.ping(A, 'lossy-server#1', n, n === 3 ? 'drop' : 'answer')
    t.send(A, 'PING 7')
    t.add('lossy-server#1', 'recvfrom', { remote: A.addr, payload: 'PING 7' })
    t.add('lossy-server#1', 'drop', { payload: 'PONG 7' })
    t.close(A.actor)
    expect(checkRule('lossy-drop-list', t.trace).reason).toBe(
      'The client timed out on PING 3, not on each of 3, 7: run it to the end with at least 7 PINGs.',
    )

    const early = lossyTrace()
    early.server('lossy-server#1', list('3, 7'))
    early.run(B, 'lossy-server#1', 2, [])
    early.send(A, 'PING 1')
    for (let n = 3; n <= 8; n++) {
      early.add('lossy-server#1', 'recvfrom', { remote: B.addr, payload: `PING ${n}` })
      if (n === 3 || n === 7) early.add('lossy-server#1', 'drop', { payload: `PONG ${n}` })
    }
    expect(checkRule('lossy-drop-list', early.trace).reason).toBe(
      'The client timed out on no PING, not on each of 3, 7: run it to the end with at least 7 PINGs.',
    )

    const forever = lossyTrace()
    forever.server('lossy-server#1', list('3, 7'))
    forever.timeoutNote(A, null)
    for (let n = 1; n <= 3; n++) forever.ping(A, 'lossy-server#1', n, n === 3 ? 'wait' : 'answer')
    forever.add('lossy-server#1', 'drop', { payload: 'PONG 3' })
    for (let n = 4; n <= 8; n++) {
      forever.add('lossy-server#1', 'recvfrom', { remote: A.addr, payload: `PING ${n}` })
      if (n === 7) forever.add('lossy-server#1', 'drop', { payload: 'PONG 7' })
    }
    forever.close(A.actor)
    expect(checkRule('lossy-drop-list', forever.trace).reason).toBe(
      'The client had no timeout, so it blocked on the first dropped reply instead of reporting it: choose a Timeout such as 2 s and run it again.',
    )
  })
})

describe('lossy-late-reply against near-miss runs', () => {
  it('cites the timeout, the relay’s last hold of that very reply before it, and the late reply', () => {
    const t = lossyTrace()
    t.timeoutNote(A, '2.0')
    t.ping(A, undefined, 4, 'answer')
    t.add('udp-relay#1', 'sendto', { tag: 'delayed', payload: 'PONG 5' })
    t.send(A, 'PING 5')
    const timedOut = t.timeout(A, 5)
    const held = t.add('udp-relay#1', 'sendto', { tag: 'delayed', payload: 'PONG 5' })
    // Between the hold and the late reply: not the relay's hold of PONG 5.
    t.add('udp-relay#1', 'sendto', { payload: 'PONG 5' })
    t.add('udp-relay#1', 'sendto', { tag: 'delayed', payload: 'PONG 4' })
    t.add(A.actor, 'note', { tag: 'delayed', payload: 'PONG 5' })
    t.send(A, 'PING 6')
    const late = t.reply(A, 'PONG 5', 'late')
    t.add('udp-relay#1', 'sendto', { tag: 'delayed', payload: 'PONG 5' })
    const r = checkRule('lossy-late-reply', t.trace)
    expect(r.reason).toBe(
      'The client timed out on PING 5, then got PONG 5 while waiting for a later PONG, and told it apart by its number: a late reply, ignored.',
    )
    expect(r.evidence).toStrictEqual(seqs([timedOut, held, late]))
  })

  it('cites the late reply alone when it carries no number', () => {
    const t = lossyTrace()
    t.send(A, 'PING 1')
    t.timeout(A, 1)
    const late = t.reply(A, 'PONG', 'late')
    const r = checkRule('lossy-late-reply', t.trace)
    expect(r.reason).toContain('timed out on PING ?')
    expect(r.evidence).toStrictEqual([late.seq])

    // A late PONG 9 from a run that never timed out on PING 9 (a relay's duplicate).
    const odd = lossyTrace()
    odd.run(A, undefined, 9, [])
    const late9 = odd.reply(A, 'PONG 9', 'late')
    expect(checkRule('lossy-late-reply', odd.trace).evidence).toStrictEqual([late9.seq])
  })

  it('says what is missing: no relay, a relay that only noted, no timeout, no late reply', () => {
    const noRelay = lossyTrace()
    noRelay.run(A, undefined, 3, [2])
    expect(checkRule('lossy-late-reply', noRelay.trace).reason).toMatch(/^No relay has run yet/)

    const fast = lossyTrace()
    fast.add('udp-relay#1', 'note', { message: 'seed 99' })
    fast.add('udp-relay#1', 'sendto', { payload: 'PING 1' })
    fast.run(A, undefined, 3, [])
    expect(checkRule('lossy-late-reply', fast.trace).reason).toMatch(/^Every reply came back/)

    const short = lossyTrace()
    short.add('udp-relay#1', 'sendto', { payload: 'PING 1' })
    short.run(A, undefined, 3, [])
    short.run(B, undefined, 1, [1])
    expect(checkRule('lossy-late-reply', short.trace).reason).toMatch(/no late reply reached it/)
  })
})
