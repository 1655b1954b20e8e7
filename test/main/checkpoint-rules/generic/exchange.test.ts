import { beforeEach, describe, expect, it } from 'vitest'
import type { TraceEvent } from '@shared/trace'
import { checkRule, traceBuilder } from '../trace-builder'

const { ev, reset } = traceBuilder()
beforeEach(reset)

const C = 'tcp-console#1'
const send = (payload: string, conn = 'a') => ev(C, 'send', { conn, payload })
const recv = (payload: string, conn = 'a') => ev(C, 'recv', { conn, payload })
const steps = [
  { send: 'SET name Alice' },
  { expect: 'OK' },
  { send: 'GET name' },
  { expect: 'OK Alice' },
]
const check = (trace: TraceEvent[], params: object = { steps }) =>
  checkRule('exchange', trace, params)

describe('exchange', () => {
  it('passes when the steps happen in order on one connection', () => {
    const trace = [send('SET name Alice'), recv('OK\\n'), send('GET name'), recv('OK Alice\\n')]
    expect(check(trace)).toEqual({
      id: 'x',
      passed: true,
      reason: `${C} went through all 4 steps of the exchange.`,
      evidence: [1, 2, 3, 4],
    })
  })

  it('a wrong answer stops the script there, and the reason shows it', () => {
    const trace = [send('SET name Alice'), recv('OK'), send('GET name'), recv('ERROR no such key')]
    expect(check(trace)).toMatchObject({
      passed: false,
      reason: 'Got as far as step 3 of 4: got "ERROR no such key" where step 4 expects "OK Alice".',
    })
    reset()
    expect(check([send('SET name Bob'), recv('OK')]).reason).toBe(
      'The exchange has not started: a client has to send "SET name Alice" first.',
    )
  })

  it('the steps must all be on one connection', () => {
    const trace = [send('SET name Alice'), recv('OK'), send('GET name', 'b'), recv('OK Alice', 'b')]
    expect(check(trace)).toMatchObject({ passed: false, reason: 'Got as far as step 2 of 4.' })
  })

  it('starts over after a miss, and the miss itself may begin it again', () => {
    const trace = [
      send('SET name Alice'),
      send('SET name Alice'),
      recv('OK'),
      send('GET name'),
      recv('OK Alice'),
    ]
    const r = check(trace)
    expect(r.passed).toBe(true)
    expect(r.evidence).toEqual([2, 3, 4, 5])
    reset()
    const broken = [
      send('SET name Alice'),
      recv('OK'),
      recv('OK'),
      send('GET name'),
      recv('OK Alice'),
    ]
    expect(check(broken).reason).toBe(
      'Got as far as step 2 of 4: got "OK" where step 3 sends "GET name".',
    )
  })

  it('keeps the furthest miss, and a run still going beats an older miss', () => {
    const trace = [
      send('SET name Alice'),
      recv('nope'),
      send('SET name Alice', 'b'),
      recv('OK', 'b'),
      send('GET name', 'b'),
    ]
    expect(check(trace).reason).toBe('Got as far as step 3 of 4.')
    reset()
    const two = [
      send('SET name Alice'),
      recv('OK'),
      send('GET x'),
      send('SET name Alice', 'b'),
      recv('no', 'b'),
    ]
    expect(check(two).reason).toBe(
      'Got as far as step 2 of 4: sent "GET x" where step 3 sends "GET name".',
    )
  })

  it('an expect first waits for a receive; other actors and protocols do not count', () => {
    const greet = [{ expect: { exact: 'Thank you for connecting\\r\\n' } }, { send: 'hi' }]
    expect(
      check([recv('Thank you for connecting\\r\\n'), send('hi')], { steps: greet }).passed,
    ).toBe(true)
    reset()
    expect(check([send('hi')], { steps: greet }).reason).toBe(
      'The exchange has not started: a client has to receive "Thank you for connecting\\r\\n" first.',
    )
    reset()
    const server = [ev('kv-server#1', 'send', { conn: 'a', payload: 'SET name Alice' })]
    expect(check(server).passed).toBe(false)
    const one = [{ send: 'SET name Alice' }]
    expect(check(server, { steps: one, actor: 'server' }).passed).toBe(true)
    expect(check([send('SET name Alice')], { steps: one, proto: 'udp' }).passed).toBe(false)
    expect(check([ev(C, 'note', { payload: 'SET name Alice' })], { steps: one }).passed).toBe(false)
  })

  it('refuses a step that is neither send nor expect, and an empty script', async () => {
    const { ruleParamsSchema } = await import('../../../../src/main/checkpoints')
    const schema = ruleParamsSchema('exchange')!
    expect(schema.safeParse({ steps: [{ say: 'hi' }] }).error!.issues[0]).toMatchObject({
      path: ['steps', 0],
      message: 'must be { send: … } or { expect: … }',
    })
    expect(schema.safeParse({ steps: [] }).error!.issues[0]!.message).toBe(
      'must list at least one send or expect',
    )
  })
})
