import { describe, expect, it } from 'vitest'
import { normalizeAddress, normalizeHost } from '@shared/address'

describe('the shared address normaliser', () => {
  it('writes a host the way every trace event does', () => {
    expect(normalizeHost(' LocalHost ')).toBe('127.0.0.1')
    expect(normalizeHost('::ffff:127.0.0.1')).toBe('127.0.0.1')
    expect(normalizeHost('::1')).toBe('::1')
    expect(normalizeHost('::ffff')).toBe('::ffff')
  })

  it('makes two spellings of one address equal', () => {
    expect(normalizeAddress('[::FFFF:127.0.0.1]:80')).toBe('127.0.0.1:80')
    expect(normalizeAddress('localhost:5000')).toBe('127.0.0.1:5000')
    expect(normalizeAddress('[::1]:5000')).toBe('::1:5000')
    expect(normalizeAddress('0.0.0.0:7')).toBe('0.0.0.0:7')
    expect(normalizeAddress('nohost')).toBe('nohost')
  })
})
