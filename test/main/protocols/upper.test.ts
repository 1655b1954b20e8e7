import { describe, expect, it } from 'vitest'
import { perConnection } from '../../../src/main/protocols/line-protocol'
import { upperDatagramReply, upperReply } from '../../../src/main/protocols/upper'

/**
 * The uppercase service against labs/protocol/specs/upper.md and upper_udp_server.py:
 * every expected reply below is written out from the spec, not computed by the code under test.
 */
describe('the uppercase protocol, as specs/upper.md states it', () => {
  it("answers the spec's example and converts letters outside ASCII too", () => {
    expect(upperReply('hello world')).toBe('HELLO WORLD')
    expect(upperReply('straße')).toBe('STRASSE')
    expect(upperReply('Déjà vu 42!')).toBe('DÉJÀ VU 42!')
  })

  it('over UDP, keeps a newline as just another character', () => {
    expect(upperDatagramReply('two\nlines')).toBe('TWO\nLINES')
  })

  it('over UDP, answers a datagram of exactly 2048 bytes and refuses one of 2049', () => {
    expect(upperDatagramReply('a'.repeat(2048))).toBe('A'.repeat(2048))
    expect(upperDatagramReply('a'.repeat(2049))).toBe('ERROR datagram too long (max 2048 bytes)')
  })

  it('counts bytes, not characters: 1,024 é are 2,048 bytes; one more letter is too long', () => {
    expect(upperDatagramReply('é'.repeat(1024))).toBe('É'.repeat(1024))
    expect(upperDatagramReply(`${'é'.repeat(1024)}a`)).toBe(
      'ERROR datagram too long (max 2048 bytes)',
    )
  })

  it('over TCP with --line, gives one reply line per line and the spec’s error for a long one', () => {
    const server = perConnection(() => upperReply)
    expect(server.connect('c1')).toStrictEqual([])
    expect(server.line('c1', 'hello world')).toStrictEqual([{ to: 'c1', line: 'HELLO WORLD' }])
    expect(server.tooLong('c1', 201)).toStrictEqual([
      { to: 'c1', line: 'ERROR line too long (max 200 bytes)' },
    ])
    // The connection stays open after the error: the next line is answered.
    expect(server.line('c1', 'again')).toStrictEqual([{ to: 'c1', line: 'AGAIN' }])
  })
})
