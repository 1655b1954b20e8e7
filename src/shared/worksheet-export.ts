import { chosenLabel, type Worksheet, type WorksheetSpec } from './worksheet'

export interface CommentBlockOptions {
  /** Longest line, `#` included (PEP 8's 79 by default). */
  width?: number
}

const NOT_ANSWERED = '(not answered yet)'

/**
 * The worksheet as the `#` comment block a student puts at the top of each file of their
 * protocol: the lab's export title, then every answer under its question's heading, wrapped
 * to the width, blank lines kept as `#`. A choice question's heading carries the pick.
 */
export function worksheetCommentBlock(
  spec: WorksheetSpec,
  sheet: Worksheet,
  options: CommentBlockOptions = {},
): string {
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

  heading(spec.export?.title ?? spec.title)
  for (const q of spec.questions) {
    lines.push('#')
    const answer = sheet.answers[q.id] ?? ''
    if (q.choice) {
      const picked = chosenLabel(q, sheet)
      heading(`${q.heading ?? q.choice.label}: ${picked ?? NOT_ANSWERED}`)
      // The reason follows the pick; with neither, the heading already says "not answered".
      if (picked || answer.trim()) body(answer)
      continue
    }
    heading(q.heading ?? q.title)
    body(answer)
  }
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
