import { once } from 'node:events'
import { createServer, type AddressInfo } from 'node:net'
import { ActorOptionsSchema } from '../src/shared/actors'
import type { ActorDefinition } from '../src/main/net/actor'
import { mcClient } from '../src/main/net/multi-client/mc-client'
import { concurrentServer } from '../src/main/net/multi-client/mc-server'
import { makeActorTracer } from '../src/main/session/actor-tracer'
import { TraceRecorder } from '../src/main/session/trace-recorder'

export interface MultiClientResult {
  clients: number
  pingsPerClient: number
  totalMs: number
  roundTrips: number
  p50Ms: number
  p99Ms: number
  traceEvents: number
}

/**
 * The concurrent server with `clients` of the app's clients at once, each sending
 * `pings` PINGs, tracing on: the total time and the round-trip times the clients measured.
 */
export async function benchMultiClient(clients = 500, pings = 10): Promise<MultiClientResult> {
  let delivered = 0
  const recorder = new TraceRecorder((batch) => (delivered += batch.length))
  const probe = createServer()
  probe.listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const port = (probe.address() as AddressInfo).port
  probe.close()
  await once(probe, 'close')
  const options = ActorOptionsSchema.parse({ count: pings })
  const run = (definition: ActorDefinition, id: string) =>
    definition.start({
      id,
      host: '127.0.0.1',
      port,
      options,
      ...makeActorTracer(definition, id, recorder),
    })
  const server = run(concurrentServer, 'concurrent-server#1')
  await server.ready
  const started = performance.now()
  const runs = Array.from({ length: clients }, (_, i) => run(mcClient, `mc-client#${i + 1}`))
  const outcomes = await Promise.all(runs.map((r) => r.done))
  const totalMs = performance.now() - started
  await server.stop()
  recorder.dispose()
  const failed = outcomes.filter((o) => o.state !== 'finished').length
  if (failed > 0) throw new Error(`${failed} clients did not finish`)
  const rtts = recorder
    .events()
    .filter((e) => e.actorKind === 'mc-client' && e.op === 'recv' && e.rttMs !== undefined)
    .map((e) => e.rttMs!)
    .sort((a, b) => a - b)
  const at = (q: number) => rtts[Math.min(rtts.length - 1, Math.floor(q * rtts.length))] ?? 0
  return {
    clients,
    pingsPerClient: pings,
    totalMs: Math.round(totalMs),
    roundTrips: rtts.length,
    p50Ms: Math.round(at(0.5) * 1000) / 1000,
    p99Ms: Math.round(at(0.99) * 1000) / 1000,
    traceEvents: delivered,
  }
}
