import { describe, expect, it } from 'vitest'
import { describeEvent } from '../../src/main/core/describe-event'
import type { TraceEvent } from '@shared/trace'

const base: TraceEvent = {
  seq: 12,
  t: 3.5,
  actor: 'tcp-client#2',
  actorKind: 'tcp-client',
  role: 'client',
  proto: 'tcp',
  op: 'recv',
  level: 'info',
}

describe('describeEvent (the evidence a passed checkpoint keeps)', () => {
  it('says who did what, with the payload and both addresses, and no trace number', () => {
    expect(
      describeEvent({
        ...base,
        payload: 'PONG',
        local: '127.0.0.1:4000',
        remote: '127.0.0.1:50007',
      }),
    ).toBe('tcp-client#2 recv "PONG" (127.0.0.1:4000 ↔ 127.0.0.1:50007)')
  })

  it('leaves out what the event does not have', () => {
    expect(describeEvent(base)).toBe('tcp-client#2 recv')
    expect(describeEvent({ ...base, op: 'bind', local: '127.0.0.1:50007' })).toBe(
      'tcp-client#2 bind (127.0.0.1:50007)',
    )
    expect(describeEvent({ ...base, payload: '' })).toBe('tcp-client#2 recv ""')
  })
})
