import { fail, type Parsed } from '@shared/endpoint'

/** What every option field's check returns, as the shared host and port checks do. */
export { fail, type Parsed }
/** The host and port a console connection or a check run talks to. */
export { parseEndpointText as parseTarget } from '@shared/endpoint'

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
