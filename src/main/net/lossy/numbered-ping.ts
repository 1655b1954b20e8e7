/**
 * Lab 4's wire protocol: `PING n` asks, `PONG n` answers the same n. The number is what lets
 * a client tell the current reply from a late or a duplicate one.
 */

export const numberedPing = (n: number) => `PING ${n}`
export const numberedPong = (n: number) => `PONG ${n}`

/** What a lossy server answers to anything that is not a numbered PING. */
export const NUMBERED_BAD_REQUEST = 'ERROR expected PING or PING <n>'

const PING_LINE = /^PING ([1-9]\d{0,8})$/
const PONG_LINE = /^PONG ([1-9]\d{0,8})$/

/** n from "PING n" (surrounding whitespace, such as nc's newline, allowed); else undefined. */
export function parsePing(message: string): number | undefined {
  const m = PING_LINE.exec(message.trim())
  return m ? Number(m[1]) : undefined
}

/** k from "PONG k"; else undefined. */
export function parsePong(message: string): number | undefined {
  const m = PONG_LINE.exec(message.trim())
  return m ? Number(m[1]) : undefined
}

/** Python's repr of a float in seconds: 2000 ms → "2.0", 1500 → "1.5", as settimeout() shows it. */
export function pythonSeconds(ms: number): string {
  const s = ms / 1000
  return Number.isInteger(s) ? s.toFixed(1) : String(s)
}
