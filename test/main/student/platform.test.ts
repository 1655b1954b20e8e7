import { describe, expect, it } from 'vitest'
import {
  findInterpreter,
  groupSpawnOptions,
  interpreterCandidates,
  signalProcessTree,
  type Candidate,
  type ProcessFunctions,
} from '../../../src/main/student/platform'

const names = (cs: Candidate[]) => cs.map((c) => [c.command, ...c.args].join(' '))

describe('interpreterCandidates', () => {
  it('tries python3 then python on Linux and macOS', () => {
    expect(names(interpreterCandidates('linux'))).toEqual(['python3', 'python'])
    expect(names(interpreterCandidates('darwin'))).toEqual(['python3', 'python'])
  })
  it('tries the py launcher first on Windows', () => {
    expect(names(interpreterCandidates('win32'))).toEqual(['py -3', 'python', 'python3'])
  })
  it('puts the path the user set first, trimmed, and ignores a blank one', () => {
    expect(names(interpreterCandidates('linux', ' /opt/py/bin/python3 '))).toEqual([
      '/opt/py/bin/python3',
      'python3',
      'python',
    ])
    expect(names(interpreterCandidates('win32', '   '))).toEqual(['py -3', 'python', 'python3'])
  })
})

describe('findInterpreter', () => {
  const probeFrom = (answers: Record<string, string>) => async (c: Candidate) => {
    const answer = answers[[c.command, ...c.args].join(' ')]
    if (answer === undefined) throw new Error('ENOENT')
    return `${answer}\n`
  }

  it('takes the first candidate that is Python 3.7 or newer', async () => {
    const found = await findInterpreter('linux', {
      probe: probeFrom({ python3: '3.6.9', python: '3.12.1' }),
    })
    expect(found).toEqual({ command: 'python', args: [], version: '3.12.1' })
  })

  it('runs the interpreter by the path it reports, past any launcher or shim', async () => {
    const probe = async (c: Candidate) => {
      if (c.command !== 'py') throw new Error('ENOENT')
      return '3.12.0\r\nC:\\Python312\\python.exe\r\n'
    }
    expect(await findInterpreter('win32', { probe })).toEqual({
      command: 'C:\\Python312\\python.exe',
      args: [],
      version: '3.12.0',
    })
  })

  it('finds the real python3 of this machine', async () => {
    const found = await findInterpreter(process.platform)
    expect('command' in found && found.command).toMatch(/python/)
    expect('version' in found && found.version).toMatch(/^3\.\d+\.\d+$/)
  })

  it('takes py -3 on Windows', async () => {
    const found = await findInterpreter('win32', {
      probe: probeFrom({ 'py -3': '3.11.0', python: '3.12.0' }),
    })
    expect(found).toEqual({ command: 'py', args: ['-3'], version: '3.11.0' })
  })

  it('takes the path the user set before the usual names', async () => {
    const found = await findInterpreter('linux', {
      userPath: '/x/python3',
      probe: probeFrom({ '/x/python3': '3.7.0', python3: '3.12.0' }),
    })
    expect(found).toMatchObject({ command: '/x/python3', version: '3.7.0' })
  })

  it('says what it tried and how to install Python when none fits', async () => {
    const linux = await findInterpreter('linux', { probe: probeFrom({ python: '2.7.18' }) })
    expect(linux).toEqual({
      error:
        "No Python 3.7 or newer found (python3 was not found; python is Python 2.7.18). Install Python 3 (on Debian or Ubuntu: `sudo apt install python3`), then restart Socket Labs, or set the interpreter's path in the settings.",
    })
    const win = await findInterpreter('win32', { probe: probeFrom({}) })
    expect('error' in win && win.error).toMatch(
      /^No Python 3\.7 or newer found \(py -3 was not found; python was not found; python3 was not found\)\. Install Python 3 from python\.org/,
    )
    const mac = await findInterpreter('darwin', { probe: probeFrom({}) })
    expect('error' in mac && mac.error).toMatch(/xcode-select --install/)
  })
})

describe('groupSpawnOptions', () => {
  it('starts a program in a group of its own on POSIX, never on Windows', () => {
    expect(groupSpawnOptions('linux')).toEqual({ detached: true, windowsHide: true })
    expect(groupSpawnOptions('darwin').detached).toBe(true)
    expect(groupSpawnOptions('win32').detached).toBe(false)
  })
})

describe('signalProcessTree', () => {
  function fake(killError?: NodeJS.ErrnoException) {
    const calls: string[] = []
    const fns: ProcessFunctions = {
      kill(pid, signal) {
        calls.push(`kill ${pid} ${signal}`)
        if (killError) throw killError
      },
      async run(command, args) {
        calls.push([command, ...args].join(' '))
      },
    }
    return { calls, fns }
  }

  it('signals the whole group on POSIX: SIGINT to interrupt, SIGKILL to end', async () => {
    const { calls, fns } = fake()
    await signalProcessTree('linux', 4242, 'interrupt', fns)
    await signalProcessTree('darwin', 4242, 'kill', fns)
    expect(calls).toEqual(['kill -4242 SIGINT', 'kill -4242 SIGKILL'])
  })

  it('takes a group already gone as done, and passes other errors on', async () => {
    const gone = Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' })
    await expect(signalProcessTree('linux', 7, 'kill', fake(gone).fns)).resolves.toBeUndefined()
    const denied = Object.assign(new Error('kill EPERM'), { code: 'EPERM' })
    await expect(signalProcessTree('linux', 7, 'kill', fake(denied).fns)).rejects.toThrow('EPERM')
  })

  it('ends the process tree with taskkill on Windows: /T, and /F to force', async () => {
    const { calls, fns } = fake()
    await signalProcessTree('win32', 4242, 'interrupt', fns)
    await signalProcessTree('win32', 4242, 'kill', fns)
    expect(calls).toEqual(['taskkill /T /PID 4242', 'taskkill /T /F /PID 4242'])
  })
})
