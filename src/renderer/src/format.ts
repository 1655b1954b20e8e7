import { catalogueEntry } from '@shared/actor-catalogue'
import type { TraceEvent } from '@shared/trace'

/** For the kinds the catalogue lacks: an expected flow's lifelines ("tcp-relay"). */
const KIND_WORDS: Record<string, string> = {
  tcp: 'TCP',
  udp: 'UDP',
  calc: 'calculator',
  kv: 'key-value',
  upper: 'uppercase',
  guess: 'guessing-game',
}

/** "tcp-server" → "TCP server" (the catalogue's label); "udp-relay" → "UDP relay". */
export function actorKindLabel(kind: string): string {
  const known = catalogueEntry(kind)
  if (known) return known.label
  return kind
    .split('-')
    .filter(Boolean)
    .map((word) => KIND_WORDS[word] ?? word)
    .join(' ')
}

/** Milliseconds since the session started, one decimal. */
export function formatMs(t: number): string {
  return t.toFixed(1)
}

/** "14:03:22" in local time, from an ISO timestamp; the input itself if it is not a date. */
export function formatClock(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

/** "4 B", "1.5 KB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  return `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KB`
}

/** "PING · 4 B", "4 B", "PING", or "" for an event that carries no data. */
export function payloadLabel(e: Pick<TraceEvent, 'payload' | 'bytes'>): string {
  const parts: string[] = []
  if (e.payload !== undefined && e.payload !== '') parts.push(e.payload)
  if (e.bytes !== undefined) parts.push(formatBytes(e.bytes))
  return parts.join(' · ')
}

/** Cut a label for drawing; the full text stays available as a tooltip. */
export function ellipsize(text: string, max: number): string {
  return text.length > max ? text.slice(0, Math.max(1, max - 1)) + '…' : text
}
