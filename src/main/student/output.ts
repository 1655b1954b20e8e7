/**
 * A program's output made safe to show: terminal escape sequences (colours, cursor moves,
 * window titles) removed, other control characters written out as `\xNN`, and only the
 * latest `limit` characters kept, so a program printing 100 MB cannot fill memory.
 */

// CSI (ESC [ … final byte), OSC (ESC ] … BEL or ESC \), other two-byte ESC sequences.
const ESCAPE =
  // eslint-disable-next-line no-control-regex
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]/g
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g
// An escape sequence that may go on in the next chunk: kept back until it ends.
// eslint-disable-next-line no-control-regex
const UNFINISHED = /(?:\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*\x1b?)?|\x9b[0-?]*[ -/]*)$/

/** Text with escape sequences removed, `\r\n` and lone `\r` as `\n`, and control characters visible. Pure. */
export function makeHarmless(text: string): string {
  return text
    .replace(ESCAPE, '')
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

/** makeHarmless over a stream of chunks: a sequence cut between two chunks is still removed. */
export class HarmlessStream {
  private held = ''

  push(chunk: string): string {
    const text = this.held + chunk
    const tail = UNFINISHED.exec(text)
    // A held tail is bounded: past 256 characters it is not a real sequence.
    const cut = tail && tail[0].length > 0 && tail[0].length <= 256 ? tail.index : text.length
    this.held = text.slice(cut)
    // A lone \r at the end may be the start of \r\n.
    if (!this.held && text.endsWith('\r')) {
      this.held = '\r'
      return makeHarmless(text.slice(0, -1))
    }
    return makeHarmless(text.slice(0, cut))
  }

  end(): string {
    const rest = this.held
    this.held = ''
    return makeHarmless(rest)
  }
}

export type OutputStreamName = 'stdout' | 'stderr'
export interface OutputChunk {
  stream: OutputStreamName
  text: string
}

/** The latest output of a program, at most `limit` characters; says how much was dropped. */
export class BoundedOutput {
  private chunks: OutputChunk[] = []
  private size = 0
  dropped = 0

  constructor(readonly limit = 1_000_000) {}

  append(stream: OutputStreamName, text: string): void {
    if (!text) return
    if (text.length > this.limit) {
      this.dropped += text.length - this.limit
      text = text.slice(text.length - this.limit)
    }
    const last = this.chunks[this.chunks.length - 1]
    if (last?.stream === stream && last.text.length < 4096) last.text += text
    else this.chunks.push({ stream, text })
    this.size += text.length
    while (this.size > this.limit) {
      const first = this.chunks[0]!
      const over = this.size - this.limit
      if (first.text.length <= over) {
        this.chunks.shift()
        this.size -= first.text.length
        this.dropped += first.text.length
      } else {
        first.text = first.text.slice(over)
        this.size -= over
        this.dropped += over
      }
    }
  }

  snapshot(): OutputChunk[] {
    return this.chunks.map((c) => ({ ...c }))
  }

  /** One stream's kept text. */
  text(stream: OutputStreamName): string {
    return this.chunks
      .filter((c) => c.stream === stream)
      .map((c) => c.text)
      .join('')
  }
}
