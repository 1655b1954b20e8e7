import { describe, expect, it } from 'vitest'
import type { TraceEvent } from '@shared/trace'
import type { Worksheet } from '@shared/worksheet'
import { completeAnswers, protocolWorksheet } from '../fixtures/protocol-worksheet'
import { evaluateCheckpoints, type CheckpointContext } from '../../src/main/checkpoints'
import {
  describeWithSockets,
  eventsOf,
  freePort,
  HOST,
  sessionFactory,
  waitForEvent,
} from './helpers'

let seq = 0
function ev(actor: string, op: TraceEvent['op'], extra: Partial<TraceEvent> = {}): TraceEvent {
  const kind = actor.split('#')[0]!
  return {
    seq: ++seq,
    t: seq,
    actor,
    actorKind: kind,
    role: kind.endsWith('server') ? 'server' : kind.endsWith('relay') ? 'relay' : 'client',
    proto: 'tcp',
    op,
    level: 'info',
    ...extra,
  }
}
const check = (kind: string, trace: readonly TraceEvent[], context?: CheckpointContext) =>
  evaluateCheckpoints([{ id: 'x', title: 'x', hint: 'x', rule: { kind } }], trace, context)[0]!

const worksheetSpec = protocolWorksheet()
const sheet: Worksheet = completeAnswers()

describe('worksheet-complete', () => {
  it('fails with all four named when nothing is saved', () => {
    const r = check('worksheet-complete', [], { worksheetSpec })
    expect(r.passed).toBe(false)
    expect(r.reason).toBe(
      'Still to answer on the worksheet: TCP or UDP, and why (pick TCP or UDP); message format (at least 15 characters); malformed-message reply (at least 15 characters); how the exchange ends (at least 15 characters).',
    )
  })

  it('names only what is still missing', () => {
    const r = check('worksheet-complete', [], {
      worksheetSpec,
      worksheet: { ...sheet, answers: { ...sheet.answers, transport: 'fast', ending: '   ' } },
    })
    expect(r.passed).toBe(false)
    expect(r.reason).toBe(
      'Still to answer on the worksheet: TCP or UDP, and why (say why (at least 15 characters)); how the exchange ends (at least 15 characters).',
    )
  })

  it('passes with four real answers, whatever the trace, naming the pick', () => {
    const r = check('worksheet-complete', [ev('tcp-console#1', 'socket')], {
      worksheetSpec,
      worksheet: sheet,
    })
    expect(r).toMatchObject({ passed: true, evidence: [] })
    expect(r.reason).toBe('All four design questions are answered (TCP).')
    const udp = { ...sheet, choices: { transport: 'udp' } }
    expect(check('worksheet-complete', [], { worksheetSpec, worksheet: udp }).reason).toBe(
      'All four design questions are answered (UDP).',
    )
  })

  it('counts the lab’s own questions: one, two, or more than eight, with or without a pick', () => {
    const [transport, format] = worksheetSpec.questions
    const one = { ...worksheetSpec, questions: [format!] }
    expect(check('worksheet-complete', [], { worksheetSpec: one, worksheet: sheet }).reason).toBe(
      'The design question is answered.',
    )
    const two = { ...worksheetSpec, questions: [transport!, format!] }
    expect(check('worksheet-complete', [], { worksheetSpec: two, worksheet: sheet }).reason).toBe(
      'Both design questions are answered (TCP).',
    )
    const nine = {
      ...worksheetSpec,
      questions: Array.from({ length: 9 }, (_, i) => ({ ...format!, id: `q${i}` })),
    }
    const answers = Object.fromEntries(nine.questions.map((q) => [q.id, sheet.answers.format!]))
    expect(
      check('worksheet-complete', [], {
        worksheetSpec: nine,
        worksheet: { answers, choices: {} },
      }).reason,
    ).toBe('All 9 design questions are answered.')
  })

  it('does not pass in a lab with no worksheet, whatever is saved, nor with no context', () => {
    const r = check('worksheet-complete', [], { worksheet: sheet })
    expect(r).toMatchObject({ passed: false, reason: 'This lab has no worksheet to answer.' })
    expect(check('worksheet-complete', []).reason).toBe('This lab has no worksheet to answer.')
  })

  it('names every pick, in question order', () => {
    const [transport, format] = worksheetSpec.questions
    const framing = {
      ...format!,
      choice: {
        label: 'Framing',
        options: [
          { value: 'lines', label: 'Lines' },
          { value: 'prefix', label: 'Length prefix' },
        ],
      },
    }
    const spec = { ...worksheetSpec, questions: [transport!, framing] }
    const both = { ...sheet, choices: { transport: 'udp', format: 'prefix' } }
    expect(check('worksheet-complete', [], { worksheetSpec: spec, worksheet: both }).reason).toBe(
      'Both design questions are answered (UDP, Length prefix).',
    )
  })
})

describe('calc-error-via-console (hand-made traces)', () => {
  const C = 'calc-server#1'
  const K = 'tcp-console#1'
  const conn = '127.0.0.1:40000->127.0.0.1:50020'
  const talk = (reply: string) => [
    ev(C, 'listen', { local: '127.0.0.1:50020' }),
    ev(K, 'connect', { conn }),
    ev(C, 'accept', { conn }),
    ev(K, 'send', { conn, payload: '2 + * 3\\n' }),
    ev(C, 'recv', { conn, payload: '2 + * 3\\n' }),
    ev(C, 'send', { conn, payload: `${reply}\\n` }),
    ev(K, 'recv', { conn, payload: `${reply}\\n` }),
  ]

  it('passes on an ERROR reply that reached the console, naming it and what was sent', () => {
    const trace = talk('ERROR unexpected "*" at column 5')
    const r = check('calc-error-via-console', trace)
    expect(r.passed).toBe(true)
    expect(r.reason).toBe(
      'The calculator answered "ERROR unexpected "*" at column 5" to "2 + * 3", and the connection stayed open.',
    )
    expect(r.evidence).toEqual([trace[3]!.seq, trace[6]!.seq])
  })

  it('names the send before the ERROR, as typed: an ellipsis or \\r inside it kept, a cut one and the line end dropped', () => {
    const typed = (sent: string) => [
      ev(C, 'listen', { local: '127.0.0.1:50020' }),
      ev(K, 'connect', { conn }),
      ev(C, 'accept', { conn }),
      ev(K, 'send', { conn, payload: sent }),
      // The reply came in two chunks: the first is no question of the student's.
      ev(K, 'recv', { conn, payload: 'ERR' }),
      ev(K, 'recv', { conn, payload: 'ERROR bad\\r\\n' }),
    ]
    const r = check('calc-error-via-console', typed('2 … 3\\r+ 4\\r\\n'))
    expect(r.reason).toBe(
      'The calculator answered "ERROR bad" to "2 … 3\\\\r+ 4", and the connection stayed open.',
    )
    const cut = check('calc-error-via-console', typed('1 + 1 + 1…'))
    expect(cut.reason).toBe(
      'The calculator answered "ERROR bad" to "1 + 1 + 1", and the connection stayed open.',
    )
  })

  it('an OK reply is not enough, and the reason says what to do next', () => {
    const r = check('calc-error-via-console', talk('OK 5'))
    expect(r.passed).toBe(false)
    expect(r.reason).toMatch(/connected to the calculator: now send a malformed expression/)
  })

  it('an ERROR from another server, or to another client, does not count', () => {
    const other = '127.0.0.1:40001->127.0.0.1:50021'
    const fromKv = [
      ev(C, 'listen', { local: '127.0.0.1:50020' }),
      ev('kv-server#2', 'accept', { conn: other }),
      ev(K, 'connect', { conn: other }),
      ev(K, 'recv', {
        conn: other,
        payload: 'ERROR unknown command "2" (use SET, GET, DEL, KEYS)\\n',
      }),
    ]
    expect(check('calc-error-via-console', fromKv).reason).toMatch(
      /calculator is running: open a TCP console/,
    )
    const toPython = [
      ev(C, 'accept', { conn }),
      ev('tcp-client#3', 'recv', { conn, payload: 'ERROR division by zero\\n' }),
    ]
    expect(check('calc-error-via-console', toPython).passed).toBe(false)
    expect(check('calc-error-via-console', []).reason).toMatch(/^Start the calculator server/)
  })
})

describe('framing-naive-broke-line-coped (hand-made traces)', () => {
  const R = 'framing-relay#1'
  const relay = [ev(R, 'listen', { local: '127.0.0.1:50021' })]
  const client = (actor: string, chunks: string[], extra: (c: string) => Partial<TraceEvent>) => {
    const conn = `127.0.0.1:4${seq}->127.0.0.1:50021`
    return [
      ev(actor, 'connect', { conn, remote: '127.0.0.1:50021' }),
      ev(actor, 'send', { conn, payload: '1+1\\n' }),
      ev(actor, 'send', { conn, payload: '2*3\\n' }),
      ...chunks.map((c) => ev(actor, 'recv', { conn, payload: c, ...extra(c) })),
    ]
  }
  const naiveBroke = () =>
    client('naive-client#2', ['OK', ' 2\\nOK 6\\n'], () => ({ level: 'warn' as const }))
  const lineCoped = () => [
    ...client('line-client#3', ['OK', ' 2\\nOK 6\\n'], () => ({})),
    ev('line-client#3', 'note', { anchor: { file: 'line_client.py', name: 'line' } }),
    ev('line-client#3', 'note', { anchor: { file: 'line_client.py', name: 'line' } }),
    ev('line-client#3', 'close'),
  ]

  it('passes when the naive client misread and the line client got every reply', () => {
    const trace = [...relay, ...naiveBroke(), ...lineCoped()]
    const r = check('framing-naive-broke-line-coped', trace)
    expect(r.passed).toBe(true)
    expect(r.reason).toMatch(/naive-client#2 took a chunk.*"OK".*line-client#3 reassembled all 2/)
    expect(r.evidence).toHaveLength(3)
  })

  it('needs both halves, and says which one is missing', () => {
    expect(check('framing-naive-broke-line-coped', [...relay, ...naiveBroke()]).reason).toMatch(
      /line-reading client has not yet received every reply/,
    )
    const r = check('framing-naive-broke-line-coped', [...relay, ...lineCoped()])
    expect(r.reason).toMatch(/naive client has not yet been caught out/)
    expect(r.reason).not.toMatch(/line-reading/)
  })

  it('clients that talked to the server directly, or a relay that did not re-chunk, do not count', () => {
    const direct = [
      ...relay,
      ...naiveBroke().map((e) =>
        e.op === 'connect' ? { ...e, remote: '127.0.0.1:50020', conn: 'x' } : e,
      ),
      ...lineCoped(),
    ]
    expect(check('framing-naive-broke-line-coped', direct).passed).toBe(false)
    const clean = [
      ...relay,
      ...naiveBroke(),
      ...client('line-client#4', ['OK 2\\n', 'OK 6\\n'], () => ({})),
      ev('line-client#4', 'note', { anchor: { file: 'line_client.py', name: 'line' } }),
      ev('line-client#4', 'note', { anchor: { file: 'line_client.py', name: 'line' } }),
    ]
    expect(check('framing-naive-broke-line-coped', clean).passed).toBe(false)
    expect(check('framing-naive-broke-line-coped', []).reason).toMatch(/^Start the calculator/)
  })
})

describe('own-checks-pass-and-fail', () => {
  const ok = { name: 'adds', passed: true, sent: '1+1\n' }
  const bad = { name: 'divides', passed: false, sent: '1/0\n' }
  it('needs a pass and a failure with its transcript', () => {
    expect(check('own-checks-pass-and-fail', [], { checkResults: [ok, bad] })).toMatchObject({
      passed: true,
      reason: 'Your check "adds" passed and "divides" failed with its transcript.',
    })
    expect(check('own-checks-pass-and-fail', []).reason).toMatch(/^Write a check and run it/)
    expect(check('own-checks-pass-and-fail', [], { checkResults: [ok] }).reason).toMatch(
      /write one that fails/,
    )
    expect(check('own-checks-pass-and-fail', [], { checkResults: [bad] }).reason).toMatch(
      /None of your checks has passed/,
    )
  })
})

// The same rules over what the real actors trace, on loopback sockets.
const newSession = sessionFactory('protocol')

describeWithSockets('protocol rules over real actors', () => {
  it('a console that sent a malformed expression to the calculator passes', async () => {
    const { session, sink } = newSession()
    const port = await freePort()
    await session.startActor({ kind: 'calc-server', host: HOST, port }).ready
    const console = session.startActor({ kind: 'tcp-console', host: HOST, port })
    await console.ready
    await session.sendToActor(console.id, '1 + 2\n')
    await waitForEvent(session, sink, (e) => e.actor === console.id && e.op === 'recv')
    expect(check('calc-error-via-console', session.trace).passed).toBe(false)
    await session.sendToActor(console.id, '2 + * 3\n')
    await waitForEvent(
      session,
      sink,
      (e) => e.actor === console.id && e.op === 'recv' && e.payload!.startsWith('ERROR'),
    )
    const r = check('calc-error-via-console', session.trace)
    expect(r.passed).toBe(true)
    expect(r.reason).toMatch(/^The calculator answered "ERROR .*" to "2 \+ \* 3"/)
  })

  it('through a splitting relay the naive client breaks and the line client copes', async () => {
    const { session } = newSession()
    const port = await freePort()
    const relayPort = await freePort()
    await session.startActor({ kind: 'calc-server', host: HOST, port }).ready
    await session.startActor({
      kind: 'framing-relay',
      host: HOST,
      port: relayPort,
      options: { targetPort: port, splitBytes: 3 },
    }).ready
    const naive = session.startActor({ kind: 'naive-client', host: HOST, port: relayPort })
    await naive.done
    expect(check('framing-naive-broke-line-coped', session.trace).reason).toMatch(
      /line-reading client has not yet/,
    )
    const line = session.startActor({ kind: 'line-client', host: HOST, port: relayPort })
    expect((await line.done).state).toBe('finished')
    const r = check('framing-naive-broke-line-coped', session.trace)
    expect(r.passed).toBe(true)
    expect(eventsOf(session.trace, line.id).filter((e) => e.op === 'send')).toHaveLength(5)
  })

  it('straight to the server (no relay) the framing checkpoint stays open', async () => {
    const { session } = newSession()
    const port = await freePort()
    await session.startActor({ kind: 'calc-server', host: HOST, port }).ready
    await session.startActor({ kind: 'naive-client', host: HOST, port }).done
    await session.startActor({ kind: 'line-client', host: HOST, port }).done
    expect(check('framing-naive-broke-line-coped', session.trace).passed).toBe(false)
  })
})
