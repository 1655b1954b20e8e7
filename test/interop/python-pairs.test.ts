import { createSocket } from 'node:dgram'
import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import {
  exactLine,
  freeTcpPort,
  freeUdpPort,
  linesMatching,
  runPython,
  stopAllPython,
  tcpReady,
  udpReady,
} from './python'

// The Python reference programs of the ping-pong lab, run against each other (and against
// a bare Node socket speaking the protocol), exactly as a student runs them in two terminals.

afterEach(stopAllPython)

const PONG_LINE = /^ping [1-5]: PONG (from 127\.0\.0\.1:\d+ )?in \d+\.\d+ ms$/

describe('TCP: tcp_client.py against tcp_server.py', () => {
  it('makes 5 round trips over one connection, then the server sees end-of-stream and exits', async () => {
    const port = await freeTcpPort()
    const server = runPython('tcp_server.py', [port])
    await server.waitForLine(tcpReady(port))

    const client = runPython('tcp_client.py', [port])
    const clientExit = await client.exited
    expect(clientExit.code, client.transcript()).toBe(0)
    expect(linesMatching(client.stdout, PONG_LINE), client.transcript()).toHaveLength(5)
    expect(client.stdout).toContain('client closed')

    const serverExit = await server.exited
    expect(serverExit.code, server.transcript()).toBe(0)
    // One accept, five answers, then end of stream, all on the one connection.
    expect(
      linesMatching(server.stdout, /^accepted a connection from 127\.0\.0\.1:\d+$/),
    ).toHaveLength(1)
    expect(linesMatching(server.stdout, /^received b'PING', replied b'PONG'$/)).toHaveLength(5)
    expect(server.stdout).toMatch(/end of stream/)
    expect(server.stdout).toContain('server closed, bye')
    expect(server.stderr).toBe('')
  })

  it('the server answers PING (even with a newline) and reports anything else as an error', async () => {
    const port = await freeTcpPort()
    const server = runPython('tcp_server.py', [port])
    await server.waitForLine(tcpReady(port))

    const socket = connect({ host: '127.0.0.1', port, noDelay: true })
    const replies: string[] = []
    const ask = (message: string) =>
      new Promise<void>((resolve) => {
        socket.once('data', (data) => {
          replies.push(data.toString('utf8'))
          resolve()
        })
        socket.write(message)
      })
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
    await ask('PING\n')
    await ask('HELLO')
    await ask('PING')
    socket.end()

    expect(replies).toEqual(['PONG', 'ERROR expected PING', 'PONG'])
    const exit = await server.exited
    expect(exit.code, server.transcript()).toBe(0)
    expect(server.stdout).toMatch(/end of stream/)
  })

  it('the client reports "connection refused" and exits 1 when no server listens', async () => {
    const port = await freeTcpPort()
    const client = runPython('tcp_client.py', [port])
    const exit = await client.exited
    expect(exit.code, client.transcript()).toBe(1)
    expect(client.stdout).toContain(`connection refused: nothing is listening on 127.0.0.1:${port}`)
    expect(client.stderr).toBe('')
  })
})

describe('UDP: udp_client.py against udp_server.py', () => {
  it('gets 5 PONGs, each sent to the address recvfrom returned; Ctrl+C stops the server cleanly', async () => {
    const port = await freeUdpPort()
    const server = runPython('udp_server.py', [port])
    await server.waitForLine(udpReady(port))

    const client = runPython('udp_client.py', [port])
    const clientExit = await client.exited
    expect(clientExit.code, client.transcript()).toBe(0)
    const pongs = linesMatching(client.stdout, PONG_LINE)
    expect(pongs, client.transcript()).toHaveLength(5)
    // Every PONG came from the server's own address.
    for (const line of pongs) expect(line).toContain(`from 127.0.0.1:${port} `)
    expect(client.stdout).not.toMatch(/timeout/)

    // All five datagrams came from one client port, and were answered there.
    // The server prints after replying, so its last line may still be on its way.
    const served = await server.waitForLines(/^from 127\.0\.0\.1:\d+: b'PING', replied b'PONG'$/, 5)
    expect(new Set(served).size).toBe(1)

    // The UDP server runs until Ctrl+C: it is still running now, and SIGINT ends it quietly.
    expect(server.running).toBe(true)
    const serverExit = await server.stop('SIGINT')
    expect(serverExit.code, server.transcript()).toBe(0)
    expect(server.stdout).toContain('stopped with Ctrl+C')
    expect(server.stdout).toContain('server closed, bye')
    expect(server.stderr).toBe('')
  })

  it('the server replies to whoever sent the datagram, with PONG or an error', async () => {
    const port = await freeUdpPort()
    const server = runPython('udp_server.py', [port])
    await server.waitForLine(udpReady(port))

    const socket = createSocket('udp4')
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
    const me = `127.0.0.1:${socket.address().port}`
    const ask = (message: string) =>
      new Promise<{ text: string; from: string }>((resolve) => {
        socket.once('message', (data, rinfo) =>
          resolve({ text: data.toString('utf8'), from: `${rinfo.address}:${rinfo.port}` }),
        )
        socket.send(message, port, '127.0.0.1')
      })
    try {
      expect(await ask('PING')).toEqual({ text: 'PONG', from: `127.0.0.1:${port}` })
      expect(await ask('ping?')).toEqual({ text: 'ERROR expected PING', from: `127.0.0.1:${port}` })
      expect(await ask(' PING\n')).toEqual({ text: 'PONG', from: `127.0.0.1:${port}` })
    } finally {
      await new Promise<void>((resolve) => socket.close(() => resolve()))
    }
    // The server saw our address in recvfrom(), and that is where its replies came to.
    // (It prints after replying, so wait for the lines rather than read them at once.)
    await server.waitForLine(exactLine(`from ${me}: b'PING', replied b'PONG'`))
    await server.waitForLine(exactLine(`from ${me}: b'ping?', replied b'ERROR expected PING'`))
    expect((await server.stop('SIGINT')).code).toBe(0)
  })

  it(
    'the client times out 5 times with no server, and still finishes',
    { timeout: 30_000 },
    async () => {
      const port = await freeUdpPort()
      const client = runPython('udp_client.py', [port])
      const exit = await client.exited
      expect(exit.code, client.transcript()).toBe(0)
      // Linux reports nothing for an unconnected UDP socket, so these are timeouts; other
      // systems may report "port unreachable", which the client handles the same way.
      const gaveUp = linesMatching(
        client.stdout,
        /^ping [1-5]: (no reply within 2 s \(timeout\)|port unreachable, no server on that port) - going on$/,
      )
      expect(gaveUp, client.transcript()).toHaveLength(5)
      expect(client.stdout).toContain('client closed')
      expect(client.stderr).toBe('')
    },
  )
})

describe('command line', () => {
  it.each(['tcp_server.py', 'tcp_client.py', 'udp_server.py', 'udp_client.py'])(
    '%s prints a usage line and exits 2 on a bad port',
    async (file) => {
      const program = runPython(file, ['not-a-port'])
      const exit = await program.exited
      expect(exit.code).toBe(2)
      expect(program.stdout).toMatch(
        new RegExp(`^usage: python3 ${file.replace('.', '\\.')} \\[port\\]`),
      )
    },
  )

  it('a server reports a port that is already taken instead of crashing', async () => {
    const port = await freeTcpPort()
    const first = runPython('tcp_server.py', [port])
    await first.waitForLine(tcpReady(port))
    const second = runPython('tcp_server.py', [port])
    const exit = await second.exited
    expect(exit.code, second.transcript()).toBe(1)
    expect(second.stdout).toMatch(new RegExp(`^cannot bind 127\\.0\\.0\\.1:${port}: `, 'm'))
    expect(second.stderr).toBe('')
  })
})
