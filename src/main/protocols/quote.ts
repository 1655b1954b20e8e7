/** How many characters of a client's word an error message quotes at most. */
export const QUOTE_CHARS = 32

/** One character as an error quotes it: control characters, `"` and `\` made visible. */
export function showChar(ch: string): string {
  if (ch === '"' || ch === '\\') return `\\${ch}`
  const code = ch.codePointAt(0) ?? 0
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) {
    return `\\x${code.toString(16).padStart(2, '0')}`
  }
  return ch
}

/** A client's word as an error quotes it (without the quotes): cut short, made visible. */
export function showWord(word: string): string {
  const chars = Array.from(word)
  const shown = chars.slice(0, QUOTE_CHARS).map(showChar).join('')
  return chars.length > QUOTE_CHARS ? `${shown}…` : shown
}
