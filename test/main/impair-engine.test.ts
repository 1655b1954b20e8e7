import { describe, expect, it } from 'vitest'
import { ImpairmentSchema, MAX_SEED, type Impairment } from '@shared/actors'
import { describeDropSettings, makeDropDecider } from '../../src/main/impair/drop-decider'
import { describeImpairment, drawFate, ImpairmentEngine } from '../../src/main/impair/engine'
import { pickSeed, seededRandom } from '../../src/main/impair/random'

const impairment = (settings: Partial<Impairment>) => ImpairmentSchema.parse(settings)

const N = 10_000
const PROBABILITIES = [0.05, 0.1, 0.3, 0.5, 0.9]

/** How far an observed rate may stray from p over n trials: 4 standard deviations. */
const band = (p: number, n: number) => 4 * Math.sqrt((p * (1 - p)) / n)

describe('seeded random numbers', () => {
  it('replay the same sequence for the same seed, and a different one for another seed', () => {
    const draw = (seed: number) => {
      const random = seededRandom(seed)
      return Array.from({ length: 100 }, random)
    }
    expect(draw(1234)).toEqual(draw(1234))
    expect(draw(1234)).not.toEqual(draw(1235))
    expect(draw(0)).not.toEqual(draw(MAX_SEED))
    for (const x of draw(42)) {
      expect(x).toBeGreaterThanOrEqual(0)
      expect(x).toBeLessThan(1)
    }
  })

  it('refuse a seed outside 0…2^32-1 by name', () => {
    expect(() => seededRandom(-1)).toThrow(/seed must be a whole number from 0 to 4294967295/)
    expect(() => seededRandom(1.5)).toThrow(/seed/)
    expect(() => seededRandom(MAX_SEED + 1)).toThrow(/seed/)
  })

  it('pick a fresh seed in range when none is given', () => {
    const seeds = Array.from({ length: 20 }, pickSeed)
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s <= MAX_SEED).toBe(true)
    expect(new Set(seeds).size).toBeGreaterThan(1)
  })
})

describe('the impairment engine', () => {
  const all = impairment({ drop: 0.2, delayMs: 300, jitterMs: 100, duplicate: 0.2, reorder: 0.2 })

  it('gives the identical fate sequence for the same seed', () => {
    const a = new ImpairmentEngine(all, 99).take(1000)
    const b = new ImpairmentEngine(all, 99).take(1000)
    expect(a).toEqual(b)
    // The sequence is not trivial: every kind of fate occurs in it.
    expect(a.some((f) => f.drop)).toBe(true)
    expect(a.some((f) => f.duplicate)).toBe(true)
    expect(a.some((f) => f.reorder)).toBe(true)
    expect(new Set(a.map((f) => f.delayMs)).size).toBeGreaterThan(50)
  })

  it('gives a different sequence for a different seed', () => {
    const a = new ImpairmentEngine(all, 99).take(200)
    const b = new ImpairmentEngine(all, 100).take(200)
    expect(a).not.toEqual(b)
    expect(a.filter((f, i) => f.drop !== b[i]!.drop).length).toBeGreaterThan(10)
  })

  it('drops the same datagrams at a given seed whatever the other settings', () => {
    const dropsOf = (settings: Impairment) =>
      new ImpairmentEngine(settings, 7).take(500).flatMap((f, i) => (f.drop ? [i] : []))
    expect(dropsOf(impairment({ drop: 0.3 }))).toEqual(
      dropsOf(impairment({ drop: 0.3, delayMs: 50, jitterMs: 20, duplicate: 0.5, reorder: 0.4 })),
    )
  })

  it('a dropped datagram has no other fate; with no impairment nothing happens', () => {
    for (const f of new ImpairmentEngine(all, 5).take(2000).filter((f) => f.drop)) {
      expect(f).toEqual({ drop: true, delayMs: 0, duplicate: false, reorder: false })
    }
    for (const f of new ImpairmentEngine(impairment({}), 5).take(2000)) {
      expect(f).toEqual({ drop: false, delayMs: 0, duplicate: false, reorder: false })
    }
  })

  describe.each(PROBABILITIES)(`over ${N} datagrams at probability %s`, (p) => {
    const rate = (
      settings: Partial<Impairment>,
      pick: (f: ReturnType<ImpairmentEngine['next']>) => boolean,
    ) => {
      const fates = new ImpairmentEngine(impairment(settings), 1000 + Math.round(p * 100)).take(N)
      return fates.filter(pick).length / N
    }

    it('the observed drop rate is within 4 sigma of the setting', () => {
      expect(Math.abs(rate({ drop: p }, (f) => f.drop) - p)).toBeLessThanOrEqual(band(p, N))
    })

    it('the observed duplicate rate is within 4 sigma of the setting', () => {
      expect(Math.abs(rate({ duplicate: p }, (f) => f.duplicate) - p)).toBeLessThanOrEqual(
        band(p, N),
      )
    })

    it('the observed reorder rate is within 4 sigma of the setting', () => {
      expect(Math.abs(rate({ reorder: p }, (f) => f.reorder) - p)).toBeLessThanOrEqual(band(p, N))
    })
  })

  it('the band is tight enough to catch a wrong rate', () => {
    // A sanity check of the test itself: 0.3 observed against a 0.35 setting is far outside.
    expect(Math.abs(0.3 - 0.35)).toBeGreaterThan(band(0.35, N))
  })

  it('with drops and duplicates together, duplicates are p of the datagrams not dropped', () => {
    const fates = new ImpairmentEngine(impairment({ drop: 0.3, duplicate: 0.5 }), 2024).take(N)
    const kept = fates.filter((f) => !f.drop)
    const dupRate = kept.filter((f) => f.duplicate).length / kept.length
    expect(Math.abs(dupRate - 0.5)).toBeLessThanOrEqual(band(0.5, kept.length))
  })

  it.each([
    [300, 100],
    [50, 200], // jitter larger than the delay: the low end is cut at 0
    [0, 40],
    [1000, 0],
  ])('delay %i ± %i ms stays in its band, never below 0, and covers it', (delayMs, jitterMs) => {
    const fates = new ImpairmentEngine(impairment({ delayMs, jitterMs }), 31).take(N)
    const delays = fates.map((f) => f.delayMs)
    const low = Math.max(0, delayMs - jitterMs)
    const high = delayMs + jitterMs
    expect(delays.filter((d) => !Number.isInteger(d) || d < low || d > high)).toEqual([])
    // Uniform over the band: both ends are reached (within 2 % of the spread).
    const slack = Math.max(1, 0.02 * 2 * jitterMs)
    expect(Math.min(...delays)).toBeLessThanOrEqual(low + slack)
    expect(Math.max(...delays)).toBeGreaterThanOrEqual(high - slack)
    // The mean of delay + uniform(−jitter, jitter) is the delay, when nothing is cut at 0.
    if (delayMs >= jitterMs && jitterMs > 0) {
      const mean = delays.reduce((a, b) => a + b, 0) / N
      const sigma = (2 * jitterMs) / Math.sqrt(12) / Math.sqrt(N)
      expect(Math.abs(mean - delayMs)).toBeLessThanOrEqual(4 * sigma + 0.5)
    }
  })

  /** A stand-in for the generator that gives these draws, in order. */
  const draws = (...values: number[]) => {
    const queue = [...values]
    return () => queue.shift()!
  }

  it('draws four numbers per datagram: drop, delay, duplicate, reorder, in that order', () => {
    const settings = impairment({ delayMs: 300, jitterMs: 100, duplicate: 0.5, reorder: 0.5 })
    // The delay draw maps [0, 1) onto delayMs - jitterMs … delayMs + jitterMs.
    expect(drawFate(draws(0.9, 0.75, 0.1, 0.9), settings)).toEqual({
      drop: false,
      delayMs: 350,
      duplicate: true,
      reorder: false,
    })
    expect(drawFate(draws(0.9, 0.1, 0.9, 0.1), settings)).toEqual({
      drop: false,
      delayMs: 220,
      duplicate: false,
      reorder: true,
    })
  })

  it('a probability p takes draws below p: a draw equal to p is not hit', () => {
    const settings = impairment({ drop: 0.25, duplicate: 0.25, reorder: 0.25 })
    expect(drawFate(draws(0.25, 0.5, 0.25, 0.25), settings)).toEqual({
      drop: false,
      delayMs: 0,
      duplicate: false,
      reorder: false,
    })
  })

  it('at a seed, each delay is delayMs + (2u - 1) * jitterMs for its second draw u, rounded', () => {
    const settings = impairment({ delayMs: 300, jitterMs: 100 })
    const random = seededRandom(31)
    const expected = Array.from({ length: 50 }, () => {
      const [, u] = [random(), random(), random(), random()]
      return Math.round(300 + (2 * u! - 1) * 100)
    })
    expect(new ImpairmentEngine(settings, 31).take(50).map((f) => f.delayMs)).toEqual(expected)
  })

  it("describes itself as the relay's first note says", () => {
    expect(describeImpairment(99, impairment({ drop: 0.1, delayMs: 300, jitterMs: 100 }))).toBe(
      'seed 99: drop 0.1, delay 300 ± 100 ms, duplicate 0, reorder 0',
    )
  })
})

describe("the lossy server's drop decider", () => {
  it('drops exactly the drop list, ignoring the probability', () => {
    const shouldDrop = makeDropDecider({ seed: 1, dropRate: 0.9, dropList: [3, 7] })
    const dropped = Array.from({ length: 20 }, (_, i) => i + 1).filter((n) => shouldDrop(n))
    expect(dropped).toEqual([3, 7])
  })

  it('replays the same drops for the same seed, and others for another seed', () => {
    const drops = (seed: number) => {
      const shouldDrop = makeDropDecider({ seed, dropRate: 0.3 })
      return Array.from({ length: 200 }, (_, i) => i + 1).filter((n) => shouldDrop(n))
    }
    expect(drops(1234)).toEqual(drops(1234))
    expect(drops(1234)).not.toEqual(drops(4321))
  })

  it.each(PROBABILITIES)(`drops within 4 sigma of probability %s over ${N} replies`, (p) => {
    const shouldDrop = makeDropDecider({ seed: 77, dropRate: p })
    let dropped = 0
    for (let n = 1; n <= N; n++) if (shouldDrop(n)) dropped++
    expect(Math.abs(dropped / N - p)).toBeLessThanOrEqual(band(p, N))
  })

  it('drops a reply when its draw is below the rate, not when it equals it', () => {
    const first = seededRandom(8)()
    expect(makeDropDecider({ seed: 8, dropRate: first })(1)).toBe(false)
    expect(makeDropDecider({ seed: 8, dropRate: first + 1e-9 })(1)).toBe(true)
  })

  it('never drops at probability 0 or with an empty list and probability 0', () => {
    for (const settings of [
      { seed: 3, dropRate: 0 },
      { seed: 3, dropRate: 0, dropList: [] },
    ]) {
      const shouldDrop = makeDropDecider(settings)
      expect(Array.from({ length: 1000 }, (_, i) => shouldDrop(i + 1)).some(Boolean)).toBe(false)
    }
  })

  it("describes its settings as the server's first note says", () => {
    expect(describeDropSettings({ seed: 1234, dropRate: 0.3 })).toBe(
      'seed 1234, drop probability 0.3',
    )
    expect(describeDropSettings({ seed: 1234, dropRate: 0.3, dropList: [7, 3, 7] })).toBe(
      'seed 1234, dropping replies to PING 3, 7',
    )
  })
})
