import { fixedLog } from '@renderer/trace-log'
import { describe, expect, it } from 'vitest'
import type { TraceEvent } from '@shared/trace'
import type { ProgramStatus } from '@shared/workspace'
import { splitArgs } from '@renderer/features/student/program-args'
import { studentFile, studentLine } from '@renderer/features/student/student-lines'
import { exitSummary } from '@renderer/features/student/program-labels'
import { StepFilter, drawnKinds } from '@renderer/features/diagram/step-filter'
import { buildDiagram } from '@renderer/features/diagram/build-diagram'

function ev(extra: Partial<TraceEvent>): TraceEvent {
  return {
    seq: 1,
    t: 0,
    actor: 'your counter_server.py',
    actorKind: 'student-program',
    role: 'server',
    proto: 'udp',
    op: 'recvfrom',
    level: 'info',
    anchor: { file: 'counter_server.py', name: 'line:12' },
    ...extra,
  } as TraceEvent
}

describe('splitArgs', () => {
  it('splits on spaces and keeps quoted spaces', () => {
    expect(splitArgs('  50008 --mode  per-client ')).toEqual({
      args: ['50008', '--mode', 'per-client'],
    })
    expect(splitArgs(`"hello world" 'it''s' ""`)).toEqual({ args: ['hello world', 'its', ''] })
    expect(splitArgs('')).toEqual({ args: [] })
  })
  it('says which quote is left open', () => {
    expect(splitArgs('"oops')).toEqual({ error: 'A " quote is not closed in the arguments.' })
  })
})

describe('student lines', () => {
  it('reads the line of an event of the student program in that file', () => {
    expect(studentLine(ev({}), 'counter_server.py')).toBe(12)
    expect(
      studentLine(
        ev({ anchor: { file: '/home/s/lab/counter_server.py', name: 'line:7' } }),
        'counter_server.py',
      ),
    ).toBe(7)
    expect(
      studentFile(ev({ anchor: { file: '/home/s/lab/counter_server.py', name: 'line:7' } })),
    ).toBe('counter_server.py')
  })
  it('ignores other files, other actors and the reference anchors', () => {
    expect(studentLine(ev({}), 'counter_client.py')).toBeNull()
    expect(studentLine(ev({ actorKind: 'counter-server' }), 'counter_server.py')).toBeNull()
    expect(
      studentLine(
        ev({ anchor: { file: 'counter_server.py', name: 'recvfrom' } }),
        'counter_server.py',
      ),
    ).toBeNull()
    expect(studentLine(null, 'counter_server.py')).toBeNull()
  })
})

describe('exitSummary', () => {
  const base: ProgramStatus = {
    labId: 'counter',
    programId: 'p1',
    file: 'counter_server.py',
    args: [],
    actor: 'your counter_server.py',
    state: 'exited',
  }
  it('names the exception and its line', () => {
    const s = exitSummary({
      ...base,
      exit: {
        code: 1,
        signal: null,
        stopped: false,
        failure: {
          file: 'counter_server.py',
          line: 14,
          exception: 'NameError',
          message: "name 'sever' is not defined",
        },
      },
    })
    expect(s).toEqual({
      text: "Exit code 1 · NameError at line 14 of counter_server.py: name 'sever' is not defined",
      tone: 'bad',
    })
  })
  it('says a syntax error was not run', () => {
    const s = exitSummary({
      ...base,
      exit: {
        code: null,
        signal: null,
        stopped: false,
        failure: { line: 3, exception: 'SyntaxError', message: 'invalid syntax' },
      },
    })
    expect(s?.text).toBe('Not run · SyntaxError at line 3: invalid syntax')
  })
  it('tells Stop, success and a running program apart', () => {
    expect(
      exitSummary({ ...base, exit: { code: null, signal: 'SIGINT', stopped: true } })?.tone,
    ).toBe('neutral')
    expect(exitSummary({ ...base, exit: { code: 0, signal: null, stopped: false } })?.tone).toBe(
      'ok',
    )
    expect(exitSummary({ ...base, state: 'running' })).toBeNull()
  })
})

describe('the live diagram of a step', () => {
  it('draws the student program in a step that lists only the app’s client', () => {
    const client = ev({
      seq: 1,
      actor: 'counter-client#1',
      actorKind: 'counter-client',
      role: 'client',
      anchor: undefined,
    })
    const theirs = ev({ seq: 2 })
    const drawn = new StepFilter(drawnKinds({ actors: ['counter-client'] })).update(
      fixedLog([client, theirs]),
    )
    expect(drawn.log.events.slice(0, drawn.log.length).map((e) => e.actor)).toEqual([
      'counter-client#1',
      'your counter_server.py',
    ])
    expect(drawn.hidden).toBe(0)
  })
})

describe('the student program in the diagram', () => {
  it('is a lifeline named after its file, not after its kind', () => {
    const events = [
      ev({ seq: 1, op: 'socket', local: undefined }),
      ev({ seq: 2, op: 'bind', local: '127.0.0.1:50008' }),
    ]
    const titles = buildDiagram(events).lifelines.map((l) => l.title)
    expect(titles).toEqual(['your counter_server.py'])
  })
})
