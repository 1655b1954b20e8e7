import type { ActorOptions } from '@shared/actors'
import type { ActorKind } from '@shared/lab'
import type { TraceEvent } from '@shared/trace'

/** What an actor tells the trace; the session adds seq and time. */
export type ActorTraceInput = Omit<
  TraceEvent,
  'seq' | 't' | 'actor' | 'actorKind' | 'role' | 'proto' | 'level' | 'anchor'
> & {
  level?: TraceEvent['level']
  /** Anchor name in the actor's own reference file. */
  at?: string
  /**
   * When the call happened (a performance.now() reading), if the actor already took one:
   * reading the clock costs as much as recording the event, and this is the hot path.
   */
  now?: number
}

export interface ActorContext {
  id: string
  host: string
  port: number
  options: ActorOptions
  trace(event: ActorTraceInput): unknown
  /**
   * For a call made once per packet (recv and send on one connection): its fixed fields are
   * given once, and each call then passes only what varies. It records the same events as
   * trace(), for less: this is the round trip's hot path (`npm run bench -- pingpong`).
   */
  prepare(call: PreparedCallInput): RecordCall
}

/** A call to prepare: everything but what varies from one packet to the next. */
export type PreparedCallInput = Omit<ActorTraceInput, 'bytes' | 'payload' | 'rttMs' | 'now'>

/** Records one more prepared call, made at `now` (a performance.now() reading). */
export type RecordCall = (now: number, bytes: number, payload: string, rttMs?: number) => void

/** How an actor ended. `failed` carries the student-readable reason. */
export type ActorOutcome =
  | { state: 'finished'; message?: string }
  | { state: 'stopped' }
  | { state: 'failed'; message: string }

export interface RunningActor {
  /** Settles when the actor is ready: a server is listening/bound, a client has started. */
  ready: Promise<void>
  /** Settles once every socket and timer of the actor is closed. Never rejects. */
  done: Promise<ActorOutcome>
  /** Close everything now. Resolves when closed. */
  stop(): Promise<void>
  /**
   * Actors a student drives by hand (the raw console) send what they are given; the others
   * leave this out. Returns the bytes sent; throws an Error with a student-readable message.
   */
  send?(text: string): Promise<number>
}

/** How to run one kind; what it is (role, protocol, options) is in the actor catalogue. */
export interface ActorDefinition {
  kind: ActorKind
  /** The Python reference program whose lines the anchors name. */
  file: string
  start(ctx: ActorContext): RunningActor
}

/** A promise with its resolve function, for "settle once from whichever callback fires". */
export function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

export const PING = 'PING'
export const PONG = 'PONG'
export const BAD_REQUEST_REPLY = 'ERROR expected PING'

/** The ping-pong server's answer to one message, the same rule as the Python servers. */
export function replyTo(message: string): string {
  return message.trim() === PING ? PONG : BAD_REQUEST_REPLY
}
