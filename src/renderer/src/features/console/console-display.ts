import type { ActorStatus } from '@shared/actors'
import { decodeEscapes } from '@shared/checks'

/** How a console card names and describes its actor. */
type Console = Pick<ActorStatus, 'kind' | 'address' | 'state'>

/** Still talking: the student can send and close. */
export function isOpen(c: Pick<Console, 'state'>): boolean {
  return c.state === 'running' || c.state === 'starting'
}

/** "TCP 127.0.0.1:50020" */
export function consoleTitle(c: Pick<Console, 'kind' | 'address'>): string {
  return `${c.kind === 'tcp-console' ? 'TCP' : 'UDP'} ${c.address}`
}

/** The state pill's word: a TCP console is connected, a UDP socket open. */
export function consoleStateLabel(c: Pick<Console, 'kind' | 'state'>): string {
  if (c.state === 'running') return c.kind === 'tcp-console' ? 'connected' : 'open'
  if (c.state === 'starting') return 'opening'
  if (c.state === 'failed') return 'failed'
  return 'closed'
}

/** What a typed message sends: its escapes decoded, a \n appended if ticked; never nothing. */
export function outgoingText(
  typed: string,
  newline: boolean,
): { ok: true; text: string } | { ok: false; message: string } {
  const text = decodeEscapes(typed) + (newline ? '\n' : '')
  if (text === '') {
    return {
      ok: false,
      message: 'Type something to send (or tick “append \\n” to send an empty line).',
    }
  }
  return { ok: true, text }
}
