import type { Worksheet } from './worksheet'

export interface CommentBlockOptions {
  /** Longest line, `#` included (PEP 8's 79 by default). */
  width?: number
  /** A first line naming the protocol, e.g. "Calculator protocol". */
  title?: string
}

const NOT_ANSWERED = '(not answered yet)'

/**
 * The worksheet as the `#` comment block a student puts at the top of each file of their
 * protocol: every answer under its heading, wrapped to the width, blank lines kept as `#`.
 */
export function worksheetCommentBlock(sheet: Worksheet, options: CommentBlockOptions = {}): string {
  const width = Math.max(40, options.width ?? 79)
  const lines: string[] = []
  const heading = (text: string) => lines.push(`# ${text}`)
  const body = (text: string) => {
    const trimmed = text.trim()
    if (!trimmed) {
      lines.push(`#   ${NOT_ANSWERED}`)
      return
    }
    for (const paragraph of trimmed.split(/\r?\n/)) {
      if (!paragraph.trim()) lines.push('#')
      else lines.push(...wrap(paragraph.trim(), width - 4).map((l) => `#   ${l}`))
    }
  }

  heading(options.title?.trim() || 'Protocol design')
  lines.push('#')
  heading(`Transport: ${sheet.transport ? sheet.transport.toUpperCase() : NOT_ANSWERED}`)
  if (sheet.transport || sheet.transportWhy.trim()) body(sheet.transportWhy)
  lines.push('#')
  heading('Message format:')
  body(sheet.format)
  lines.push('#')
  heading('A malformed message gets:')
  body(sheet.malformed)
  lines.push('#')
  heading('How the exchange ends, and who ends it:')
  body(sheet.ending)
  return lines.join('\n') + '\n'
}

/** Greedy word wrap; a word longer than the width gets a line of its own, uncut. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!line) line = word
    else if (line.length + 1 + word.length <= width) line += ` ${word}`
    else {
      out.push(line)
      line = word
    }
  }
  if (line) out.push(line)
  return out
}
