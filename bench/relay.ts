import { createSocket, type Socket } from 'node:dgram'
import { once } from 'node:events'
import { ActorOptionsSchema } from '../src/shared/actors'
import { udpRelay } from '../src/main/net/relays/udp-relay'
import { makeActorTracer } from '../src/main/session/actor-tracer'
import { TraceRecorder } from '../src/main/session/trace-recorder'

const HOST = '127.0.0.1'

export interface PathResult {
  roundTripsPerSecond: number
  p50Ms: number
  p99Ms: number
}

export interface RelayResult {
  roundTrips: number
  direct: PathResult
  relay: PathResult
  /** A bare forwarder (plain dgram, no engine, no tracing) over the same four hops. */
  bareForwarder: PathResult
  /** Datagrams the relay forwarded per second (a request and its reply are two). */
  relayDatagramsPerSecond: number
  addedP50Ms: number
  addedP99Ms: number
  traceEvents: number
}

async function udpSocket(): Promise<Socket> {
  const socket = createSocket('udp4')
  socket.bind(0, HOST)
  await once(socket, 'listening')
  return socket
}

/** A bare echo server: what both paths talk to, so only the relay differs between them. */
async function echoServer(): Promise<Socket> {
  const server = await udpSocket()
  server.on('message', (data, rinfo) => server.send(data, rinfo.port, rinfo.address))
  return server
}

/** The least a relay can do: forward both ways for one client, nothing else. */
async function bareForwarder(targetPort: number) {
  const listener = await udpSocket()
  const upstream = await udpSocket()
  let client: { port: number; address: string } | undefined
  listener.on('message', (data, rinfo) => {
    client = rinfo
    upstream.send(data, targetPort, HOST)
  })
  upstream.on('message', (data) => client && listener.send(data, client.port, client.address))
  return {
    port: listener.address().port,
    close() {
      listener.close()
      upstream.close()
    },
  }
}

/** `n` request-reply exchanges, one at a time, from a bare client to HOST:port. */
async function exchanges(port: number, n: number): Promise<{ seconds: number; rtts: number[] }> {
  const client = await udpSocket()
  const rtts: number[] = []
  const started = performance.now()
  await new Promise<void>((resolve) => {
    let sentAt = 0
    let i = 0
    const send = () => {
      sentAt = performance.now()
      client.send(`PING ${++i}`, port, HOST)
    }
    client.on('message', () => {
      rtts.push(performance.now() - sentAt)
      if (i === n) resolve()
      else send()
    })
    send()
  })
  const seconds = (performance.now() - started) / 1000
  client.close()
  return { seconds, rtts }
}

function summarize(runs: { seconds: number; rtts: number[] }[], n: number): PathResult {
  const rtts = runs.flatMap((r) => r.rtts).sort((a, b) => a - b)
  const at = (q: number) => rtts[Math.min(rtts.length - 1, Math.floor(q * rtts.length))] ?? 0
  const rate = Math.max(...runs.map((r) => n / r.seconds))
  return {
    roundTripsPerSecond: Math.round(rate),
    p50Ms: round3(at(0.5)),
    p99Ms: round3(at(0.99)),
  }
}

const round3 = (x: number) => Math.round(x * 1000) / 1000

/**
 * The impairment relay with no impairment, tracing on, against a direct send in the same run:
 * the same bare client and echo server, request-reply one at a time over loopback.
 */
export async function benchRelay(roundTrips = 20_000): Promise<RelayResult> {
  const server = await echoServer()
  const serverPort = server.address().port
  const probe = await udpSocket()
  const relayPort = probe.address().port
  probe.close()
  let delivered = 0
  const recorder = new TraceRecorder((batch) => (delivered += batch.length))
  const relay = udpRelay.start({
    id: 'udp-relay#1',
    host: HOST,
    port: relayPort,
    options: { ...ActorOptionsSchema.parse({}), targetPort: serverPort, seed: 1 },
    ...makeActorTracer(udpRelay, 'udp-relay#1', recorder),
  })
  await relay.ready
  const bare = await bareForwarder(serverPort)

  // Warm both paths up so neither pays for JIT compilation in its measured runs.
  await exchanges(serverPort, 5000)
  await exchanges(relayPort, 5000)
  await exchanges(bare.port, 5000)
  const direct: { seconds: number; rtts: number[] }[] = []
  const relayed: { seconds: number; rtts: number[] }[] = []
  const bareRuns: { seconds: number; rtts: number[] }[] = []
  // Interleaved, so a noisy moment on a shared machine hits both alike.
  for (let i = 0; i < 3; i++) {
    direct.push(await exchanges(serverPort, roundTrips))
    relayed.push(await exchanges(relayPort, roundTrips))
    bareRuns.push(await exchanges(bare.port, roundTrips))
  }
  await relay.stop()
  recorder.dispose()
  bare.close()
  server.close()

  const d = summarize(direct, roundTrips)
  const r = summarize(relayed, roundTrips)
  return {
    roundTrips,
    direct: d,
    relay: r,
    bareForwarder: summarize(bareRuns, roundTrips),
    relayDatagramsPerSecond: 2 * r.roundTripsPerSecond,
    addedP50Ms: round3(r.p50Ms - d.p50Ms),
    addedP99Ms: round3(r.p99Ms - d.p99Ms),
    traceEvents: delivered,
  }
}
