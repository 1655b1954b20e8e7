import { showWord } from './quote'

/**
 * The key-value protocol. One store per server run, shared by all its clients.
 *
 *   SET <key> <value>   → OK                  (the value is the rest of the line, spaces allowed)
 *   GET <key>           → VALUE <value>       or ERROR no such key "<key>"
 *   DEL <key>           → OK                  or ERROR no such key "<key>"
 *   KEYS                → KEYS k1 k2 …        (sorted; just KEYS when the store is empty)
 *
 * Commands are case-insensitive, keys and values are not. Every limit has its own error.
 */
export const KV_LIMITS = { keyBytes: 32, valueBytes: 100, keys: 100 } as const

export const KV_ERRORS = {
  empty: 'ERROR empty command (use SET, GET, DEL, KEYS)',
  keyTooLong: `ERROR key too long (max ${KV_LIMITS.keyBytes} bytes)`,
  valueTooLong: `ERROR value too long (max ${KV_LIMITS.valueBytes} bytes)`,
  full: `ERROR store full (max ${KV_LIMITS.keys} keys): DEL one first`,
} as const

const USAGE = {
  SET: 'ERROR usage: SET <key> <value>',
  GET: 'ERROR usage: GET <key>',
  DEL: 'ERROR usage: DEL <key>',
  KEYS: 'ERROR usage: KEYS',
} as const
type Command = keyof typeof USAGE

export class KvStore {
  private readonly entries = new Map<string, string>()

  get size(): number {
    return this.entries.size
  }

  /** Total bytes of keys and values held: bounded by the limits. */
  get bytes(): number {
    let total = 0
    for (const [k, v] of this.entries) total += Buffer.byteLength(k) + Buffer.byteLength(v)
    return total
  }

  /** The reply (without its newline) to one request line; changes the store for SET and DEL. */
  reply(line: string): string {
    const text = line.trim()
    if (text === '') return KV_ERRORS.empty
    const [word, rest] = splitFirst(text)
    const command = word.toUpperCase()
    if (!isCommand(command)) {
      return `ERROR unknown command "${showWord(word)}" (use SET, GET, DEL, KEYS)`
    }
    if (command === 'KEYS') {
      if (rest !== '') return USAGE.KEYS
      return ['KEYS', ...[...this.entries.keys()].sort()].join(' ')
    }
    const [key, value] = splitFirst(rest)
    if (key === '') return USAGE[command]
    if (command === 'SET') {
      if (value === '') return USAGE.SET
      if (Buffer.byteLength(key) > KV_LIMITS.keyBytes) return KV_ERRORS.keyTooLong
      if (Buffer.byteLength(value) > KV_LIMITS.valueBytes) return KV_ERRORS.valueTooLong
      if (!this.entries.has(key) && this.entries.size >= KV_LIMITS.keys) return KV_ERRORS.full
      this.entries.set(key, value)
      return 'OK'
    }
    if (value !== '') return USAGE[command]
    const found = this.entries.get(key)
    if (found === undefined) return `ERROR no such key "${showWord(key)}"`
    if (command === 'GET') return `VALUE ${found}`
    this.entries.delete(key)
    return 'OK'
  }
}

function isCommand(word: string): word is Command {
  return Object.hasOwn(USAGE, word)
}

/** "SET a  b c" → ["SET", "a  b c"]: the first word and the rest (`text` comes trimmed). */
function splitFirst(text: string): [string, string] {
  const space = text.search(/\s/)
  return space === -1 ? [text, ''] : [text.slice(0, space), text.slice(space).trimStart()]
}
