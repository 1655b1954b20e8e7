import { countedReplies } from './counted-replies'
import { dropsWithin } from './drops-within'
import { exchange } from './exchange'
import { greeted } from './greeted'
import { roundTrips } from './round-trips'
import { sawEof } from './saw-eof'
import { servedTogether } from './served-together'
import { worksheetComplete } from './worksheet-complete'

/**
 * Rules any lab can compose in lab.yaml, each with typed parameters, instead of one rule kind
 * per checkpoint.
 */
export const genericRules = [
  roundTrips,
  countedReplies,
  servedTogether,
  dropsWithin,
  exchange,
  sawEof,
  greeted,
  worksheetComplete,
]
