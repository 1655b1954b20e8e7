import { describe, expect, it } from 'vitest'
import {
  LossyStatsCollector,
  lossyRuns,
  percentile,
  seedFromNote,
  summarize,
  timeoutFromNote,
} from '@renderer/features/lossy/lossy-stats'
import { TraceBuilder } from './fixtures'
import {
  clientRun,
  lossyClient,
  lossyRunTrace,
  lossyServer,
  relayTrace,
  serverUp,
} from './lossy-fixtures'
import { fixedLog } from '@renderer/trace-log'
import { GrowingLog } from './growing-log'

describe('lossy statistics', () => {
  it('counts sent, replied, lost and timeouts of a run, with each PING’s outcome', () => {
    const [run, ...rest] = lossyRuns(lossyRunTrace(20, { drop: [3, 7, 8, 15], rtt: (n) => n / 10 }))
    expect(rest).toEqual([])
    expect(run).toMatchObject({
      actor: 'lossy-client#2',
      number: 1,
      timeoutS: 2,
      closed: true,
      cancelled: false,
      sent: 20,
      replied: 16,
      lost: 4,
      timeouts: 4,
      late: 0,
      duplicates: 0,
    })
    expect(run!.pings.filter((p) => p.outcome === 'timeout').map((p) => p.n)).toEqual([3, 7, 8, 15])
    expect(run!.pings[0]).toMatchObject({ n: 1, outcome: 'replied', rttMs: 0.1 })
    expect(run!.waitingFor).toBeUndefined()
  })

  it('summarises round-trip times: min, median, p95 (nearest rank) and max', () => {
    // RTTs 1, 2, 4, 5, 6, 9, 10, 11, … 20 ms (16 answers): the 8th is 11, the 16th is 20.
    const [run] = lossyRuns(lossyRunTrace(20, { drop: [3, 7, 8, 15], rtt: (n) => n }))
    expect(run!.rtt).toEqual({ min: 1, median: 11, p95: 20, max: 20 })
    expect(summarize([])).toBeNull()
    expect(summarize([5, 1, 3])).toEqual({ min: 1, median: 3, p95: 5, max: 5 })
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1)
    expect(percentile(hundred, 0.95)).toBe(95)
    expect(percentile(hundred, 0.5)).toBe(50)
  })

  it('keeps one run per client, numbered in order', () => {
    const b = new TraceBuilder()
    const s = lossyServer()
    serverUp(b, s)
    clientRun(b, lossyClient(2), s, 5, { drop: [2] })
    clientRun(b, lossyClient(3, '127.0.0.1:41999'), s, 3)
    const runs = lossyRuns(b.events)
    expect(runs.map((r) => [r.actor, r.number, r.sent, r.lost])).toEqual([
      ['lossy-client#2', 1, 5, 1],
      ['lossy-client#3', 2, 3, 0],
    ])
  })

  it('tells late and duplicate replies apart from answers, with no RTT for them', () => {
    const [run] = lossyRuns(relayTrace())
    expect(run).toMatchObject({
      sent: 3,
      replied: 2,
      lost: 1,
      timeouts: 1,
      late: 1,
      duplicates: 1,
      timeoutS: 0.2,
    })
    expect(run!.rtt).toEqual({ min: 1.2, median: 1.2, p95: 2.5, max: 2.5 })
    expect(run!.pings.map((p) => p.outcome)).toEqual(['replied', 'timeout', 'replied'])
  })

  it('shows a client with no timeout waiting for its reply, then cancelled', () => {
    const b = new TraceBuilder()
    const s = lossyServer()
    const c = lossyClient()
    serverUp(b, s)
    clientRun(b, c, s, 3, { drop: [3], timeoutS: null, blockedAtEnd: true })
    const collector = new LossyStatsCollector()
    collector.update(fixedLog(b.events))
    let run = collector.run(c.id)!
    expect(run.timeoutS).toBeNull()
    expect(run.waitingFor).toBe(3)
    expect(run).toMatchObject({ sent: 3, replied: 2, lost: 0, closed: false })

    b.add(c, 'note', {
      level: 'warn',
      message: 'cancelled while blocked in recvfrom() waiting for PONG 3',
      anchor: { file: c.file, name: 'recvfrom' },
    })
    b.add(c, 'close')
    collector.update(fixedLog(b.events))
    run = collector.run(c.id)!
    expect(run.waitingFor).toBeUndefined()
    expect(run).toMatchObject({ cancelled: true, closed: true, lost: 1 })
    expect(run.pings.at(-1)!.outcome).toBe('cancelled')
  })

  it('gives the same answer fed in pieces as all at once, and starts over in a new epoch', () => {
    const trace = lossyRunTrace(20, { drop: [4, 9], rtt: (n) => n * 0.3 })
    const whole = lossyRuns(trace)
    const live = new GrowingLog()
    const collector = new LossyStatsCollector()
    for (let i = 0; i < trace.length; i += 7) {
      live.push(...trace.slice(i, i + 7))
      collector.update(live)
    }
    expect(collector.results()).toEqual(whole)
    const before = collector.changes
    collector.update(live.reset())
    expect(collector.results()).toEqual([])
    expect(collector.changes).toBeGreaterThan(before)
  })

  it('reads the seed from a server’s or the relay’s first note, and settimeout notes', () => {
    expect(seedFromNote('seed 1234, drop probability 0.3')).toBe(1234)
    expect(seedFromNote('seed 1234, dropping replies to PING 3, 7')).toBe(1234)
    expect(seedFromNote('seed 99: drop 0.1, delay 300 ± 100 ms, duplicate 0, reorder 0')).toBe(99)
    expect(seedFromNote('waiting in recvfrom()')).toBeUndefined()
    expect(timeoutFromNote('settimeout(2.0): …')).toBe(2)
    expect(timeoutFromNote('settimeout(None): recvfrom() waits until a reply comes')).toBeNull()
    expect(timeoutFromNote('something else')).toBeUndefined()
    const collector = new LossyStatsCollector()
    collector.update(fixedLog(relayTrace()))
    expect(collector.seedsSeen().map((s) => [s.actorKind, s.seed])).toEqual([
      ['lossy-server', 7],
      ['udp-relay', 99],
    ])
  })
})
