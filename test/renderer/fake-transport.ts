import type { Transport } from '@shared/client-api'
import {
  parseInvokeArgs,
  type EventChannel,
  type EventPayloads,
  type InvokeChannel,
  type InvokeParsedArgs,
  type InvokeResult,
  type Reply,
} from '@shared/ipc'

type Handler<C extends InvokeChannel> = (
  args: InvokeParsedArgs<C>,
) => InvokeResult<C> | Promise<InvokeResult<C>>

/** Thrown by a handler to answer with an error envelope. */
export class HostError extends Error {
  constructor(
    readonly code: 'bad-request' | 'not-found' | 'failed' | 'forbidden',
    message: string,
  ) {
    super(message)
  }
}

/**
 * An in-memory host: handlers per invoke channel (arguments validated with the shared
 * schemas, like main does) and `emit` to push events to the renderer.
 */
export class FakeTransport implements Transport {
  readonly calls: { channel: InvokeChannel; args: unknown }[] = []
  private readonly handlers = new Map<InvokeChannel, (args: unknown) => unknown>()
  private readonly listeners = new Map<EventChannel, Set<(payload: unknown) => void>>()

  handle<C extends InvokeChannel>(channel: C, handler: Handler<C>): this {
    this.handlers.set(channel, handler as (args: unknown) => unknown)
    return this
  }

  async invoke(channel: InvokeChannel, args: unknown): Promise<Reply<unknown>> {
    this.calls.push({ channel, args })
    const parsed = parseInvokeArgs(channel, args)
    if (!parsed.ok) return { ok: false, error: parsed.error }
    const handler = this.handlers.get(channel)
    if (!handler) return { ok: false, error: { code: 'not-found', message: `No ${channel}` } }
    try {
      return { ok: true, value: await handler(parsed.value) }
    } catch (err) {
      if (err instanceof HostError)
        return { ok: false, error: { code: err.code, message: err.message } }
      return { ok: false, error: { code: 'failed', message: String(err) } }
    }
  }

  subscribe(channel: EventChannel, listener: (payload: unknown) => void): () => void {
    let set = this.listeners.get(channel)
    if (!set) {
      set = new Set()
      this.listeners.set(channel, set)
    }
    set.add(listener)
    return () => set.delete(listener)
  }

  emit<E extends EventChannel>(channel: E, payload: EventPayloads[E]): void {
    for (const listener of this.listeners.get(channel) ?? []) listener(payload)
  }

  listenerCount(channel: EventChannel): number {
    return this.listeners.get(channel)?.size ?? 0
  }
}
