import { previewPayload } from '@shared/trace'
import type { ActorDefinition } from '../actor'
import { PONG } from '../actor'
import { numberedPing, parsePong, pythonSeconds } from './numbered-ping'
import { startUdpClient, type UdpClientRun } from '../udp/udp-client-run'
import type { Datagram } from '../udp/udp-inbox'

/** How the PINGs of one run ended, for the outcome line. */
interface Tally {
  replies: number
  lost: number
  late: number
  duplicates: number
}

/** "20 PINGs: 14 replies, 6 lost" (and the late and duplicate replies when there were any). */
export function summarize(count: number, t: Tally): string {
  const parts = [`${t.replies} ${t.replies === 1 ? 'reply' : 'replies'}`, `${t.lost} lost`]
  if (t.late) parts.push(`${t.late} late`)
  if (t.duplicates) parts.push(`${t.duplicates} ${t.duplicates === 1 ? 'duplicate' : 'duplicates'}`)
  return `${count} ${count === 1 ? 'PING' : 'PINGs'}: ${parts.join(', ')}`
}

/**
 * Lab 4's client, like lossy_client.py: `PING n` for n = 1..count, each followed by
 * recvfrom() with the timeout. A timeout counts the PING as lost and the client goes on. A
 * reply is matched by its number: `PONG n` answers the current PING; a `PONG k` for an
 * earlier PING that timed out is late, a second copy of one already received is a duplicate;
 * both are traced and ignored, and the client keeps waiting for the rest of the timeout.
 * With timeoutMs 0 (settimeout(None)) recvfrom() blocks until a reply comes or Stop.
 */
export const lossyClient: ActorDefinition = {
  kind: 'lossy-client',
  file: 'lossy_client.py',
  start(ctx) {
    const { count, timeoutMs } = ctx.options
    const tally: Tally = { replies: 0, lost: 0, late: 0, duplicates: 0 }
    /** PING numbers a reply has already come for (answer or late). */
    const received = new Set<number>()

    return startUdpClient(ctx, {
      settimeoutMessage:
        timeoutMs > 0
          ? `settimeout(${pythonSeconds(timeoutMs)}): recvfrom() gives up after ${timeoutMs / 1000} s`
          : 'settimeout(None): recvfrom() waits until a reply comes',
      async run(client) {
        const { local } = client
        for (let n = 1; n <= count; n++) {
          if (client.stopped || !(await exchange(client, n))) {
            ctx.trace({ op: 'close', local, at: 'close' })
            return { state: 'stopped' }
          }
          if (n < count) await client.pause()
        }
        ctx.trace({ op: 'close', local, at: 'close' })
        return { state: 'finished', message: summarize(count, tally) }
      },
    })

    /** Trace a reply that is not the answer to PING n; returns nothing, the wait goes on. */
    function ignore({ local }: UdpClientRun, reply: Datagram, n: number) {
      const payload = previewPayload(reply.data)
      const base = {
        op: 'recvfrom',
        local,
        remote: reply.from,
        bytes: reply.data.length,
        payload,
        at: 'recvfrom',
      } as const
      const k = parsePong(reply.data.toString('utf8'))
      if (k !== undefined && received.has(k)) {
        tally.duplicates++
        ctx.trace({
          ...base,
          tag: 'duplicate',
          level: 'warn',
          message: `duplicate reply to PING ${k} — ignored`,
        })
      } else if (k !== undefined && k < n) {
        received.add(k)
        tally.late++
        ctx.trace({
          ...base,
          tag: 'late',
          level: 'warn',
          message: `late reply to PING ${k} (already timed out) — ignored`,
        })
      } else {
        ctx.trace({
          ...base,
          level: 'warn',
          message: `unexpected reply while waiting for PONG ${n} — ignored`,
        })
      }
    }

    /** Send PING n and wait for its answer; false when the client was stopped meanwhile. */
    async function exchange(client: UdpClientRun, n: number): Promise<boolean> {
      const { inbox, local, remote } = client
      const ping = numberedPing(n)
      const sentAt = performance.now()
      ctx.trace({
        op: 'sendto',
        local,
        remote,
        bytes: ping.length,
        payload: ping,
        at: 'sendto',
        now: sentAt,
      })
      inbox.send(ping, ctx.port, ctx.host)
      for (;;) {
        // Late and duplicate replies do not restart the clock: the timeout is per PING.
        const left = timeoutMs > 0 ? Math.max(1, timeoutMs - (performance.now() - sentAt)) : 0
        const reply = await inbox.receive(left)
        if (reply === null || client.stopped) {
          if (timeoutMs === 0) {
            ctx.trace({
              op: 'note',
              local,
              level: 'warn',
              at: 'recvfrom',
              message: `cancelled while blocked in recvfrom() waiting for PONG ${n}`,
            })
          }
          return false
        }
        if (reply === 'timeout') {
          tally.lost++
          client.traceTimeout(n, 'counted as lost, going on')
          return true
        }
        const text = reply.data.toString('utf8')
        const k = parsePong(text)
        // A course-style server answers a plain PONG: counted as the answer to this PING
        // (without a number it cannot be told from a late one).
        const plain = k === undefined && text.trim() === PONG
        if ((k === n || plain) && !received.has(n)) {
          received.add(n)
          tally.replies++
          client.traceAnswer(reply, sentAt)
          return true
        }
        ignore(client, reply, n)
      }
    }
  },
}
