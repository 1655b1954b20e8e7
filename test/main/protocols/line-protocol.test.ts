import { describe, expect, it } from 'vitest'
import { perConnection } from '../../../src/main/protocols/line-protocol'

/**
 * A per-connection line protocol as the specs in labs/protocol/specs describe every one of
 * them: each connection has its own state, each line gets exactly one reply line on the same
 * connection, a line over 200 bytes gets `ERROR line too long (max 200 bytes)` (or the
 * protocol's own error) and the connection stays open; the client ends by closing.
 */
function countingServer(tooLongReply?: string) {
  // Each connection numbers its own lines: the state the spec says is per connection.
  const opened: string[] = []
  const protocol = perConnection((id) => {
    opened.push(id)
    let n = 0
    return (line) => `${id} line ${++n}: ${line}`
  }, tooLongReply)
  return { protocol, opened }
}

describe('a per-connection line protocol', () => {
  it('sends nothing on connect and makes the state of that connection only', () => {
    const { protocol, opened } = countingServer()
    expect(protocol.connect('a')).toStrictEqual([])
    expect(opened).toStrictEqual(['a'])
  })

  it('answers each line exactly once, on its own connection, without closing it', () => {
    const { protocol } = countingServer()
    protocol.connect('a')
    protocol.connect('b')
    expect(protocol.line('a', 'x')).toStrictEqual([{ to: 'a', line: 'a line 1: x' }])
    expect(protocol.line('b', 'y')).toStrictEqual([{ to: 'b', line: 'b line 1: y' }])
    expect(protocol.line('a', 'z')).toStrictEqual([{ to: 'a', line: 'a line 2: z' }])
  })

  it('answers a line too long with the course’s error, or the protocol’s own', () => {
    const plain = countingServer().protocol
    plain.connect('a')
    expect(plain.tooLong('a', 250)).toStrictEqual([
      { to: 'a', line: 'ERROR line too long (max 200 bytes)' },
    ])
    const calc = countingServer('ERROR expression too long (max 200 bytes)').protocol
    calc.connect('a')
    expect(calc.tooLong('a', 250)).toStrictEqual([
      { to: 'a', line: 'ERROR expression too long (max 200 bytes)' },
    ])
  })

  it('says nothing to a connection it never accepted, or one that has left', () => {
    const { protocol } = countingServer()
    expect(protocol.line('ghost', 'x')).toStrictEqual([])
    expect(protocol.tooLong('ghost', 250)).toStrictEqual([])
    protocol.connect('a')
    expect(protocol.disconnect('a', 'left')).toStrictEqual([])
    expect(protocol.line('a', 'x')).toStrictEqual([])
    expect(protocol.tooLong('a', 250)).toStrictEqual([])
  })

  it('starts a returning id from a fresh state', () => {
    const { protocol } = countingServer()
    protocol.connect('a')
    protocol.line('a', 'x')
    protocol.disconnect('a', 'too-slow')
    protocol.connect('a')
    expect(protocol.line('a', 'y')).toStrictEqual([{ to: 'a', line: 'a line 1: y' }])
  })
})
