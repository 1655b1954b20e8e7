/**
 * The arguments field, split as a shell would for the simple cases students type:
 * words separated by spaces, '…' or "…" to keep spaces inside one argument.
 */
export function splitArgs(text: string): { args: string[] } | { error: string } {
  const args: string[] = []
  let current = ''
  let inWord = false
  let quote: '"' | "'" | null = null
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null
      else current += ch
    } else if (ch === '"' || ch === "'") {
      quote = ch
      inWord = true
    } else if (/\s/.test(ch)) {
      if (inWord) args.push(current)
      current = ''
      inWord = false
    } else {
      current += ch
      inWord = true
    }
  }
  if (quote) return { error: `A ${quote} quote is not closed in the arguments.` }
  if (inWord) args.push(current)
  return { args }
}
