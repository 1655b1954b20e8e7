import type { Socket } from 'node:net'

/**
 * A cap on the host's open TCP connections that a flood cannot use to lock the real page
 * out: connections that have not yet shown the token are the first to go. When a new one
 * arrives with every place taken, the oldest untrusted one is closed, so a tab that comes
 * (with its token) always gets in, and the page's own WebSocket is never touched.
 */
export class ConnectionGate {
  /** In arrival order, oldest first (a Set keeps insertion order). */
  private readonly untrusted = new Set<Socket>()
  private readonly trusted = new Set<Socket>()

  constructor(readonly max: number) {}

  get size(): number {
    return this.untrusted.size + this.trusted.size
  }

  admit(socket: Socket): void {
    this.untrusted.add(socket)
    socket.once('close', () => {
      this.untrusted.delete(socket)
      this.trusted.delete(socket)
    })
    while (this.size > this.max) {
      const oldest = this.untrusted.values().next().value
      if (!oldest) break // Every place is a trusted page: let the kernel's limits decide.
      this.untrusted.delete(oldest)
      oldest.destroy()
    }
  }

  /** The connection showed the token: it is one of our pages. */
  trust(socket: Socket): void {
    if (this.untrusted.delete(socket)) this.trusted.add(socket)
  }
}
