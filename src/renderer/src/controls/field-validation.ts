import { HostSchema, MAX_PORT, MIN_PORT, PortSchema } from '@shared/actors'

/**
 * What every option field's check returns: the value, or a message that names the field and
 * says what to type. The fields keep what the student typed: nothing is cleared on an error.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string }

export const fail = (message: string): { ok: false; message: string } => ({ ok: false, message })

export const WHOLE = /^\d+$/

/** A shared schema for a whole number (or any object that checks one the same way). */
export interface WholeSchema {
  safeParse(value: number): { success: boolean; data?: number }
}

/**
 * `raw` as a whole number `schema` accepts; otherwise `Label “text”: enter <range>`, or with
 * `namesEmpty`, `Label is empty: enter <range>` for an empty field.
 */
export function parseWhole(
  label: string,
  raw: string,
  schema: WholeSchema,
  range: string,
  { namesEmpty = false }: { namesEmpty?: boolean } = {},
): Parsed<number> {
  const text = raw.trim()
  if (namesEmpty && text === '') return fail(`${label} is empty: enter ${range}`)
  const parsed = schema.safeParse(WHOLE.test(text) ? Number(text) : NaN)
  if (!parsed.success || parsed.data === undefined)
    return fail(`${label} “${text}”: enter ${range}`)
  return { ok: true, value: parsed.data }
}

/** The host and port a console connection or a check run talks to. */
export function parseTarget(
  hostText: string,
  portText: string,
): Parsed<{ host: string; port: number }> {
  const host = HostSchema.safeParse(hostText)
  if (!host.success) return fail(host.error.issues[0]?.message ?? 'Host is not valid')
  const port = parseWhole(
    'Port',
    portText,
    PortSchema,
    `a whole number from ${MIN_PORT} to ${MAX_PORT}`,
  )
  if (!port.ok) return port
  return { ok: true, value: { host: host.data, port: port.value } }
}
