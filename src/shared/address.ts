/**
 * Addresses as the trace writes them ("127.0.0.1:5000", "[::1]:5000"), made comparable:
 * main normalises the hosts it is given, the diagram the addresses it matches up. One
 * function for both, so a socket and the lifeline that owns it always agree.
 */

/** Node reports IPv4 peers of a dual-stack socket as "::ffff:127.0.0.1"; students never do. */
export function normalizeHost(host: string): string {
  const h = host.trim().toLowerCase()
  if (h === 'localhost') return '127.0.0.1'
  if (h.startsWith('::ffff:') && h.includes('.')) return h.slice('::ffff:'.length)
  return h
}

/** Canonical "host:port": lower case, no brackets, no IPv4-mapped prefix, localhost → 127.0.0.1. */
export function normalizeAddress(addr: string): string {
  const out = addr.trim().toLowerCase()
  const colon = out.lastIndexOf(':')
  if (colon <= 0) return out
  let host = out.slice(0, colon)
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1)
  return `${normalizeHost(host)}:${out.slice(colon + 1)}`
}

/** A normalised address on every interface ("0.0.0.0:5000", ":::5000", ":5000"). */
export function isWildcardAddress(addr: string): boolean {
  const host = addr.slice(0, addr.lastIndexOf(':'))
  return host === '0.0.0.0' || host === '::' || host === ''
}
