import { describe, expect, it } from 'vitest'
import {
  ActorSelectorSchema,
  payloadMatcher,
  PayloadPatternSchema,
  relates,
  selects,
  unframed,
  upperPreview,
} from '../../../../src/main/checkpoints/generic/params'
import { traceBuilder } from '../trace-builder'

const { ev } = traceBuilder()

describe('actor selectors', () => {
  it('a role picks every actor of that role; anything else names one kind', () => {
    const console = ev('tcp-console#1', 'send')
    const server = ev('upper-tcp-server#1', 'recv')
    expect(selects('client', console)).toBe(true)
    expect(selects('client', server)).toBe(false)
    expect(selects('server', server)).toBe(true)
    expect(selects('tcp-console', console)).toBe(true)
    expect(selects('tcp-console', server)).toBe(false)
    // A kind is matched whole, not as a role's suffix.
    expect(selects('console', console)).toBe(false)
  })

  it('refuses a selector that is no name, saying what it wants', () => {
    for (const bad of ['', 'Server', '1-server', 'tcp server']) {
      const r = ActorSelectorSchema.safeParse(bad)
      expect(r.success).toBe(false)
      expect(r.error!.issues[0]!.message).toBe(
        'must name a role (client, server, relay) or an actor kind',
      )
    }
    expect(ActorSelectorSchema.safeParse(3).error!.issues[0]!.message).toBe(
      'must name a role (client, server, relay) or an actor kind',
    )
  })
})

describe('payload patterns', () => {
  it('a plain text matches the message however it is framed, and nothing more or less', () => {
    const m = payloadMatcher('PONG')
    expect(m.match('PONG')).toBeNaN()
    expect(m.match('PONG\\n')).toBeNaN()
    expect(m.match('PONG\\r\\n')).toBeNaN()
    expect(m.match('PONG\\n\\n')).toBeUndefined()
    expect(m.match('PONG\\r')).toBeUndefined()
    expect(m.match(' PONG')).toBeUndefined()
    expect(m.match('PONGS')).toBeUndefined()
    expect(m.match('XPONG')).toBeUndefined()
    expect(m.match(undefined)).toBeUndefined()
    expect(m.numbered).toBe(false)
    expect(m.shown).toBe('"PONG"')
  })

  it('regex characters in a plain text are only text', () => {
    const m = payloadMatcher('a.b (c)?')
    expect(m.match('a.b (c)?')).toBeNaN()
    expect(m.match('axb (c)?')).toBeUndefined()
    expect(m.match('a.b c')).toBeUndefined()
  })

  it('{n} reads the running number', () => {
    const m = payloadMatcher('PONG #{n}')
    expect(m.numbered).toBe(true)
    expect(m.match('PONG #12')).toBe(12)
    expect(m.match('PONG #3\\n')).toBe(3)
    expect(m.match('PONG #')).toBeUndefined()
    expect(m.match('PONG #x')).toBeUndefined()
    expect(m.shown).toBe('"PONG #{n}"')
  })

  it('exact text keeps its line ending', () => {
    const m = payloadMatcher({ exact: 'Thank you for connecting\\r\\n' })
    expect(m.match('Thank you for connecting\\r\\n')).toBeNaN()
    expect(m.match('Thank you for connecting\\n')).toBeUndefined()
    expect(m.match('Thank you for connecting')).toBeUndefined()
    expect(m.shown).toBe('"Thank you for connecting\\r\\n"')
    expect(payloadMatcher({ exact: 'A{n}' }).match('A7')).toBe(7)
  })

  it('a regex must match the whole preview', () => {
    const m = payloadMatcher({ regex: 'OK|ERROR .*' })
    expect(m.match('OK')).toBeNaN()
    expect(m.match('ERROR bad')).toBeNaN()
    expect(m.match('OK then')).toBeUndefined()
    expect(m.match('not OK')).toBeUndefined()
    expect(m.match(undefined)).toBeUndefined()
    expect(m.numbered).toBe(false)
    expect(m.shown).toBe('a message matching /OK|ERROR .*/')
  })

  it('refuses empty, malformed and unknown patterns in words', () => {
    const message = (v: unknown) => PayloadPatternSchema.safeParse(v).error?.issues[0]?.message
    expect(PayloadPatternSchema.safeParse({ regex: 'a+' }).success).toBe(true)
    expect(message({ regex: '(' })).toBe('is not a valid regular expression')
    expect(message('')).toBe('must not be empty')
    expect(message({ exact: '' })).toBe('must not be empty')
    expect(message({ regex: '' })).toBe('must not be empty')
    expect(message(5)).toBe('must be a text, { exact: text } or { regex: pattern }')
    expect(message({ like: 'x' })).toBe('must be a text, { exact: text } or { regex: pattern }')
  })
})

describe('reply relations', () => {
  it('unframed drops one line ending only', () => {
    expect(unframed('hi\\r\\n')).toBe('hi')
    expect(unframed('hi\\n')).toBe('hi')
    expect(unframed('hi\\n\\n')).toBe('hi\\n')
    expect(unframed('hi\\r')).toBe('hi\\r')
    expect(unframed('h\\ni')).toBe('h\\ni')
  })

  it('upper is Python upper() on the text, control bytes left as they are written', () => {
    expect(upperPreview('hello world\\n')).toBe('HELLO WORLD\\n')
    expect(upperPreview('a\\tb\\r\\n\\x00c')).toBe('A\\tB\\r\\n\\x00C')
    expect(upperPreview('back\\slash')).toBe('BACK\\SLASH')
    expect(upperPreview('x\\')).toBe('X\\')
    expect(relates('upper', 'hi', 'HI')).toBe(true)
    expect(relates('upper', 'hi', 'hi')).toBe(false)
    expect(relates('same', 'hi', 'hi')).toBe(true)
    expect(relates('same', 'hi', 'HI')).toBe(false)
  })
})
