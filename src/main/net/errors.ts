/** Turn a Node socket error into a sentence a student can act on. */
export function explainSocketError(error: unknown, where: { host: string; port: number }): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const at = `${where.host}:${where.port}`
  switch (code) {
    case 'EADDRINUSE':
      return `Port ${where.port} is already in use on ${where.host}: another program (perhaps a server you started earlier, or your own Python script) is bound to it. Stop that program or choose another port.`
    case 'EACCES':
      return `Permission denied binding ${at}: ports below 1024 are privileged. Choose a port from 1024 to 65535.`
    case 'EADDRNOTAVAIL':
      return `${where.host} is not an address of this machine, so nothing can bind to it. Use 127.0.0.1.`
    case 'ECONNREFUSED':
      return `Connection refused by ${at}: nothing is listening there. Start the server first (or check the port).`
    case 'ECONNRESET':
      return `The connection to ${at} was reset: the other side closed it abruptly.`
    case 'EPIPE':
      return `The other side of ${at} has already closed the connection, so the data could not be sent.`
    case 'ETIMEDOUT':
      return `Connecting to ${at} timed out.`
    default: {
      const text = error instanceof Error ? error.message : String(error)
      return `Socket error at ${at}: ${text}`
    }
  }
}

export function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code
}
