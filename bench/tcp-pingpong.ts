import { once } from 'node:events'
import { createServer, connect, type AddressInfo } from 'node:net'
import { ActorOptionsSchema } from '../src/shared/actors'
import { tcpClient } from '../src/main/net/tcp/tcp-client'
import { tcpServer } from '../src/main/net/tcp/tcp-server'
import { makeActorTracer } from '../src/main/session/actor-tracer'
import { TraceRecorder } from '../src/main/session/trace-recorder'
import type { ActorDefinition } from '../src/main/net/actor'

export interface PingPongResult {
  roundTrips: number
  /** How many back-to-back (bare, actors) runs were measured. */
  pairs: number
  /** Medians over the pairs. */
  bareRoundTripsPerSecond: number
  actorRoundTripsPerSecond: number
  /** The median of the pairs' ratios, actors / bare. */
  ratio: number
  ratios: number[]
  /** What the actors and their tracing add to one round trip, from the median rates. */
  addedMicrosecondsPerRoundTrip: number
  traceEvents: number
}

/** Bare node:net: the same PING/PONG exchange with nothing but the sockets. */
async function bare(roundTrips: number): Promise<number> {
  const server = createServer((socket) => {
    socket.setNoDelay(true)
    socket.on('data', () => socket.write('PONG'))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const client = connect({
    port: (server.address() as AddressInfo).port,
    host: '127.0.0.1',
    noDelay: true,
  })
  await once(client, 'connect')
  const started = performance.now()
  await new Promise<void>((resolve) => {
    let left = roundTrips
    client.on('data', () => (--left === 0 ? resolve() : client.write('PING')))
    client.write('PING')
  })
  const seconds = (performance.now() - started) / 1000
  client.destroy()
  server.close()
  await once(server, 'close')
  return roundTrips / seconds
}

/** The app's own actors with tracing on: every call recorded and batched as in a session. */
async function actors(roundTrips: number): Promise<{ rate: number; events: number }> {
  let delivered = 0
  const recorder = new TraceRecorder((batch) => (delivered += batch.length))
  const probe = createServer()
  probe.listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const port = (probe.address() as AddressInfo).port
  probe.close()
  await once(probe, 'close')
  const run = (definition: ActorDefinition, id: string) =>
    definition.start({
      id,
      host: '127.0.0.1',
      port,
      // The UI caps a run at 1,000 PINGs; the benchmark goes past it on purpose.
      options: { ...ActorOptionsSchema.parse({}), count: roundTrips },
      ...makeActorTracer(definition, id, recorder),
    })
  const server = run(tcpServer, 'tcp-server#1')
  await server.ready
  const started = performance.now()
  const client = run(tcpClient, 'tcp-client#1')
  await client.done
  const seconds = (performance.now() - started) / 1000
  await server.done
  recorder.dispose()
  return { rate: roundTrips / seconds, events: delivered }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((x, y) => x - y)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export async function benchTcpPingPong(roundTrips = 20_000, pairs = 8): Promise<PingPongResult> {
  // Warm both paths up first so neither pays for JIT compilation in its measured run.
  await bare(2000)
  await actors(2000)
  const bareRates: number[] = []
  const actorRates: number[] = []
  const ratios: number[] = []
  let events = 0
  // This machine's speed drifts (other tenants, frequency): each pair runs back to back and
  // gives one ratio, in alternating order (bare first, then actors first) so a drift within
  // a pair does not always favour the same side. The result is the median ratio.
  for (let i = 0; i < pairs; i++) {
    let bareRate: number
    let actor: { rate: number; events: number }
    if (i % 2 === 0) {
      bareRate = await bare(roundTrips)
      actor = await actors(roundTrips)
    } else {
      actor = await actors(roundTrips)
      bareRate = await bare(roundTrips)
    }
    bareRates.push(bareRate)
    actorRates.push(actor.rate)
    ratios.push(actor.rate / bareRate)
    events = actor.events
  }
  const bareRate = median(bareRates)
  const actorRate = median(actorRates)
  return {
    roundTrips,
    pairs,
    bareRoundTripsPerSecond: Math.round(bareRate),
    actorRoundTripsPerSecond: Math.round(actorRate),
    ratio: Math.round(median(ratios) * 1000) / 1000,
    ratios: ratios.map((r) => Math.round(r * 1000) / 1000),
    addedMicrosecondsPerRoundTrip: Math.round((1e6 / actorRate - 1e6 / bareRate) * 100) / 100,
    traceEvents: events,
  }
}
