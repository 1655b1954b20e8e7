import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { createServer } from 'node:net'
import { createSocket } from 'node:dgram'

export interface RunningHost {
  url: string
  port: number
  userDataDir: string
  notice?: string
  stop(): Promise<void>
}

const root = join(import.meta.dirname, '..')

/** A fresh user data folder per test, like a student's first launch. */
export async function makeUserDataDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'socket-labs-e2e-'))
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

/** Start the built browser host as `npm start` would, on a free port; resolves once it prints its address. */
export async function startHost(
  userDataDir: string,
  extraArgs: string[] = [],
): Promise<RunningHost> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(root, 'out/main/host.js'),
      '--port',
      '0',
      '--user-data',
      userDataDir,
      '--json',
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let stderr = ''
  child.stderr!.on('data', (d) => (stderr += d))
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  )
  const lines = createInterface({ input: child.stdout! })
  const first = await Promise.race([
    new Promise<string>((resolve) => lines.once('line', resolve)),
    exited.then((code) => {
      throw new Error(`The host exited (${code}) before printing its address: ${stderr}`)
    }),
  ])
  const info = JSON.parse(first) as { url: string; port: number; notice?: string }
  return {
    ...info,
    userDataDir,
    async stop() {
      if (child.exitCode !== null) return
      child.kill('SIGTERM')
      await exited
    },
  }
}

/** A port nobody uses right now, free for both TCP and UDP on 127.0.0.1. */
export async function freeLabPort(): Promise<number> {
  for (;;) {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as { port: number }).port
    await new Promise<void>((resolve) => server.close(() => resolve()))
    const udp = createSocket('udp4')
    const udpFree = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false))
      udp.bind(port, '127.0.0.1', () => resolve(true))
    })
    await new Promise<void>((resolve) => udp.close(() => resolve()))
    if (udpFree) return port
  }
}
