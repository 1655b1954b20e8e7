import { previewPayload } from '@shared/trace'

/**
 * The calculator requests the framing demo's clients send, in this order (then again from
 * the top), the same list as naive_client.py and line_client.py.
 */
export const CALC_REQUESTS = [
  '1+1',
  '2*3',
  '10/4',
  '(1+2)*3',
  '7-10',
  '2*(3+4)',
  '100/8',
  '-5+2',
  '9*9',
  '1/4',
] as const

/** The `n`th request (from 0). */
export function calcRequest(n: number): string {
  return CALC_REQUESTS[n % CALC_REQUESTS.length]!
}

/**
 * Where each reply really starts and ends in the byte stream a client received: replies
 * are lines, so a `\n` ends one. The naive client does not look at this (that is its bug);
 * the app does, to tell the student what each of its reads really held.
 */
export class ReplyBoundaries {
  /** Stream offsets just past each `\n` seen so far: reply k is [ends[k-1] ?? 0, ends[k]). */
  private readonly ends: number[] = []
  private length = 0

  /** Record a chunk as it arrived. */
  add(chunk: Uint8Array): void {
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) {
      this.ends.push(this.length + i + 1)
    }
    this.length += chunk.length
  }

  /** Which reply the stream byte at `offset` belongs to (from 0). */
  replyAt(offset: number): number {
    let lo = 0
    let hi = this.ends.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.ends[mid]! <= offset) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  start(reply: number): number {
    return reply === 0 ? 0 : this.ends[reply - 1]!
  }

  /** Where the reply ends, or undefined while its newline has not arrived. */
  end(reply: number): number | undefined {
    return this.ends[reply]
  }
}

type Portion = 'whole' | 'start' | 'end' | 'middle'

export interface ReadVerdict {
  /** The read held exactly the reply to the request it was taken for. */
  matched: boolean
  /** A sentence for the trace. */
  message: string
}

const quote = (text: string) => `"${text}"`

/**
 * What one read really held, from the stream offsets [from, to) it covered, when the client
 * took it as the reply to request `expected` (from 0). `requestOf(k)` names request k.
 */
export function judgeRead(
  bounds: ReplyBoundaries,
  from: number,
  to: number,
  data: Uint8Array,
  expected: number,
  requestOf: (k: number) => string = calcRequest,
): ReadVerdict {
  const got = quote(previewPayload(data))
  const asked = quote(requestOf(expected))
  const first = bounds.replyAt(from)
  const last = bounds.replyAt(to - 1)
  const parts: { reply: number; portion: Portion }[] = []
  for (let k = first; k <= last; k++) {
    const starts = Math.max(from, bounds.start(k)) === bounds.start(k)
    const end = bounds.end(k)
    const ends = end !== undefined && Math.min(to, end) === end
    const portion: Portion = starts ? (ends ? 'whole' : 'start') : ends ? 'end' : 'middle'
    parts.push({ reply: k, portion })
  }
  const only = parts.length === 1 ? parts[0]! : undefined
  if (only && only.portion === 'whole' && only.reply === expected) {
    return { matched: true, message: `the reply to ${asked} is ${got}: one read, one whole reply` }
  }
  const replyTo = (k: number) => `the reply to ${quote(requestOf(k))}`
  const describe = (p: { reply: number; portion: Portion }) => {
    switch (p.portion) {
      case 'whole':
        return replyTo(p.reply)
      case 'start':
        return `the start of ${replyTo(p.reply)}`
      case 'end':
        return `the end of ${replyTo(p.reply)}`
      case 'middle':
        return `part of ${replyTo(p.reply)}`
    }
  }
  let what: string
  if (only) {
    what =
      only.portion === 'whole'
        ? `${replyTo(only.reply)}, ${only.reply < expected ? 'an earlier' : 'a later'} request's reply`
        : `${describe(only)}: part of a reply`
  } else if (parts.every((p) => p.portion === 'whole')) {
    what = `${parts.length} replies merged: ${parts.map(describe).join(' + ')}`
  } else {
    what = `pieces of ${parts.length} replies merged: ${parts.map(describe).join(' + ')}`
  }
  return { matched: false, message: `expected the reply to ${asked}, got ${got} (${what})` }
}
