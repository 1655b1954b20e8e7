import { describe, expect, it } from 'vitest'
import { CHAT_ERRORS, CHAT_LIMITS, ChatRoom } from '../../../src/main/protocols/chat'
import { LINE_TOO_LONG_REPLY } from '../../../src/main/protocols/line-buffer'

function roomWith(...names: string[]) {
  const room = new ChatRoom()
  names.forEach((name, i) => {
    room.connect(`c${i}`)
    room.line(`c${i}`, `NAME ${name}`)
  })
  return room
}

describe('chat room', () => {
  it('welcomes a named client and tells the others', () => {
    const room = roomWith('alice')
    expect(room.connect('c1')).toEqual([])
    expect(room.line('c1', 'NAME bob')).toEqual([
      { to: 'c1', line: 'WELCOME bob (2 online)' },
      { to: 'c0', line: '* bob joined' },
    ])
    expect(room.members).toEqual(['alice', 'bob'])
  })

  it('broadcasts a line to everyone but the sender, with the sender’s name', () => {
    const room = roomWith('alice', 'bob', 'carol')
    expect(room.line('c1', 'hi all')).toEqual([
      { to: 'c0', line: 'bob: hi all' },
      { to: 'c2', line: 'bob: hi all' },
    ])
    expect(room.line('c1', '   ')).toEqual([])
  })

  it('does not pass on anything from a client that has no name yet', () => {
    const room = roomWith('alice')
    room.connect('c1')
    expect(room.line('c1', 'hello')).toEqual([{ to: 'c1', line: CHAT_ERRORS.nameFirst }])
    expect(room.line('c1', 'NAME ')).toEqual([{ to: 'c1', line: CHAT_ERRORS.badName }])
    expect(room.line('c1', 'NAME bad name')).toEqual([{ to: 'c1', line: CHAT_ERRORS.badName }])
    expect(room.line('c1', `NAME ${'a'.repeat(17)}`)).toEqual([
      { to: 'c1', line: CHAT_ERRORS.badName },
    ])
    expect(room.line('c1', 'NAME alice')).toEqual([
      { to: 'c1', line: 'ERROR the name "alice" is taken: choose another' },
    ])
    expect(room.line('c1', 'name Bob_2')[0]).toEqual({ to: 'c1', line: 'WELCOME Bob_2 (2 online)' })
  })

  it('NAME must open the line; any spaces may follow it', () => {
    const room = roomWith('alice')
    room.connect('c1')
    for (const line of ['say NAME bob', 'xNAME bob', 'NAMEbob']) {
      expect(room.line('c1', line), line).toEqual([{ to: 'c1', line: CHAT_ERRORS.nameFirst }])
    }
    expect(room.line('c1', ' NAME \t bob ')[0]).toEqual({
      to: 'c1',
      line: 'WELCOME bob (2 online)',
    })
  })

  it('ignores lines from a connection it does not know (never connected, or gone)', () => {
    const room = roomWith('alice')
    expect(room.line('ghost', 'NAME bob')).toEqual([])
    room.connect('c1')
    room.disconnect('c1')
    expect(room.line('c1', 'NAME bob')).toEqual([])
    expect(room.members).toEqual(['alice'])
  })

  it('announces who left, and why when the server dropped them', () => {
    const room = roomWith('alice', 'bob', 'carol')
    expect(room.disconnect('c1')).toEqual([
      { to: 'c0', line: '* bob left' },
      { to: 'c2', line: '* bob left' },
    ])
    expect(room.disconnect('c2', 'too-slow')).toEqual([
      { to: 'c0', line: '* carol left (disconnected: it was not reading its messages)' },
    ])
    expect(room.disconnect('c2')).toEqual([])
    expect(room.members).toEqual(['alice'])
    // The name is free again.
    room.connect('c3')
    expect(room.line('c3', 'NAME bob')[0]!.line).toBe('WELCOME bob (2 online)')
  })

  it('refuses connections beyond the limit and answers a too-long line', () => {
    const room = new ChatRoom()
    for (let i = 0; i < CHAT_LIMITS.clients; i++) expect(room.connect(`c${i}`)).toEqual([])
    expect(room.connect('extra')).toEqual([{ to: 'extra', line: CHAT_ERRORS.full, close: true }])
    expect(room.connections).toBe(CHAT_LIMITS.clients)
    expect(room.tooLong('c0')).toEqual([{ to: 'c0', line: LINE_TOO_LONG_REPLY }])
  })
})
