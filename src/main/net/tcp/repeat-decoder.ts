/**
 * Decodes received chunks as UTF-8 and hands back what `derive` makes of the text (the reply,
 * the preview for the trace), remembering the last chunk: a peer that sends the same short
 * message again and again, as every PING client does, is decoded and derived once, and each
 * repeat gets the very same value back. Decoding, replying and previewing afresh for every
 * packet was a measurable share of a loopback round trip (`npm run bench -- pingpong`).
 */
export function repeatDecoder<T>(
  derive: (text: string) => T,
  /** Longer chunks are decoded every time: comparing them would cost as much. */
  maxBytes = 64,
): (chunk: Buffer) => T {
  const last = new Uint8Array(maxBytes)
  let lastLength = -1
  let lastValue: T | undefined
  return (chunk) => {
    const length = chunk.length
    if (length === lastLength) {
      let i = 0
      while (i < length && chunk[i] === last[i]) i++
      if (i === length) return lastValue as T
    }
    const value = derive(chunk.toString('utf8'))
    // A copy: the chunk's memory is not ours to keep.
    if (length <= maxBytes) {
      last.set(chunk)
      lastLength = length
      lastValue = value
    }
    return value
  }
}
