import { ActorOptionsSchema, MAX_MERGE_MS, MAX_SPLIT_BYTES } from '@shared/actors'
import { parseWhole, type Parsed } from './field-validation'

/**
 * The framing relay's two fields turned into actor options through the shared schema, with
 * a message naming the field when the text will not do.
 */

/** "Split into pieces of (bytes)": 0 (off) to 65,536. */
export function parseSplitBytes(raw: string): Parsed<number> {
  return parseWhole(
    'Split into pieces of (bytes)',
    raw,
    ActorOptionsSchema.shape.splitBytes.unwrap(),
    `a whole number of bytes from 0 (off) to ${MAX_SPLIT_BYTES}`,
    { namesEmpty: true },
  )
}

/** "Merge window (ms)": 0 (off) to 5,000. */
export function parseMergeMs(raw: string): Parsed<number> {
  return parseWhole(
    'Merge window (ms)',
    raw,
    ActorOptionsSchema.shape.mergeMs.unwrap(),
    `a whole number of milliseconds from 0 (off) to ${MAX_MERGE_MS}`,
    { namesEmpty: true },
  )
}
