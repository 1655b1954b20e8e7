/** `# anchor: NAME` at the end of a line names that line for the trace's code anchors. */
const ANCHOR_RE = /\s*#\s*anchor:\s*([A-Za-z0-9_.-]+)\s*$/

export interface PreparedSource {
  /** The lines as shown: anchor comments removed, nothing else changed. */
  lines: string[]
  /** Anchor name → 1-based line number. */
  anchors: Map<string, number>
}

const preparedCache = new Map<string, PreparedSource>()

/** `prepareSource`, once per source text (lab files never change while a lab is open). */
export function preparedSource(source: string): PreparedSource {
  let prep = preparedCache.get(source)
  if (!prep) {
    if (preparedCache.size > 200) preparedCache.clear()
    prep = prepareSource(source)
    preparedCache.set(source, prep)
  }
  return prep
}

/** The text a file is shown (and highlighted) as: anchor comments removed. */
export function shownText(prep: PreparedSource): string {
  return prep.lines.join('\n')
}

export function prepareSource(source: string): PreparedSource {
  const anchors = new Map<string, number>()
  const lines = source.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n')
  const shown = lines.map((line, index) => {
    const m = ANCHOR_RE.exec(line)
    if (!m) return line
    if (!anchors.has(m[1]!)) anchors.set(m[1]!, index + 1)
    return line.slice(0, m.index)
  })
  return { lines: shown, anchors }
}

/** A file of the lab by the name an anchor uses (exact, or the same base name). */
export function sameFile(a: string, b: string): boolean {
  if (a === b) return true
  const base = (p: string) => p.slice(p.lastIndexOf('/') + 1)
  return base(a) === base(b)
}
