import type { StudentTraceRecorder } from './trace-sink'

/** Characters handed to the recorder per turn of the event loop (a few dozen records). */
export const FEED_SLICE = 4096
/** Slices waiting before the pipe is paused (the program then waits on its next write). */
export const FEED_QUEUE_LIMIT = 256

/**
 * Feeds the tracer's pipe to the recorder a slice per turn of the event loop, so recording a
 * burst of records never holds up the sockets of the main process: the app's own actors
 * (often the student's peer) answer between slices. The recorder takes lines cut anywhere.
 */
export class TraceFeed {
  private readonly queue: string[] = []
  private scheduled = false
  private ended = false
  private finish: () => void = () => undefined
  /** Resolves once the pipe has ended and everything read is recorded. */
  readonly drained = new Promise<void>((resolve) => (this.finish = resolve))

  constructor(
    private readonly recorder: Pick<StudentTraceRecorder, 'push' | 'end'>,
    /** Stop and restart reading the pipe: memory stays bounded whatever the program writes. */
    private readonly flow: { pause(): void; resume(): void } = { pause() {}, resume() {} },
  ) {}

  push(chunk: string): void {
    for (let at = 0; at < chunk.length; at += FEED_SLICE) {
      this.queue.push(chunk.slice(at, at + FEED_SLICE))
    }
    if (this.queue.length >= FEED_QUEUE_LIMIT && !this.paused) {
      this.paused = true
      this.flow.pause()
    }
    this.schedule()
  }

  private paused = false

  end(): void {
    this.ended = true
    this.schedule()
  }

  private schedule() {
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => this.turn())
  }

  private turn() {
    this.scheduled = false
    const slice = this.queue.shift()
    if (slice !== undefined) this.recorder.push(slice)
    if (this.paused && this.queue.length < FEED_QUEUE_LIMIT / 2) {
      this.paused = false
      this.flow.resume()
    }
    if (this.queue.length > 0) return this.schedule()
    if (this.ended) {
      this.recorder.end()
      this.finish()
    }
  }
}
