import { createHash, randomBytes } from 'node:crypto'
import { connect, type Socket } from 'node:net'

/**
 * Clients that speak HTTP and WebSocket by hand, so tests can send what no well-behaved
 * library would: broken request lines, unmasked frames, bad UTF-8, reserved bits.
 */

/** Sends `request` as is and resolves with whatever came back before the socket closed. */
export function rawRequest(port: number, request: string | Buffer, waitMs = 2000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    const done = () => {
      clearTimeout(timer)
      socket.destroy()
      resolve(Buffer.concat(chunks).toString('latin1'))
    }
    const timer = setTimeout(done, waitMs)
    socket.on('data', (c) => {
      chunks.push(c)
      // One answer is all these tests need; a kept-alive socket would wait for the timer.
      if (Buffer.concat(chunks).includes('\r\n\r\n')) setImmediate(done)
    })
    socket.on('error', done)
    socket.on('close', done)
    socket.write(request)
  })
}

export function statusOf(response: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0)
}

/** A WebSocket opened by hand with the right token, Host and Origin; the socket after the 101. */
export function rawWebSocket(port: number, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const key = randomBytes(16).toString('base64')
    const socket = connect(port, '127.0.0.1')
    socket.once('error', reject)
    let seen = Buffer.alloc(0)
    const onData = (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk])
      const end = seen.indexOf('\r\n\r\n')
      if (end < 0) return
      socket.off('data', onData)
      const head = seen.subarray(0, end).toString('latin1')
      const accept = createHash('sha1')
        .update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11')
        .digest('base64')
      if (!head.startsWith('HTTP/1.1 101') || !head.includes(accept)) {
        socket.destroy()
        return reject(new Error(`no upgrade: ${head.split('\r\n')[0]}`))
      }
      socket.off('error', reject)
      resolve(socket)
    }
    socket.on('data', onData)
    socket.write(
      `GET /ipc?token=${token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
        `Origin: http://127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    )
  })
}

export interface FrameSpec {
  fin?: boolean
  rsv?: number
  opcode: number
  masked?: boolean
  payload: Buffer
  /** Claim a length other than the payload's (for oversized headers). */
  declaredLength?: number
}

/** One frame, as RFC 6455 lays it out. */
export function frame(spec: FrameSpec): Buffer {
  const { fin = true, rsv = 0, opcode, masked = true, payload } = spec
  const length = spec.declaredLength ?? payload.length
  const head: number[] = [(fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f)]
  const maskBit = masked ? 0x80 : 0
  if (length < 126) head.push(maskBit | length)
  else if (length < 65536) head.push(maskBit | 126, length >> 8, length & 0xff)
  else {
    const big = Buffer.alloc(8)
    big.writeBigUInt64BE(BigInt(length))
    head.push(maskBit | 127, ...big)
  }
  if (!masked) return Buffer.concat([Buffer.from(head), payload])
  const mask = randomBytes(4)
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!))
  return Buffer.concat([Buffer.from(head), mask, body])
}

/** Resolves once the peer closed the socket (or after `ms`, with false). */
export function closedWithin(socket: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve(true)
    const timer = setTimeout(() => resolve(false), ms)
    socket.on('data', () => undefined)
    socket.once('close', () => {
      clearTimeout(timer)
      resolve(true)
    })
    socket.once('error', () => undefined)
  })
}
