import { once } from 'node:events'
import { connect, type Socket } from 'node:net'
import { afterEach } from 'vitest'

const open: LineClient[] = []
afterEach(() => {
  for (const c of open.splice(0)) c.socket.destroy()
})

/**
 * A test client for the line protocols: sends text, hands out the server's reply lines in
 * order as they arrive, and tells when the server has closed. Destroyed after each test.
 */
export class LineClient {
  readonly lines: string[] = []
  private taken = 0
  private buffered = ''
  private waiter: (() => void) | undefined
  readonly ended: Promise<void>

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      this.buffered += chunk
      for (let nl = this.buffered.indexOf('\n'); nl !== -1; nl = this.buffered.indexOf('\n')) {
        this.lines.push(this.buffered.slice(0, nl))
        this.buffered = this.buffered.slice(nl + 1)
      }
      this.waiter?.()
    })
    socket.on('error', () => undefined)
    this.ended = new Promise((resolve) =>
      socket.once('close', () => {
        this.waiter?.()
        resolve()
      }),
    )
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<LineClient> {
    const socket = connect({ host, port })
    const client = new LineClient(socket)
    open.push(client)
    await once(socket, 'connect')
    return client
  }

  send(text: string | Buffer): void {
    this.socket.write(text)
  }

  /** The next reply line not handed out yet; rejects if the server closes first. */
  async next(): Promise<string> {
    await this.received(this.taken + 1)
    return this.lines[this.taken++]!
  }

  /** Resolves once `count` lines have arrived in all; rejects if the connection closes first. */
  async received(count: number): Promise<void> {
    while (this.lines.length < count) {
      if (this.socket.destroyed) throw new Error(`closed; lines so far: ${this.lines.join(' | ')}`)
      await new Promise<void>((resolve) => (this.waiter = resolve))
    }
  }

  /** Send one line and wait for the one reply line. */
  async request(line: string): Promise<string> {
    this.send(line + '\n')
    return this.next()
  }
}
