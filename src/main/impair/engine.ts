import type { Impairment } from '@shared/actors'
import { seededRandom, type Random } from './random'

/** What the relay does with one datagram. */
export interface Fate {
  /** Not forwarded at all. */
  drop: boolean
  /** How long it is held before it is sent (0: at once). */
  delayMs: number
  /** Sent twice. */
  duplicate: boolean
  /** Held back until the next datagram in the same direction has gone out. */
  reorder: boolean
}

const DROPPED: Fate = Object.freeze({ drop: true, delayMs: 0, duplicate: false, reorder: false })

/**
 * One datagram's fate from four draws of `random`. It always takes exactly four, whatever
 * the settings and whether the datagram is dropped, so each datagram uses the same slice of
 * the sequence: the same seed gives datagram 7 the same numbers at any setting.
 */
export function drawFate(random: Random, impair: Impairment): Fate {
  const dropDraw = random()
  const delayDraw = random()
  const duplicateDraw = random()
  const reorderDraw = random()
  if (dropDraw < impair.drop) return DROPPED
  // delayMs ± jitterMs, uniform over the whole band; a delay below zero means "no delay".
  const spread = (2 * delayDraw - 1) * impair.jitterMs
  return {
    drop: false,
    delayMs: Math.max(0, Math.round(impair.delayMs + spread)),
    duplicate: duplicateDraw < impair.duplicate,
    reorder: reorderDraw < impair.reorder,
  }
}

/** The seeded impairment engine: each call to next() is the fate of the next datagram. */
export class ImpairmentEngine {
  private readonly random: Random

  constructor(
    readonly impair: Impairment,
    readonly seed: number,
  ) {
    this.random = seededRandom(seed)
  }

  next(): Fate {
    return drawFate(this.random, this.impair)
  }

  /** The fates of the next `n` datagrams, in order. */
  take(n: number): Fate[] {
    return Array.from({ length: n }, () => this.next())
  }
}

/** "seed 99: drop 0.1, delay 300 ± 100 ms, duplicate 0, reorder 0": the relay's first note. */
export function describeImpairment(seed: number, impair: Impairment): string {
  return (
    `seed ${seed}: drop ${impair.drop}, delay ${impair.delayMs} ± ${impair.jitterMs} ms, ` +
    `duplicate ${impair.duplicate}, reorder ${impair.reorder}`
  )
}
