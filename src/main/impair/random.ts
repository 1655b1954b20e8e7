import { randomInt } from 'node:crypto'
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import { MAX_SEED } from '@shared/actors'

/** A source of numbers in [0, 1): the same seed always yields the same sequence. */
export type Random = () => number

/**
 * A seeded generator (xoroshiro128+ from pure-rand). Its state lives in the closure, so two
 * generators made from one seed are independent and replay the same numbers.
 */
export function seededRandom(seed: number): Random {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new RangeError(`seed must be a whole number from 0 to ${MAX_SEED}, got ${seed}`)
  }
  const rng = xoroshiro128plus(seed)
  return () => uniformFloat64(rng)
}

/** A fresh seed for a run the student did not seed: shown in the trace so it can be replayed. */
export function pickSeed(): number {
  // Stryker: equivalent in practice — `MAX_SEED - 1` as the exclusive bound only changes the
  // chance of the two largest seeds (2^-31), which no test can observe.
  return randomInt(0, MAX_SEED + 1)
}
