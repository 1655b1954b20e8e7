/**
 * A step's Markdown cut at its `## ` headings, so the page can fold the sections that give
 * the answers away ("What to watch", "Think about it", hints) until the instructor reveals
 * them. Headings inside fenced code blocks are code, not sections.
 */
export interface StepSection {
  /** The `## ` heading's text; empty for what comes before the first one. */
  heading: string
  /** The section's Markdown, its heading line included. */
  markdown: string
  /** It tells what the student should find out: folded while answers are hidden. */
  answer: boolean
}

const ANSWER_HEADING = /^(what to (watch|look for|compare)|think about it|the lesson|hints?)\b/i

export function isAnswerHeading(heading: string): boolean {
  return ANSWER_HEADING.test(heading.trim())
}

export function splitSections(markdown: string): StepSection[] {
  const sections: StepSection[] = []
  let heading = ''
  let lines: string[] = []
  let fence: string | null = null
  const flush = (): void => {
    const text = lines.join('\n')
    if (heading || text.trim())
      sections.push({ heading, markdown: text, answer: isAnswerHeading(heading) })
  }
  for (const line of markdown.split('\n')) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1]
    if (marker) {
      if (fence === null) fence = marker
      else if (marker.startsWith(fence)) fence = null
    }
    const h2 = fence === null ? /^##\s+(.*)$/.exec(line) : null
    if (h2) {
      flush()
      heading = h2[1]!.trim()
      lines = [line]
    } else {
      lines.push(line)
    }
  }
  flush()
  return sections
}
