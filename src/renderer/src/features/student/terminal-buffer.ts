/** How much of a program's output the page keeps: the last ~200 KB, like a terminal's scrollback. */
export const TERMINAL_KEEP_CHARS = 200_000

/** What the terminal view does with the output that came since the last frame. */
export type TerminalUpdate = { kind: 'append'; text: string } | { kind: 'replace'; text: string }

/**
 * A program's output as the terminal shows it, bounded. Chunks are stored as they arrive
 * (cheap: no join, no re-render) and handed to the view once per frame by `take()`: as text to
 * append, or — when the scrollback overflowed — as the whole kept text to put in place.
 * A program printing 100 MB therefore costs the page one bounded string and a few DOM writes a
 * frame, whatever the number of chunks.
 */
export class TerminalBuffer {
  private shown = ''
  private pending: string[] = []
  private pendingChars = 0
  private mustReplace = false
  /** Characters dropped from the start, so the view can say "earlier output cut". */
  droppedChars = 0

  /** Told when output arrives and nothing was pending: the view schedules one frame. */
  onPending: (() => void) | null = null

  constructor(readonly keep = TERMINAL_KEEP_CHARS) {}

  append(text: string): void {
    if (!text) return
    const wasIdle = !this.hasPending
    this.pending.push(text)
    this.pendingChars += text.length
    if (wasIdle) this.onPending?.()
    // Output that nobody is looking at must not pile up either: past twice the budget,
    // the pending chunks collapse into the last `keep` characters.
    if (this.pendingChars > 2 * this.keep) {
      const joined = this.pending.join('')
      const kept = this.tail(joined, this.keep)
      this.droppedChars += this.shown.length + joined.length - kept.length
      this.shown = ''
      this.pending = [kept]
      this.pendingChars = kept.length
      this.mustReplace = true
    }
  }

  get hasPending(): boolean {
    return this.pendingChars > 0 || this.mustReplace
  }

  /** Everything kept, pending included (for a view that mounts late, or a copy). */
  get text(): string {
    return this.shown + this.pending.join('')
  }

  /** All the kept text, as a view that starts showing this buffer now puts it in place. */
  takeAll(): string {
    const update = this.take()
    if (update?.kind !== 'replace') this.mustReplace = false
    return this.shown
  }

  /** The output since the last call, as the view must apply it; null when there is none. */
  take(): TerminalUpdate | null {
    if (!this.hasPending) return null
    const fresh = this.pending.join('')
    this.pending = []
    this.pendingChars = 0
    // Trim in steps of half the budget, so a steady stream replaces the text now and then
    // rather than on every frame.
    if (this.mustReplace || this.shown.length + fresh.length > this.keep * 1.5) {
      const all = this.shown + fresh
      this.shown = this.tail(all, this.keep)
      this.droppedChars += all.length - this.shown.length
      this.mustReplace = false
      return { kind: 'replace', text: this.shown }
    }
    this.shown += fresh
    return { kind: 'append', text: fresh }
  }

  /** The last `max` characters, starting at a line when one starts near the cut. */
  private tail(text: string, max: number): string {
    if (text.length <= max) return text
    const start = text.length - max
    const nl = text.indexOf('\n', start)
    return nl >= 0 && nl - start < 2_000 ? text.slice(nl + 1) : text.slice(start)
  }
}
