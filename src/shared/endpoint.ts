import { z } from 'zod'

/**
 * The one host and port validator: the IPC edge, the lab files, the controls, the console and
 * the checks all check an address here, so each mistake gets the same words everywhere.
 */

/** Ports below 1024 need root on Linux; the labs never ask a student for that. */
export const MIN_PORT = 1024
export const MAX_PORT = 65535

export const HostSchema = z
  .string()
  .max(255, 'Host is too long (max 255 characters)')
  .trim()
  .min(1, 'Host is empty: enter an address such as 127.0.0.1')
  .refine(isLoopback, {
    message:
      'Host must be a loopback address (127.x.x.x, localhost or ::1): the labs stay on this machine',
  })

export const PortSchema = z
  .number({ error: 'Port must be a whole number' })
  .int('Port must be a whole number')
  .max(MAX_PORT, `Port must be at most ${MAX_PORT}`)
  .refine((p) => p >= 1, { message: `Port must be between ${MIN_PORT} and ${MAX_PORT}` })
  .refine((p) => p >= MIN_PORT, {
    message: `Ports below ${MIN_PORT} are privileged (only root may bind them): choose ${MIN_PORT}–${MAX_PORT}`,
  })

export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase()
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
}

/**
 * What a check of typed text returns: the value, or a message that names the field and says
 * what to type. Whoever shows it keeps what the student typed: nothing is cleared.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string }

export const fail = (message: string): { ok: false; message: string } => ({ ok: false, message })

const WHOLE = /^\d+$/
const PORT_RANGE = `a whole number from ${MIN_PORT} to ${MAX_PORT}`

/** A port typed in a field called `label` ("Port", "Relay port", "Forward to port"…). */
export function parsePortText(label: string, raw: string): Parsed<number> {
  const text = raw.trim()
  if (text === '') return fail(`${label} is empty: enter ${PORT_RANGE}`)
  if (!WHOLE.test(text)) return fail(`${label} “${text}”: enter ${PORT_RANGE}`)
  const parsed = PortSchema.safeParse(Number(text))
  if (!parsed.success) {
    return fail(`${label} ${text}: ${parsed.error.issues[0]?.message ?? 'not valid'}`)
  }
  return { ok: true, value: parsed.data }
}

/** A typed host: trimmed, and on this machine. */
export function parseHostText(raw: string): Parsed<string> {
  const parsed = HostSchema.safeParse(raw)
  if (!parsed.success) return fail(parsed.error.issues[0]?.message ?? 'Host is not valid')
  return { ok: true, value: parsed.data }
}

/** The host and port a console connection, a check run or a started program talks to. */
export function parseEndpointText(
  hostText: string,
  portText: string,
): Parsed<{ host: string; port: number }> {
  const host = parseHostText(hostText)
  if (!host.ok) return host
  const port = parsePortText('Port', portText)
  if (!port.ok) return port
  return { ok: true, value: { host: host.value, port: port.value } }
}
