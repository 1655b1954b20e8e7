import { describe, expect, it } from 'vitest'
import type { TraceEvent } from '@shared/trace'
import { lineMeta, transcriptOf } from '@renderer/features/console/transcript'
import {
  consoleStateLabel,
  consoleTitle,
  isOpen,
  outgoingText,
} from '@renderer/features/console/console-display'

function ev(seq: number, op: TraceEvent['op'], extra: Partial<TraceEvent> = {}): TraceEvent {
  return {
    seq,
    t: 1000 + seq * 250,
    actor: 'udp-console#1',
    actorKind: 'udp-console',
    role: 'client',
    proto: 'udp',
    op,
    level: 'info',
    ...extra,
  }
}

describe('console transcript', () => {
  it("keeps one console's sends, replies and notes, timed from its first event", () => {
    const lines = transcriptOf(
      [
        ev(1, 'socket'),
        ev(2, 'sendto', { payload: 'hi\\n', bytes: 3 }),
        ev(3, 'recvfrom', { payload: 'HI\\n', bytes: 3, rttMs: 0.5, remote: '127.0.0.1:50020' }),
        ev(4, 'recvfrom', { payload: 'odd', bytes: 3, remote: '127.0.0.1:6000' }),
        ev(5, 'send', { actor: 'tcp-console#2', payload: 'other' }),
        ev(6, 'error', { message: 'Connection refused' }),
        ev(7, 'close'),
      ],
      'udp-console#1',
      '127.0.0.1:50020',
    )
    expect(lines.map((l) => [l.seq, l.kind, l.text, l.at, l.from])).toEqual([
      [2, 'sent', 'hi\\n', 0.25, undefined],
      [3, 'received', 'HI\\n', 0.5, undefined],
      [4, 'received', 'odd', 0.75, '127.0.0.1:6000'],
      [6, 'error', 'Connection refused', 1.25, undefined],
      [7, 'info', 'close', 1.5, undefined],
    ])
  })

  it('writes under a line its time, size, round trip and sender', () => {
    expect(lineMeta({ seq: 1, kind: 'info', text: 'x', at: 0.25 })).toBe('0.250 s')
    expect(
      lineMeta({
        seq: 2,
        kind: 'received',
        text: 'OK',
        at: 1.5,
        bytes: 5,
        rttMs: 1.25,
        from: '127.0.0.1:6000',
      }),
    ).toBe('1.500 s · 5 B · after 1.3 ms · from 127.0.0.1:6000')
  })
})

describe('console display', () => {
  it('names a console by its protocol and address, and its state in words', () => {
    const tcp = { kind: 'tcp-console', address: '127.0.0.1:50020' } as const
    const udp = { kind: 'udp-console', address: '[::1]:50020' } as const
    expect(consoleTitle(tcp)).toBe('TCP 127.0.0.1:50020')
    expect(consoleTitle(udp)).toBe('UDP [::1]:50020')
    expect(consoleStateLabel({ ...tcp, state: 'running' })).toBe('connected')
    expect(consoleStateLabel({ ...udp, state: 'running' })).toBe('open')
    expect(consoleStateLabel({ ...tcp, state: 'starting' })).toBe('opening')
    expect(consoleStateLabel({ ...tcp, state: 'failed' })).toBe('failed')
    expect(consoleStateLabel({ ...tcp, state: 'stopped' })).toBe('closed')
    expect([isOpen({ state: 'starting' }), isOpen({ state: 'stopped' })]).toEqual([true, false])
  })

  it('sends typed escapes as bytes, with a newline if ticked, and refuses nothing at all', () => {
    expect(outgoingText('2\\t+ 3', true)).toEqual({ ok: true, text: '2\t+ 3\n' })
    expect(outgoingText('', true)).toEqual({ ok: true, text: '\n' })
    expect(outgoingText('', false)).toEqual({
      ok: false,
      message: 'Type something to send (or tick “append \\n” to send an empty line).',
    })
  })
})
