import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../src/main/impair/random'
import { GUESS_ERROR, GuessGame } from '../../../src/main/protocols/guess'

/** Play one game by halving the range, as guess_client.py does; returns the last reply. */
function playByHalving(game: GuessGame): { replies: string[]; guesses: number[] } {
  let low = 1
  let high = 100
  const replies: string[] = []
  const guesses: number[] = []
  for (let i = 0; i < 10; i++) {
    const guess = Math.floor((low + high) / 2)
    guesses.push(guess)
    const reply = game.reply(`GUESS ${guess}`)
    replies.push(reply)
    if (reply === 'HIGHER') low = guess + 1
    else if (reply === 'LOWER') high = guess - 1
    else break
  }
  return { replies, guesses }
}

describe('number guessing', () => {
  // A generator stand-in: draw 0.5 makes the secret 1 + floor(0.5 * 100) = 51.
  const half = () => 0.5

  it('answers from the protocol: below the secret HIGHER, above it LOWER, at it CORRECT', () => {
    const game = new GuessGame(half)
    expect(game.secret).toBe(51)
    expect(game.reply('GUESS 1')).toBe('HIGHER')
    expect(game.reply('GUESS 100')).toBe('LOWER')
    expect(game.reply('GUESS 52')).toBe('LOWER')
    expect(game.reply('GUESS 50')).toBe('HIGHER')
    expect(game.reply('  guess \t 51  ')).toBe('CORRECT in 5 guesses')
  })

  it.each(['say GUESS 5', 'xGUESS 5', 'GUESS5'])('refuses %j: GUESS must open the line', (line) => {
    expect(new GuessGame(half).reply(line)).toBe(GUESS_ERROR)
  })

  it('deals the same secrets from the same seed, and secrets from 1 to 100', () => {
    const a = new GuessGame(seededRandom(42))
    const b = new GuessGame(seededRandom(42))
    expect(a.secret).toBe(b.secret)
    const random = seededRandom(7)
    const secrets = Array.from({ length: 2000 }, () => new GuessGame(random).secret)
    expect(Math.min(...secrets)).toBe(1)
    expect(Math.max(...secrets)).toBe(100)
  })

  it('answers HIGHER and LOWER against the secret, then CORRECT with the count', () => {
    const game = new GuessGame(seededRandom(3))
    const secret = game.secret
    const below = secret > 1 ? secret - 1 : undefined
    const above = secret < 100 ? secret + 1 : undefined
    let count = 0
    if (below) {
      expect(game.reply(`GUESS ${below}`)).toBe('HIGHER')
      count++
    }
    if (above) {
      expect(game.reply(`guess  ${above} `)).toBe('LOWER')
      count++
    }
    expect(game.guesses).toBe(count)
    expect(game.reply(`GUESS ${secret}`)).toBe(`CORRECT in ${count + 1} guesses`)
    expect(game.guesses).toBe(0)
    expect(game.won).toBe(1)
  })

  it('says "1 guess" for a first-time hit and then deals a new secret', () => {
    const game = new GuessGame(seededRandom(11))
    expect(game.reply(`GUESS ${game.secret}`)).toBe('CORRECT in 1 guess')
    const { replies } = playByHalving(game)
    expect(replies.at(-1)).toBe(
      `CORRECT in ${replies.length} ${replies.length === 1 ? 'guess' : 'guesses'}`,
    )
    expect(replies.length).toBeLessThanOrEqual(7)
  })

  it.each([
    '',
    'GUESS',
    'GUESS 0',
    'GUESS 101',
    'GUESS -5',
    'GUESS 4.5',
    'GUESS 12 13',
    '42',
    'GUESS 0042',
    'GUESSS 4',
  ])('refuses %j without counting it', (line) => {
    const game = new GuessGame(seededRandom(1))
    expect(game.reply(line)).toBe(GUESS_ERROR)
    expect(game.guesses).toBe(0)
  })

  it('documents the error text', () => {
    expect(GUESS_ERROR).toBe('ERROR expected GUESS <1-100>')
  })
})
