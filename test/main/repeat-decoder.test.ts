import { describe, expect, it } from 'vitest'
import { repeatDecoder } from '../../src/main/net/tcp/repeat-decoder'

/** A decoder that counts how often it really decoded. */
function counting(maxBytes?: number) {
  const seen: string[] = []
  const decode = repeatDecoder((text) => {
    seen.push(text)
    return { text }
  }, maxBytes)
  return { decode, seen }
}

describe('repeatDecoder', () => {
  it('decodes a repeated chunk once and hands back the same value for each repeat', () => {
    const { decode, seen } = counting()
    const first = decode(Buffer.from('PING\n'))
    expect(decode(Buffer.from('PING\n'))).toBe(first)
    expect(decode(Buffer.from('PING\n'))).toBe(first)
    expect(seen).toEqual(['PING\n'])
  })

  it('decodes again when the bytes differ, even at the same length', () => {
    const { decode, seen } = counting()
    expect(decode(Buffer.from('PING')).text).toBe('PING')
    expect(decode(Buffer.from('PONG')).text).toBe('PONG')
    expect(decode(Buffer.from('PON')).text).toBe('PON')
    expect(decode(Buffer.from('PING')).text).toBe('PING')
    expect(seen).toEqual(['PING', 'PONG', 'PON', 'PING'])
  })

  it('keeps its own copy: a chunk changed after decoding does not fool it', () => {
    const { decode, seen } = counting()
    const chunk = Buffer.from('PING')
    decode(chunk)
    chunk.write('PONG')
    expect(decode(chunk).text).toBe('PONG')
    expect(seen).toEqual(['PING', 'PONG'])
  })

  it('decodes UTF-8, and decodes chunks longer than its limit every time', () => {
    const { decode, seen } = counting(8)
    expect(decode(Buffer.from('héllo')).text).toBe('héllo')
    const long = Buffer.from('a message longer than eight bytes')
    decode(long)
    decode(long)
    expect(seen).toEqual(['héllo', long.toString(), long.toString()])
    // The last short chunk is still remembered.
    decode(Buffer.from('héllo'))
    expect(seen).toHaveLength(3)
  })

  it('decodes an empty chunk as empty text', () => {
    const { decode } = counting()
    expect(decode(Buffer.alloc(0)).text).toBe('')
  })
})
