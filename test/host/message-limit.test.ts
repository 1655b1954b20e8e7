import { describe, expect, it } from 'vitest'
import { MAX_INVOKE_BYTES } from '@shared/browser-wire'
import { MAX_CHECKS, MAX_SEND_CHARS } from '@shared/checks'
import { parseInvokeArgs } from '@shared/ipc'
import { MAX_ANSWER_CHARS, MAX_QUESTIONS, WorksheetSchema } from '@shared/worksheet'

/**
 * The largest invokes the schemas allow must fit the WebSocket's message limit, or a
 * student with many long checks would have their tab cut off. Each string is as long as
 * its schema allows and made of a character JSON escapes to six bytes (\u0001).
 */
const worst = (n: number) => '\u0001'.repeat(n)

function invokeBytes(channel: string, args: unknown): number {
  const parsed = parseInvokeArgs(channel as never, args)
  // Only a legal invoke counts: the schemas must accept what is built here.
  expect(parsed.ok, JSON.stringify(parsed).slice(0, 300)).toBe(true)
  const message = { type: 'invoke', id: Number.MAX_SAFE_INTEGER, channel, args }
  return Buffer.byteLength(JSON.stringify(message))
}

const longestCheck = (i: number) => ({
  id: `c${i}`.padEnd(40, 'x'),
  name: 'n' + worst(79),
  proto: 'tcp',
  send: worst(MAX_SEND_CHARS),
  newline: true,
  expect: { mode: 'exact', value: worst(MAX_SEND_CHARS) },
  withinMs: 60_000,
})

describe('the WebSocket message limit and the schemas agree', () => {
  it('50 checks at their longest fit, with room to spare', () => {
    const checks = Array.from({ length: MAX_CHECKS }, (_, i) => longestCheck(i))
    const bytes = invokeBytes('checks:save', { labId: 'x'.repeat(100), checks })
    expect(bytes).toBeGreaterThan(100_000) // the 64 KiB limit of old cut this off
    expect(bytes).toBeLessThan(MAX_INVOKE_BYTES)
  })

  it('a worksheet and a console line at their longest fit', () => {
    const answer = worst(MAX_ANSWER_CHARS)
    // Every question a worksheet may have, each answered and picked at its longest.
    const ids = Array.from({ length: MAX_QUESTIONS }, (_, i) => `question-${i}`.padEnd(40, 'x'))
    const worksheet = {
      answers: Object.fromEntries(ids.map((id) => [id, answer])),
      choices: Object.fromEntries(ids.map((id) => [id, 'c'.repeat(40)])),
    }
    expect(WorksheetSchema.safeParse(worksheet).success).toBe(true)
    expect(invokeBytes('worksheet:save', { labId: 'x'.repeat(100), worksheet })).toBeLessThan(
      MAX_INVOKE_BYTES,
    )
    const line = { labId: 'x'.repeat(100), actorId: 'a'.repeat(100), text: worst(10_000) }
    expect(invokeBytes('console:send', line)).toBeLessThan(MAX_INVOKE_BYTES)
  })

  it('one check more than the schema allows is refused by the schema, not by the socket', () => {
    const checks = Array.from({ length: MAX_CHECKS + 1 }, (_, i) => longestCheck(i))
    const parsed = parseInvokeArgs('checks:save', { labId: 'x', checks })
    expect(parsed.ok).toBe(false)
  })
})

describe('every string an invoke carries has a length limit', () => {
  it('a host or lab id past its limit is refused by the schema', () => {
    const start = { labId: 'ping-pong', kind: 'tcp-server', host: '127.0.0.1', port: 50007 }
    expect(parseInvokeArgs('actor:start', start).ok).toBe(true)
    expect(parseInvokeArgs('actor:start', { ...start, host: 'a'.repeat(256) }).ok).toBe(false)
    expect(parseInvokeArgs('actor:start', { ...start, labId: 'x'.repeat(101) }).ok).toBe(false)
  })
})
