import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { CheckpointSpec } from '@shared/lab'
import type { TraceEvent } from '@shared/trace'
import { evaluateCheckpoints } from '../../../src/main/checkpoints'
import { loadLab } from '../../../src/main/labs/load-labs'
import { REAL_LABS_DIR } from '../helpers'
import { traceBuilder } from './trace-builder'

/**
 * The Echo lab's checkpoint on the student's own server, as lab.yaml composes it from the
 * generic round-trips rule: it passes only when the replies come from the student's program.
 */
const { ev, reset } = traceBuilder()
beforeEach(reset)

let spec: CheckpointSpec
beforeAll(async () => {
  const loaded = await loadLab(REAL_LABS_DIR, 'echo')
  if (!('lab' in loaded)) throw new Error(JSON.stringify(loaded.errors))
  spec = loaded.lab.checkpoints.find((c) => c.id === 'your-upper-server')!
  expect(spec).toBeDefined()
})

const SERVER = '127.0.0.1:50031'
const CONN = `127.0.0.1:40000->${SERVER}`
const YOURS = 'your upper_tcp_server.py'
const student = (op: TraceEvent['op'], extra: Partial<TraceEvent> = {}) =>
  ev(YOURS, op, { actorKind: 'student-program', role: 'server', ...extra })

/** A server (the student's, unless `actor` says otherwise) listening on SERVER. */
function listening(actor?: string): TraceEvent[] {
  return [actor ? ev(actor, 'listen', { local: SERVER }) : student('listen', { local: SERVER })]
}

/** The console sends `text` and gets `reply` on one connection. */
function ask(text: string, reply: string, conn = CONN): TraceEvent[] {
  return [
    ev('tcp-console#1', 'send', { conn, remote: SERVER, payload: text }),
    ev('tcp-console#1', 'recv', { conn, remote: SERVER, payload: reply }),
  ]
}

const judge = (trace: TraceEvent[]) => evaluateCheckpoints([spec], trace)[0]!

describe('echo: your uppercase server', () => {
  it('passes on three replies in capitals from the student program, on one connection', () => {
    const r = judge([
      ...listening(),
      ...ask('message 1', 'MESSAGE 1'),
      ...ask('message 2', 'MESSAGE 2'),
      ...ask('message 3', 'MESSAGE 3'),
    ])
    expect(r.passed).toBe(true)
    expect(r.reason).toContain('3 round trips by tcp-console#1')
  })

  it("does not pass on the app's own uppercase server", () => {
    const r = judge([
      ...listening('upper-tcp-server#1'),
      ...ask('a', 'A'),
      ...ask('b', 'B'),
      ...ask('c', 'C'),
    ])
    expect(r.passed).toBe(false)
  })

  it('does not pass on a server that echoes without capitals, or on two replies only', () => {
    const echo = judge([...listening(), ...ask('a', 'a'), ...ask('b', 'b'), ...ask('c', 'c')])
    expect(echo.passed).toBe(false)
    expect(echo.reason).toContain('not the same text in capitals')
    const two = judge([...listening(), ...ask('a', 'A'), ...ask('b', 'B')])
    expect(two).toMatchObject({
      passed: false,
      reason: 'Best so far: 2 of 3 round trips on one connection.',
    })
  })

  it('does not count three replies spread over three connections', () => {
    const r = judge([
      ...listening(),
      ...ask('a', 'A', `${CONN}#1`),
      ...ask('b', 'B', `${CONN}#2`),
      ...ask('c', 'C', `${CONN}#3`),
    ])
    expect(r.passed).toBe(false)
  })
})
