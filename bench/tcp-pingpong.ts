import { once } from 'node:events'
import { createServer, connect, type AddressInfo } from 'node:net'
import { ActorOptionsSchema } from '../src/shared/actors'
import { tcpClient } from '../src/main/net/tcp-client'
import { tcpServer } from '../src/main/net/tcp-server'
import { makeActorTracer } from '../src/main/session/actor-tracer'
import { TraceRecorder } from '../src/main/session/trace-recorder'
import type { ActorDefinition } from '../src/main/net/actor'

export interface PingPongResult {
  roundTrips: number
  bareRoundTripsPerSecond: number
  actorRoundTripsPerSecond: number
  ratio: number
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
      trace: makeActorTracer(definition, id, recorder),
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

export async function benchTcpPingPong(roundTrips = 20_000): Promise<PingPongResult> {
  // Warm both paths up first so neither pays for JIT compilation in its measured run.
  await bare(2000)
  await actors(2000)
  const bareRates: number[] = []
  const actorRates: number[] = []
  let events = 0
  // Five runs each, interleaved so a noisy moment hits both alike; each side is scored by
  // its fastest run, the usual way to read throughput on a shared machine.
  for (let i = 0; i < 5; i++) {
    bareRates.push(await bare(roundTrips))
    const a = await actors(roundTrips)
    actorRates.push(a.rate)
    events = a.events
  }
  const bareRate = Math.max(...bareRates)
  const actorRate = Math.max(...actorRates)
  return {
    roundTrips,
    bareRoundTripsPerSecond: Math.round(bareRate),
    actorRoundTripsPerSecond: Math.round(actorRate),
    ratio: Math.round((actorRate / bareRate) * 1000) / 1000,
    traceEvents: events,
  }
}
