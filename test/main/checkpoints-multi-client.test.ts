import { describe, expect, it } from 'vitest'
import type { TraceEvent } from '@shared/trace'
import { evaluateCheckpoints } from '../../src/main/checkpoints'

let seq = 0
function ev(actor: string, op: TraceEvent['op'], extra: Partial<TraceEvent> = {}): TraceEvent {
  const kind = actor.split('#')[0]!
  return {
    seq: ++seq,
    t: seq,
    actor,
    actorKind: kind,
    role: kind.endsWith('server') ? 'server' : 'client',
    proto: 'tcp',
    op,
    level: 'info',
    ...extra,
  }
}
const check = (trace: TraceEvent[], kind: string, params: object = {}) =>
  evaluateCheckpoints([{ id: 'x', title: 'x', hint: 'x', rule: { kind, ...params } }], trace)[0]!

const accept = (s: string, c: string) => ev(s, 'accept', { conn: c })
const ping = (s: string, c: string) => [
  ev(s, 'recv', { conn: c, payload: 'PING\\n' }),
  ev(s, 'send', { conn: c, payload: 'PONG\\n' }),
]
const bye = (s: string, c: string) => [ev(s, 'eof', { conn: c }), ev(s, 'close', { conn: c })]

describe('multi-client checkpoint rules (hand-made traces)', () => {
  it('sequential: three clients one after another pass; two at once do not', () => {
    const S = 'sequential-server#1'
    const ok = ['a', 'b', 'c'].flatMap((c) => [accept(S, c), ...ping(S, c), ...bye(S, c)])
    expect(check(ok, 'mc-sequential-served', { count: 3 }).passed).toBe(true)
    expect(check(ok.slice(0, 10), 'mc-sequential-served', { count: 3 }).reason).toMatch(/2 of 3/)
    const overlapping = [
      accept(S, 'a'),
      accept(S, 'b'),
      ...ping(S, 'a'),
      ...ping(S, 'b'),
      ...bye(S, 'a'),
      ...bye(S, 'b'),
      accept(S, 'c'),
      ...ping(S, 'c'),
      ...bye(S, 'c'),
    ]
    expect(check(overlapping, 'mc-sequential-served', { count: 3 }).passed).toBe(false)
  })

  it('backlog wait: needs a connect during service and a first PONG after the first client left', () => {
    const S = 'sequential-server#1'
    const early = [
      accept(S, 'a'),
      ...ping(S, 'a'),
      ev('mc-client#2', 'connect', { conn: 'b' }),
      ev(S, 'note', { conn: 'b' }),
    ]
    expect(check(early, 'mc-backlog-wait').reason).toMatch(/let the first one finish/)
    const done = [...early, ...bye(S, 'a'), accept(S, 'b'), ...ping(S, 'b')]
    expect(check(done, 'mc-backlog-wait').passed).toBe(true)
    const late = [
      accept(S, 'a'),
      ...ping(S, 'a'),
      ...bye(S, 'a'),
      ev('mc-client#2', 'connect', { conn: 'b' }),
      accept(S, 'b'),
      ...ping(S, 'b'),
    ]
    expect(check(late, 'mc-backlog-wait').passed).toBe(false)
  })

  it('max clients: the max-clients note must be followed by the listener closing', () => {
    const S = 'sequential-server#1'
    const anchor = (name: string) => ({ anchor: { file: 'sequential_server.py', name } })
    const note = ev(S, 'note', anchor('max-clients'))
    expect(check([note], 'mc-max-clients-stop').passed).toBe(false)
    expect(check([note, ev(S, 'close', anchor('close'))], 'mc-max-clients-stop').passed).toBe(true)
    const stopped = [ev(S, 'note', anchor('running-flag')), ev(S, 'close', anchor('close'))]
    expect(check(stopped, 'mc-max-clients-stop').passed).toBe(false)
  })

  it('concurrent: three overlapping clients with every PING answered', () => {
    const C = 'concurrent-server#1'
    const together = [
      accept(C, 'a'),
      accept(C, 'b'),
      accept(C, 'c'),
      ...['a', 'b', 'c'].flatMap((c) => [...ping(C, c), ...bye(C, c)]),
    ]
    expect(check(together, 'mc-concurrent-overlap', { count: 3 }).passed).toBe(true)
    const unanswered = [
      accept(C, 'a'),
      accept(C, 'b'),
      accept(C, 'c'),
      ev(C, 'recv', { conn: 'a', payload: 'PING\\n' }),
      ...['a', 'b', 'c'].flatMap((c) => [...ping(C, c), ...bye(C, c)]),
    ]
    expect(check(unanswered, 'mc-concurrent-overlap', { count: 3 }).reason).toMatch(
      /not every PING/,
    )
    const oneByOne = ['a', 'b', 'c'].flatMap((c) => [accept(C, c), ...ping(C, c), ...bye(C, c)])
    expect(check(oneByOne, 'mc-concurrent-overlap', { count: 3 }).reason).toMatch(/At most 1 of 3/)
  })

  it('compared: both kinds of server with two clients each', () => {
    const S = 'sequential-server#1'
    const C = 'concurrent-server#1'
    const seqRun = ['a', 'b'].flatMap((c) => [accept(S, c), ...ping(S, c), ...bye(S, c)])
    expect(check(seqRun, 'mc-compared').reason).toMatch(/the concurrent server \(0 of 2\)/)
    const conRun = ['c', 'd'].flatMap((c) => [accept(C, c), ...ping(C, c), ...bye(C, c)])
    expect(check([...seqRun, ...conRun], 'mc-compared').passed).toBe(true)
  })
})
