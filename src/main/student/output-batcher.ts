import { BoundedOutput, type OutputStreamName } from './output'

/** How often a program's output goes to the page: a few times per animation frame at most. */
export const OUTPUT_FLUSH_MS = 50
/**
 * Characters of output sent per flush at most (about 1.3 MB/s): a program printing 100 MB
 * has the newest of each moment shown and the rest counted, and the page stays responsive.
 */
export const OUTPUT_FLUSH_CHARS = 64 * 1024

export type OutputSink = (stream: OutputStreamName | 'stdin', text: string) => void

/**
 * Gathers a program's output into one message per stream change per flush, never one
 * message per write. What a flush cannot carry is dropped from the oldest end and said so
 * in one line, in place of what was left out.
 */
export class OutputBatcher {
  private pending: BoundedOutput
  private timer: NodeJS.Timeout | undefined
  private ended = false

  constructor(
    private readonly sink: OutputSink,
    private readonly flushMs = OUTPUT_FLUSH_MS,
    private readonly maxChars = OUTPUT_FLUSH_CHARS,
  ) {
    this.pending = new BoundedOutput(maxChars)
  }

  push(stream: OutputStreamName, text: string): void {
    if (this.ended || !text) return
    this.pending.append(stream, text)
    this.timer ??= setTimeout(() => this.flush(), this.flushMs)
  }

  /** A line the student typed, shown where it falls between the program's output. */
  echoInput(text: string): void {
    if (this.ended) return
    this.flush()
    this.sink('stdin', text.endsWith('\n') ? text : `${text}\n`)
  }

  flush(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    const batch = this.pending
    if (batch.snapshot().length === 0) return
    this.pending = new BoundedOutput(this.maxChars)
    if (batch.dropped > 0) {
      this.sink(
        'stderr',
        `\n[Socket Labs: ${batch.dropped.toLocaleString('en')} characters of output not shown here: the program printed faster than they can be shown]\n`,
      )
    }
    for (const chunk of batch.snapshot()) this.sink(chunk.stream, chunk.text)
  }

  /** The program ended: send what is left, then nothing more. */
  end(): void {
    this.flush()
    this.ended = true
  }
}
