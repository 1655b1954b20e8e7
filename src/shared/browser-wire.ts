import { z } from 'zod'
import type { EventChannel, InvokeChannel, Reply } from './ipc'

/**
 * Messages over the browser host's WebSocket. The browser bridge is the preload's twin:
 * it turns these into the same Transport the Electron preload provides.
 */
export const BROWSER_WS_PATH = '/ipc'
/** Query parameter that carries the per-run token, on the page URL and the WebSocket URL. */
export const TOKEN_PARAM = 'token'

/**
 * Largest invoke a page may send. The largest legal one (50 checks at the schema's longest,
 * every character escaped in JSON) is about 640 KB; test/host/message-limit.test.ts builds
 * it from the schemas, so this limit and the schemas cannot drift apart.
 */
export const MAX_INVOKE_BYTES = 1024 * 1024

export const InvokeMessageSchema = z.object({
  type: z.literal('invoke'),
  id: z.number().int().nonnegative(),
  channel: z.string(),
  args: z.unknown(),
})
export type InvokeMessage = z.infer<typeof InvokeMessageSchema> & { channel: InvokeChannel }

export interface ReplyMessage {
  type: 'reply'
  id: number
  reply: Reply<unknown>
}

export interface EventMessage {
  type: 'event'
  channel: EventChannel
  payload: unknown
}

export type HostMessage = ReplyMessage | EventMessage
