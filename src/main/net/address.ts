import { isIPv6 } from 'node:net'

/** "127.0.0.1:5000" or "[::1]:5000": how every trace event writes an address. */
export function formatAddress(host: string, port: number): string {
  const h = normalizeHost(host)
  return isIPv6(h) ? `[${h}]:${port}` : `${h}:${port}`
}

/** Node reports IPv4 peers of a dual-stack socket as "::ffff:127.0.0.1"; students never do. */
export function normalizeHost(host: string): string {
  const h = host.trim().toLowerCase()
  if (h === 'localhost') return '127.0.0.1'
  if (h.startsWith('::ffff:') && h.includes('.')) return h.slice('::ffff:'.length)
  return h
}

export function udpType(host: string): 'udp4' | 'udp6' {
  return isIPv6(normalizeHost(host)) ? 'udp6' : 'udp4'
}
