import type { TraceEvent } from '@shared/trace'
import { formatBytes } from '@renderer/format'

/** One line of a console's transcript, drawn from one of its actor's trace events. */
export interface TranscriptLine {
  seq: number
  kind: 'sent' | 'received' | 'info' | 'error'
  /** The payload preview (invisible characters already written out) or the event's message. */
  text: string
  bytes?: number
  /** Seconds since the console opened. */
  at: number
  /** Milliseconds from the last send to this reply. */
  rttMs?: number
  /** Who sent a datagram, when it is not the address the console talks to. */
  from?: string
}

const SENT = new Set(['send', 'sendto'])
const RECEIVED = new Set(['recv', 'recvfrom'])

/** The transcript of one console actor: what it sent and received, and how it opened and ended. */
export function transcriptOf(
  events: readonly TraceEvent[],
  actorId: string,
  target?: string,
): TranscriptLine[] {
  const lines: TranscriptLine[] = []
  let origin: number | undefined
  for (const e of events) {
    if (e.actor !== actorId) continue
    origin ??= e.t
    const at = (e.t - origin) / 1000
    if (SENT.has(e.op)) {
      lines.push({ seq: e.seq, kind: 'sent', text: e.payload ?? '', bytes: e.bytes, at })
    } else if (RECEIVED.has(e.op)) {
      const line: TranscriptLine = {
        seq: e.seq,
        kind: 'received',
        text: e.payload ?? '',
        bytes: e.bytes,
        at,
        rttMs: e.rttMs,
      }
      if (e.op === 'recvfrom' && e.remote && e.remote !== target) line.from = e.remote
      lines.push(line)
    } else if (e.op === 'error') {
      lines.push({ seq: e.seq, kind: 'error', text: e.message ?? 'error', at })
    } else if (e.op !== 'socket') {
      lines.push({ seq: e.seq, kind: 'info', text: e.message ?? e.op, at })
    }
  }
  return lines
}

/**
 * A preview cut into plain text and written-out invisible characters (`\n`, `\r`, `\t`,
 * `\x00`), so the view can draw the latter as badges.
 */
export function escapeSegments(preview: string): { text: string; escape: boolean }[] {
  const parts: { text: string; escape: boolean }[] = []
  const pattern = /\\[nrt]|\\x[0-9a-f]{2}/g
  let last = 0
  for (const match of preview.matchAll(pattern)) {
    const index = match.index ?? 0
    if (index > last) parts.push({ text: preview.slice(last, index), escape: false })
    parts.push({ text: match[0], escape: true })
    last = index + match[0].length
  }
  if (last < preview.length) parts.push({ text: preview.slice(last), escape: false })
  return parts
}

/** The arrow before a line: out, in, or a note. */
export const DIRECTION: Record<TranscriptLine['kind'], string> = {
  sent: '→',
  received: '←',
  info: '·',
  error: '·',
}

/** The small print under a line: when, how many bytes, how long the reply took, from whom. */
export function lineMeta(line: TranscriptLine): string {
  const parts = [`${line.at.toFixed(3)} s`]
  if (line.bytes !== undefined) parts.push(formatBytes(line.bytes))
  if (line.rttMs !== undefined) parts.push(`after ${line.rttMs.toFixed(1)} ms`)
  if (line.from) parts.push(`from ${line.from}`)
  return parts.join(' · ')
}
