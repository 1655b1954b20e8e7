/**
 * Line framing for the lab 5 protocols: one message per line, `\n` ends it, a `\r` just
 * before the `\n` is ignored (so `nc -C` and Windows clients work). A line may hold at most
 * MAX_LINE_BYTES bytes, newline not counted. A longer one is reported once as `too-long` and
 * its bytes are dropped up to the next `\n`, where framing starts again: the connection
 * stays usable and the buffer never holds more than MAX_LINE_BYTES bytes.
 */
export const MAX_LINE_BYTES = 200
export const LINE_TOO_LONG_REPLY = `ERROR line too long (max ${MAX_LINE_BYTES} bytes)`

const NEWLINE = 0x0a
const RETURN = 0x0d

export type FramedItem =
  /** A whole line, without its `\n` (and `\r`); `bytes` counts what it took on the wire. */
  | { kind: 'line'; text: string; bytes: number }
  /** A line over the limit; `bytes` is how many arrived before it was cut (at least limit + 1). */
  | { kind: 'too-long'; bytes: number }

export class LineBuffer {
  private parts: Buffer[] = []
  private held = 0
  /** True while dropping the rest of an over-long line, up to its `\n`. */
  private skipping = false

  constructor(readonly limit = MAX_LINE_BYTES) {}

  /** Bytes of an unfinished line waiting for its `\n`: at most `limit` + 1 (room for a `\r`). */
  get pendingBytes(): number {
    return this.held
  }

  /** Feed the next piece of the byte stream; returns the items it completed, in order. */
  push(chunk: Uint8Array): FramedItem[] {
    const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)
    const items: FramedItem[] = []
    let start = 0
    // Stryker: equivalent — `<=` runs once more at the end with nothing left: it adds no item.
    while (start < data.length) {
      const nl = data.indexOf(NEWLINE, start)
      const end = nl === -1 ? data.length : nl
      if (this.skipping) {
        if (nl === -1) return items
        this.skipping = false
        start = nl + 1
        continue
      }
      const size = this.held + (end - start)
      // A `\r` that may end the line is not counted against the limit.
      const allowed = this.byteBefore(data, start, end) === RETURN ? this.limit + 1 : this.limit
      if (size > allowed) {
        items.push({ kind: 'too-long', bytes: size })
        this.clear()
        if (nl === -1) {
          this.skipping = true
          return items
        }
        start = nl + 1
        continue
      }
      if (nl === -1) {
        // A copy: a view would keep the whole (maybe large) chunk alive.
        this.parts.push(Buffer.from(data.subarray(start)))
        this.held = size
        return items
      }
      let line = data.subarray(start, end)
      // Stryker: equivalent — `>= 0` would also concat an empty list of parts: same line.
      if (this.held > 0) {
        line = Buffer.concat([...this.parts, line])
        this.clear()
      }
      const bytes = line.length + 1
      if (line.at(-1) === RETURN) line = line.subarray(0, -1)
      items.push({ kind: 'line', text: line.toString('utf8'), bytes })
      start = nl + 1
    }
    return items
  }

  /** The last byte of the line so far: from this chunk, else from what is held. */
  private byteBefore(data: Buffer, start: number, end: number): number | undefined {
    if (end > start) return data[end - 1]
    const last = this.parts[this.parts.length - 1]
    return last?.[last.length - 1]
  }

  private clear() {
    this.parts = []
    this.held = 0
  }
}
