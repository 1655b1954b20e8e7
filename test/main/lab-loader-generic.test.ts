import { describe, expect, it } from 'vitest'
import { loadChangedLab as loadChanged, type LabDoc } from './helpers'

const withRule = (rule: Record<string, unknown>) => (doc: LabDoc) => {
  doc.checkpoints[2]!.rule = rule
}

const flow = (events: unknown[]) => ({
  proto: 'tcp',
  lifelines: [
    { id: 'client', label: 'Client', role: 'client' },
    { id: 'server', label: 'Server', role: 'server' },
  ],
  events,
})

describe('generic rule parameters, checked when a lab loads', () => {
  it('names the file and the field at fault, in words', async () => {
    expect(await loadChanged(withRule({ kind: 'round-trips', count: 0 }))).toEqual({
      errors: [
        { file: 'echo/lab.yaml', field: 'checkpoints.2.rule.count', message: 'must be at least 1' },
      ],
    })
    expect(await loadChanged(withRule({ kind: 'served-together', count: 1.5 }))).toEqual({
      errors: [
        {
          file: 'echo/lab.yaml',
          field: 'checkpoints.2.rule.count',
          message: 'must be a whole number',
        },
      ],
    })
  })

  it('a missing parameter, an unknown one and a bad pattern are each reported', async () => {
    const r = await loadChanged(
      withRule({ kind: 'counted-replies', count: 3, replies: 'PONG', actor: 'Client' }),
    )
    expect(r).toEqual({
      errors: [
        {
          file: 'echo/lab.yaml',
          field: 'checkpoints.2.rule.actor',
          message: 'must name a role (client, server, relay) or an actor kind',
        },
        {
          file: 'echo/lab.yaml',
          field: 'checkpoints.2.rule.reply',
          message: 'is required but missing',
        },
        {
          file: 'echo/lab.yaml',
          field: 'checkpoints.2.rule.replies',
          message: 'is not a parameter of rule "counted-replies"',
        },
      ],
    })
    const regex = await loadChanged(withRule({ kind: 'greeted', greeting: { regex: '([' } }))
    expect(regex).toEqual({
      errors: [
        {
          file: 'echo/lab.yaml',
          field: 'checkpoints.2.rule.greeting.regex',
          message: 'is not a valid regular expression',
        },
      ],
    })
  })

  it('loads valid generic rules, and leaves the older rule kinds to their own reading', async () => {
    const r = await loadChanged((doc) => {
      doc.checkpoints[2]!.rule = { kind: 'round-trips', client: 'tcp-console', replyIs: 'upper' }
      doc.checkpoints[3]!.rule = { kind: 'udp-timeouts-finished', count: 5, anything: true }
    })
    expect('lab' in r).toBe(true)
  })
})

describe('repeat in expected flows', () => {
  it('writes the events out times over, with {n} numbered', async () => {
    const r = await loadChanged((doc) => {
      doc.steps[0]!.expected = flow([
        { actor: 'client', op: 'connect', peer: 'server' },
        {
          repeat: {
            times: 3,
            events: [
              { actor: 'client', op: 'send', peer: 'server', payload: 'PING {n}' },
              {
                actor: 'server',
                op: 'send',
                peer: 'client',
                payload: 'PONG',
                message: 'reply {n} of 3',
              },
            ],
          },
        },
        { actor: 'client', op: 'close', payload: '{n}' },
      ])
    })
    if (!('lab' in r)) throw new Error(JSON.stringify(r.errors))
    const events = r.lab.steps[0]!.expected!.events
    expect(events.map((e) => [e.op, e.payload, e.message])).toEqual([
      ['connect', undefined, undefined],
      ['send', 'PING 1', undefined],
      ['send', 'PONG', 'reply 1 of 3'],
      ['send', 'PING 2', undefined],
      ['send', 'PONG', 'reply 2 of 3'],
      ['send', 'PING 3', undefined],
      ['send', 'PONG', 'reply 3 of 3'],
      // Outside a repeat {n} is left as written.
      ['close', '{n}', undefined],
    ])
    expect(events[1]).toEqual({ actor: 'client', op: 'send', peer: 'server', payload: 'PING 1' })
  })

  it('a lifeline slip inside a repeat is reported where it is written', async () => {
    const r = await loadChanged((doc) => {
      doc.steps[1]!.expected = flow([
        { actor: 'client', op: 'socket' },
        { repeat: { times: 2, events: [{ actor: 'client', op: 'send', peer: 'sever' }] } },
        { actor: 'clinet', op: 'close' },
      ])
    })
    expect(r).toEqual({
      errors: [
        {
          file: 'echo/lab.yaml',
          field: 'steps.1.expected.events.1.repeat.events.0.peer',
          message: '"sever" is not one of the step\'s lifelines',
        },
        {
          file: 'echo/lab.yaml',
          field: 'steps.1.expected.events.2.actor',
          message: '"clinet" is not one of the step\'s lifelines',
        },
      ],
    })
  })

  it('refuses a repeat of no times, too many, or nothing', async () => {
    const times = async (t: unknown, events: unknown[] = [{ actor: 'client', op: 'send' }]) => {
      const r = await loadChanged((doc) => {
        doc.steps[0]!.expected = flow([{ repeat: { times: t, events } }])
      })
      return 'errors' in r ? r.errors.map((e) => `${e.field}: ${e.message}`) : []
    }
    expect(await times(0)).toContain('steps.0.expected.events.0.repeat.times: must be at least 1')
    expect(await times(51)).toContain('steps.0.expected.events.0.repeat.times: must be at most 50')
    expect(await times(50)).toEqual([])
    expect(await times(2.5)).toContain(
      'steps.0.expected.events.0.repeat.times: must be a whole number',
    )
    expect(await times(2, [])).toContain(
      'steps.0.expected.events.0.repeat.events: must list at least one event',
    )
  })
})
