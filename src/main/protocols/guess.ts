import type { Random } from '../impair/random'

/**
 * The number-guessing protocol. Each connection has its own secret from 1 to 100. The
 * client sends `GUESS 42`; the server answers `HIGHER` (the secret is higher), `LOWER`, or
 * `CORRECT in 7 guesses` and then picks a new secret, counting from zero again. Anything
 * else gets `ERROR expected GUESS <1-100>` and is not counted.
 */
export const GUESS_MIN = 1
export const GUESS_MAX = 100
export const GUESS_ERROR = `ERROR expected GUESS <${GUESS_MIN}-${GUESS_MAX}>`

const REQUEST = /^\s*GUESS\s+(\d{1,3})\s*$/i

/** A secret from GUESS_MIN to GUESS_MAX drawn from `random`. */
export function drawSecret(random: Random): number {
  return GUESS_MIN + Math.floor(random() * (GUESS_MAX - GUESS_MIN + 1))
}

export class GuessGame {
  private secretValue: number
  private guessCount = 0
  private gamesWon = 0

  /** `random` is the server's seeded generator: the same seed deals the same secrets. */
  constructor(private readonly random: Random) {
    this.secretValue = drawSecret(random)
  }

  get secret(): number {
    return this.secretValue
  }

  /** Valid guesses in the current game. */
  get guesses(): number {
    return this.guessCount
  }

  get won(): number {
    return this.gamesWon
  }

  /** The reply (without its newline) to one request line. */
  reply(line: string): string {
    const match = REQUEST.exec(line)
    const guess = match ? Number(match[1]) : NaN
    if (!(guess >= GUESS_MIN && guess <= GUESS_MAX)) return GUESS_ERROR
    this.guessCount++
    if (guess < this.secretValue) return 'HIGHER'
    if (guess > this.secretValue) return 'LOWER'
    const count = this.guessCount
    this.gamesWon++
    this.guessCount = 0
    this.secretValue = drawSecret(this.random)
    return `CORRECT in ${count} ${count === 1 ? 'guess' : 'guesses'}`
  }
}
