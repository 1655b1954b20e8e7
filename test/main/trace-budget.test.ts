import { describe, expect, it } from 'vitest'
import { SNAPSHOT_MAX_EVENTS, type EventPayloads, type SessionSnapshot } from '@shared/ipc'
import type { TraceEvent } from '@shared/trace'
import { AppCore } from '../../src/main/core/app-core'
import { NO_ANCHOR, TraceColumns } from '../../src/main/session/trace-columns'
import { TraceRecorder } from '../../src/main/session/trace-recorder'
import { labsDirWithPingPong, tempDir } from './helpers'

const CHUNK = TraceColumns.chunkRows
const server = {
  actor: 'udp-server#1',
  actorKind: 'udp-server',
  role: 'server',
  proto: 'udp',
} as const
const client = {
  actor: 'udp-client#1',
  actorKind: 'udp-client',
  role: 'client',
  proto: 'udp',
} as const

describe('trimming the rows (TraceColumns.trim)', () => {
  it('drops whole chunks of the oldest rows and keeps the rest exactly, seq and all', () => {
    const columns = new TraceColumns()
    const ref = columns.sourceRef(server)
    const anchor = columns.anchorRef({ file: 'udp_server.py', name: 'recvfrom' })
    for (let i = 0; i < 3 * CHUNK + 10; i++) {
      columns.append(ref, { op: 'recvfrom', remote: `127.0.0.1:${i}`, payload: `P${i}` }, anchor, i)
    }
    const kept = columns.slice(CHUNK)
    // Asked for a chunk and a half: one whole chunk goes.
    const { dropped, byActor } = columns.trim(CHUNK + CHUNK / 2)
    expect(dropped).toBe(CHUNK)
    expect(columns.length).toBe(2 * CHUNK + 10)
    expect(columns.slice()).toStrictEqual(kept)
    expect(byActor.get('udp-server#1')).toEqual({
      events: CHUNK,
      bytes: 0,
      ops: { recvfrom: CHUNK },
    })
    // The strings only the dropped rows used are gone: a flood cannot grow the table.
    expect(columns.stringCount).toBeLessThan(2 * (2 * CHUNK + 10) + 20)
  })

  it('refs and templates from before a trim still append correctly after it', () => {
    const columns = new TraceColumns()
    const ref = columns.sourceRef(client)
    const anchor = columns.anchorRef({ file: 'udp_client.py', name: 'sendto' })
    const template = columns.prepare(ref, { op: 'sendto', remote: '127.0.0.1:9' }, anchor)
    for (let i = 0; i < 2 * CHUNK; i++) columns.appendCall(template, i, 4, 'PING', -1)
    columns.trim(CHUNK)
    columns.appendCall(template, 1, 4, 'PING', 2)
    columns.append(ref, { op: 'timeout', level: 'warn', message: 'no reply' }, anchor, 3)
    columns.append(ref, { op: 'close' }, NO_ANCHOR, 4)
    const [sent, timeout, close] = columns.slice(columns.length - 3)
    expect(sent).toMatchObject({
      seq: 2 * CHUNK + 1,
      actor: 'udp-client#1',
      op: 'sendto',
      remote: '127.0.0.1:9',
      payload: 'PING',
      bytes: 4,
      rttMs: 2,
      anchor: { file: 'udp_client.py', name: 'sendto' },
    })
    expect(timeout).toMatchObject({
      op: 'timeout',
      level: 'warn',
      message: 'no reply',
      role: 'client',
    })
    expect(close).toMatchObject({ op: 'close', anchor: undefined, actorKind: 'udp-client' })
    // Packing after a trim sends the right strings too.
    const packed = columns.pack(columns.length - 1, columns.length)
    expect(packed.strings).toContain('close')
  })

  it('does nothing when asked for less than a chunk', () => {
    const columns = new TraceColumns()
    const ref = columns.sourceRef(server)
    for (let i = 0; i < CHUNK + 5; i++) columns.append(ref, { op: 'recvfrom' }, NO_ANCHOR, i)
    expect(columns.trim(CHUNK - 1).dropped).toBe(0)
    expect(columns.length).toBe(CHUNK + 5)
  })
})

describe('the recorder keeps a session within its budget', () => {
  it('under a flood of distinct payloads: rows, strings and event objects stay bounded, totals add up', () => {
    const maxEvents = 4 * CHUNK
    const trims: number[] = []
    let delivered = 0
    const recorder = new TraceRecorder((batch) => (delivered += batch.length), {
      maxEvents,
      onTrim: (t) => trims.push(t.events),
    })
    const ref = recorder.sourceRef(server)
    const reply = recorder.sourceRef(client)
    const total = 25 * CHUNK
    for (let i = 0; i < total; i++) {
      recorder.append(ref, {
        op: 'recvfrom',
        remote: `10.0.0.${i % 250}:${i}`,
        payload: `X${i}`,
        bytes: 5,
      })
      if (i % 100 === 0) recorder.append(reply, { op: 'close' })
      // A checkpoint pass now and then builds event objects: they are bounded too.
      if (i % 20_000 === 0) expect(recorder.events().length).toBeLessThanOrEqual(maxEvents)
    }
    recorder.flush()
    const closes = Math.ceil(total / 100)
    expect(recorder.length).toBeLessThanOrEqual(maxEvents)
    expect(recorder.events().length).toBe(recorder.length)
    expect(recorder.trimmed.events + recorder.length).toBe(total + closes)
    expect(delivered).toBe(total + closes)
    const serverDropped = recorder.trimmed.byActor.get('udp-server#1')!
    const serverKept = recorder.events().filter((e) => e.actor === 'udp-server#1').length
    expect(serverDropped.events + serverKept).toBe(total)
    expect(serverDropped.bytes).toBe(5 * serverDropped.events)
    expect(serverDropped.ops).toEqual({ recvfrom: serverDropped.events })
    expect(trims.length).toBeGreaterThan(5)
    // The newest events are the ones kept, and the last seq is the total.
    expect(recorder.events().at(-1)!.seq).toBe(total + closes)
  })

  it('starts afresh on Clear trace', () => {
    const recorder = new TraceRecorder(() => undefined, { maxEvents: 4 * CHUNK })
    const ref = recorder.sourceRef(server)
    for (let i = 0; i < 6 * CHUNK; i++) recorder.append(ref, { op: 'recvfrom', payload: `${i}` })
    expect(recorder.trimmed.events).toBeGreaterThan(0)
    recorder.clear()
    expect(recorder.trimmed.events).toBe(0)
    expect(recorder.trimmed.byActor.size).toBe(0)
  })
})

describe('snapshots and the notice', () => {
  it(`send at most ${SNAPSHOT_MAX_EVENTS.toLocaleString('en')} events and say how many were left out`, async () => {
    const { labsDir } = await labsDirWithPingPong()
    const core = await AppCore.create({
      labsDir,
      userDataDir: await tempDir('socket-labs-budget-'),
    })
    try {
      const opened = await core.invoke('session:open', { labId: 'ping-pong' })
      expect(opened.ok).toBe(true)
      const session = core.session('ping-pong')!
      const extra = 1234
      for (let i = 0; i < SNAPSHOT_MAX_EVENTS + extra; i++) {
        session.record({ ...server, op: 'recvfrom', level: 'info', payload: `P${i}` })
      }
      const again = await core.invoke('session:open', { labId: 'ping-pong' })
      const snapshot = (again as { ok: true; value: SessionSnapshot }).value
      expect(snapshot.trace).toHaveLength(SNAPSHOT_MAX_EVENTS)
      expect(snapshot.omitted).toBe(extra)
      expect((snapshot.trace.at(-1) as TraceEvent).payload).toBe(
        `P${SNAPSHOT_MAX_EVENTS + extra - 1}`,
      )
      expect(JSON.stringify(snapshot).length).toBeLessThan(10_000_000)
    } finally {
      await core.dispose()
    }
  })

  it('tell the student once per session when the trace is trimmed', async () => {
    const { labsDir } = await labsDirWithPingPong()
    const core = await AppCore.create({
      labsDir,
      userDataDir: await tempDir('socket-labs-budget-'),
      maxTraceEvents: 4 * CHUNK,
    })
    const notices: EventPayloads['app:notice'][] = []
    core.subscribe((channel, payload) => {
      if (channel === 'app:notice') notices.push(payload as EventPayloads['app:notice'])
    })
    try {
      await core.invoke('session:open', { labId: 'ping-pong' })
      const session = core.session('ping-pong')!
      // Two trims: one notice.
      for (let i = 0; i < 7 * CHUNK; i++) {
        session.record({ ...server, op: 'recvfrom', level: 'info', payload: `P${i}` })
      }
      expect(session.trimmed.events).toBeGreaterThanOrEqual(2 * CHUNK)
      expect(session.trace.length).toBeLessThanOrEqual(4 * CHUNK)
      expect(notices).toHaveLength(1)
      expect(notices[0]!.message).toMatch(
        /grew past 16,384 events, so the oldest 4,096 were dropped to keep memory bounded/,
      )
      // After Clear trace, a new flood is told again.
      await core.invoke('session:clear', { labId: 'ping-pong' })
      for (let i = 0; i < 5 * CHUNK; i++) {
        session.record({ ...server, op: 'recvfrom', level: 'info', payload: `Q${i}` })
      }
      expect(notices).toHaveLength(2)
    } finally {
      await core.dispose()
    }
  })
})
