import { isIPv6 } from 'node:net'
import { normalizeHost } from '@shared/address'

export { normalizeHost }

/** "127.0.0.1:5000" or "[::1]:5000": how every trace event writes an address. */
export function formatAddress(host: string, port: number): string {
  const h = normalizeHost(host)
  return isIPv6(h) ? `[${h}]:${port}` : `${h}:${port}`
}

export function udpType(host: string): 'udp4' | 'udp6' {
  return isIPv6(normalizeHost(host)) ? 'udp6' : 'udp4'
}
