import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ActorStatus } from '@shared/actors'
import type { ProgramStatus } from '@shared/workspace'
import { freeUdpPort } from '../helpers'
import { harness, labsDir, type Harness } from './core-harness'

// The Lossy UDP lab's last step through the IPC channels: the student's client against the
// app's lossy server, which drops the reply to the second PING.

const CHECKPOINT = 'lossy-your-client'
const LAB = 'lossy-udp'

async function startServer(h: Harness, dropList: number[]): Promise<number> {
  const port = await freeUdpPort()
  const server = await h.invoke<ActorStatus>('actor:start', {
    labId: LAB,
    kind: 'lossy-server',
    host: '127.0.0.1',
    port,
    options: { dropList },
  })
  expect(server.state).toBe('running')
  return port
}

async function runClient(h: Harness, solve: boolean, port?: number) {
  port ??= await startServer(h, [2])
  await h.invoke('workspace:start', { labId: LAB, from: 'exercise' })
  let text = (
    await h.invoke<{ text: string }>('workspace:read', { labId: LAB, name: 'lossy_client.py' })
  ).text
    .replace('SERVER = ("127.0.0.1", 50011)', `SERVER = ("127.0.0.1", ${port})`)
    .replace('PINGS = 10', 'PINGS = 3')
    .replace('TIMEOUT_SECONDS = 2.0', 'TIMEOUT_SECONDS = 0.3')
  if (solve) {
    text = text.replace(
      '        data, sender = client.recvfrom(BUFFER_SIZE)\n',
      '        try:\n            data, sender = client.recvfrom(BUFFER_SIZE)\n        except socket.timeout:\n            print(f"ping {number}: no reply", flush=True)\n            continue\n',
    )
    expect(text).toContain('except socket.timeout')
  }
  await h.write(LAB, 'lossy_client.py', text)
  const status = await h.invoke<ProgramStatus>('program:run', {
    labId: LAB,
    name: 'lossy_client.py',
  })
  const exited = await h.exited(status.programId)
  const { checkpoints } = await h.invoke<{
    checkpoints: { id: string; passed: boolean; reason: string }[]
  }>('session:open', { labId: LAB })
  return { exited, mine: checkpoints.find((c) => c.id === CHECKPOINT)! }
}

describe('the lossy-client exercise, run in the app', () => {
  it('as it is, ends at the first lost reply with the traceback at its recvfrom() line', async () => {
    const h = await harness()
    const { exited, mine } = await runClient(h, false)
    const line =
      readFileSync(join(labsDir, LAB, 'exercises/lossy_client.py'), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('client.recvfrom(BUFFER_SIZE)')) + 1
    expect(exited.exit).toMatchObject({ code: 1, failure: { file: 'lossy_client.py', line } })
    expect(exited.exit?.failure?.exception).toMatch(/TimeoutError|timeout/)
    expect(mine.passed).toBe(false)
    expect(mine.reason).toMatch(/catch socket\.timeout/)
  })

  it('as it is, run twice, does not pass: the second run’s reply is not the first run’s going on', async () => {
    const h = await harness()
    // The server drops its 2nd reply: the first run crashes there, the second run gets the
    // reply to its first PING (the server's 3rd) and then crashes at its own 2nd (the 4th).
    const port = await startServer(h, [2, 4])
    const first = await runClient(h, false, port)
    expect(first.exited.exit?.code).toBe(1)
    const second = await runClient(h, false, port)
    expect(second.exited.exit?.code).toBe(1)
    expect(h.output(second.exited.programId)).toMatch(/ping 1: PONG/)
    expect(second.mine.passed).toBe(false)
    expect(second.mine.reason).toMatch(/A reply in another run does not count/)
  })

  it('once it catches the timeout, goes on, and its checkpoint passes', async () => {
    const h = await harness()
    const { exited, mine } = await runClient(h, true)
    expect(exited.exit?.code).toBe(0)
    expect(h.output(exited.programId)).toMatch(/ping 2: no reply\n/)
    expect(mine).toMatchObject({ passed: true })
  })
})

// Step 6: the student's server, with the app's lossy client asking it.
async function runServer(h: Harness, solve: boolean) {
  const port = await freeUdpPort()
  await h.invoke('workspace:start', { labId: LAB, from: 'exercise' })
  let text = (
    await h.invoke<{ text: string }>('workspace:read', { labId: LAB, name: 'lossy_server.py' })
  ).text.replace('PORT = 50011', `PORT = ${port}`)
  if (solve) {
    text = text
      .replace('# TODO 1:', 'DROP_PROBABILITY = 0.3\nrandom.seed(2024)\n# TODO 1:')
      .replace(
        '            server.sendto(b"PONG", address)\n',
        '            if random.random() < DROP_PROBABILITY:\n                print("[Server] Dropped reply (simulated loss)", flush=True)\n                continue\n            server.sendto(b"PONG", address)\n',
      )
    expect(text).toContain('continue')
  }
  await h.write(LAB, 'lossy_server.py', text)
  const program = await h.invoke<ProgramStatus>('program:run', {
    labId: LAB,
    name: 'lossy_server.py',
  })
  await h.printed(program.programId, /listening for PINGs/)
  const client = await h.invoke<ActorStatus>('actor:start', {
    labId: LAB,
    kind: 'lossy-client',
    host: '127.0.0.1',
    port,
    options: { count: 10, timeoutMs: 200 },
  })
  await h.next(
    'actor:status',
    (s: ActorStatus) => s.actorId === client.actorId && s.state === 'finished',
  )
  // Its last calls reach main through the tracer's pipe: read the checkpoints once it ended.
  await h.invoke('program:stop', { labId: LAB, programId: program.programId })
  await h.exited(program.programId)
  const { checkpoints } = await h.invoke<{
    checkpoints: { id: string; passed: boolean; reason: string }[]
  }>('session:open', { labId: LAB })
  return {
    programId: program.programId,
    mine: checkpoints.find((c) => c.id === 'lossy-your-server')!,
  }
}

describe('the lossy-server exercise, run in the app', () => {
  it('as it is, answers every PING, and its checkpoint says none was dropped', async () => {
    const h = await harness()
    const { mine } = await runServer(h, false)
    expect(mine.passed).toBe(false)
    expect(mine.reason).toMatch(/^0 of 10 replies were dropped/)
  })

  it('once it skips some replies, the app’s client times out on them and the checkpoint passes', async () => {
    const h = await harness()
    const { programId, mine } = await runServer(h, true)
    // random.seed(2024) draws below 0.3 at the 7th and 8th PINGs.
    expect(h.output(programId).match(/Dropped reply/g)).toHaveLength(2)
    expect(mine).toMatchObject({
      passed: true,
      reason:
        'your lossy_server.py dropped 2 of the replies to its first 10 requests (1 to 9 wanted).',
    })
  })
})
