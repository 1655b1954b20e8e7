import { describe, expect, it } from 'vitest'
import { KV_ERRORS, KV_LIMITS, KvStore } from '../../../src/main/protocols/kv'

const run = (store: KvStore, ...lines: string[]) => lines.map((l) => store.reply(l))

describe('key-value store', () => {
  it('sets, gets, lists and deletes', () => {
    const store = new KvStore()
    expect(
      run(store, 'KEYS', 'SET name Alice', 'SET city  New York ', 'GET name', 'GET city', 'KEYS'),
    ).toEqual(['KEYS', 'OK', 'OK', 'VALUE Alice', 'VALUE New York', 'KEYS city name'])
    expect(run(store, 'DEL name', 'GET name', 'DEL name', 'KEYS')).toEqual([
      'OK',
      'ERROR no such key "name"',
      'ERROR no such key "name"',
      'KEYS city',
    ])
  })

  it('takes commands in any case but keys and values as typed', () => {
    const store = new KvStore()
    expect(run(store, 'set Name Bob', 'get Name', 'GET name')).toEqual([
      'OK',
      'VALUE Bob',
      'ERROR no such key "name"',
    ])
  })

  it('a line of spaces is an empty command', () => {
    expect(new KvStore().reply(' \t ')).toBe(KV_ERRORS.empty)
    expect(KV_ERRORS.empty).toBe('ERROR empty command (use SET, GET, DEL, KEYS)')
  })

  it('splits on any run of spaces or tabs, keeping the spaces inside a value', () => {
    const store = new KvStore()
    expect(run(store, 'SET\tk \t a  b ', 'GET   k', 'KEYS')).toEqual(['OK', 'VALUE a  b', 'KEYS k'])
  })

  it('counts the bytes it holds, keys and values in UTF-8', () => {
    const store = new KvStore()
    expect(store.bytes).toBe(0)
    run(store, 'SET name Alice', 'SET city Zürich')
    expect(store.bytes).toBe(4 + 5 + 4 + 7)
    run(store, 'DEL name')
    expect(store.bytes).toBe(4 + 7)
  })

  it('overwrites an existing key', () => {
    const store = new KvStore()
    expect(run(store, 'SET a 1', 'SET a 2', 'GET a')).toEqual(['OK', 'OK', 'VALUE 2'])
    expect(store.size).toBe(1)
  })

  it.each([
    ['', KV_ERRORS.empty],
    ['FOO bar', 'ERROR unknown command "FOO" (use SET, GET, DEL, KEYS)'],
    ['x'.repeat(40), `ERROR unknown command "${'x'.repeat(32)}…" (use SET, GET, DEL, KEYS)`],
    ['\u0001 a', 'ERROR unknown command "\\x01" (use SET, GET, DEL, KEYS)'],
    ['SET', 'ERROR usage: SET <key> <value>'],
    ['SET name', 'ERROR usage: SET <key> <value>'],
    ['GET', 'ERROR usage: GET <key>'],
    ['GET a b', 'ERROR usage: GET <key>'],
    ['DEL', 'ERROR usage: DEL <key>'],
    ['DEL a b', 'ERROR usage: DEL <key>'],
    ['KEYS a', 'ERROR usage: KEYS'],
  ])('%j → %s', (line, reply) => {
    expect(new KvStore().reply(line)).toBe(reply)
  })

  it('enforces the key and value sizes in bytes, each with its own error', () => {
    const store = new KvStore()
    const key = 'k'.repeat(KV_LIMITS.keyBytes)
    const value = 'v'.repeat(KV_LIMITS.valueBytes)
    expect(store.reply(`SET ${key} ${value}`)).toBe('OK')
    expect(store.reply(`SET ${key}k v`)).toBe('ERROR key too long (max 32 bytes)')
    expect(store.reply(`SET k ${value}v`)).toBe('ERROR value too long (max 100 bytes)')
    expect(store.reply(`SET k ${'é'.repeat(51)}`)).toBe('ERROR value too long (max 100 bytes)')
    expect(store.size).toBe(1)
  })

  it('refuses a new key when full, but still lets existing keys change', () => {
    const store = new KvStore()
    for (let i = 0; i < KV_LIMITS.keys; i++) expect(store.reply(`SET k${i} ${i}`)).toBe('OK')
    expect(store.reply('SET one-more x')).toBe('ERROR store full (max 100 keys): DEL one first')
    expect(store.reply('SET k5 changed')).toBe('OK')
    expect(store.reply('DEL k0')).toBe('OK')
    expect(store.reply('SET one-more x')).toBe('OK')
    expect(store.size).toBe(KV_LIMITS.keys)
  })
})
