import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { CALC_REQUESTS } from '../../src/main/net/framing/framing-reads'
import { actorDefinitions } from '../../src/main/net'

const LAB_DIR = fileURLToPath(new URL('../../labs/protocol/', import.meta.url))

/** The anchors the framing demo's actors trace, per reference program. */
const ANCHORS: Record<string, string[]> = {
  'framing_relay.py': [
    'socket',
    'bind',
    'listen',
    'accept',
    'connect',
    'recv',
    'merge',
    'send',
    'eof',
    'shutdown',
    'close-conn',
    'close',
  ],
  'naive_client.py': ['socket', 'connect', 'send', 'recv', 'reply', 'close'],
  'line_client.py': ['socket', 'connect', 'send', 'recv', 'line', 'close'],
}

describe('labs/protocol framing programs', () => {
  it('name the files the actors point at', () => {
    expect(actorDefinitions['framing-relay'].file).toBe('framing_relay.py')
    expect(actorDefinitions['naive-client'].file).toBe('naive_client.py')
    expect(actorDefinitions['line-client'].file).toBe('line_client.py')
  })

  it('have every anchor the actors trace exactly once', () => {
    for (const [file, names] of Object.entries(ANCHORS)) {
      const source = readFileSync(join(LAB_DIR, file), 'utf8')
      const found = [...source.matchAll(/# anchor: ([a-z-]+)/g)].map((m) => m[1])
      expect(found.sort(), file).toEqual([...names].sort())
    }
    const naive = readFileSync(join(LAB_DIR, 'naive_client.py'), 'utf8')
    expect(naive).toMatch(/client\.recv\(1024\)\s+# anchor: recv/)
    const relay = readFileSync(join(LAB_DIR, 'framing_relay.py'), 'utf8')
    expect(relay).toMatch(/PIECE_GAP = 0\.010/)
  })

  it('send the same requests as the app’s clients, with the standard library only', () => {
    for (const file of ['naive_client.py', 'line_client.py']) {
      const source = readFileSync(join(LAB_DIR, file), 'utf8')
      expect(source).toContain(`REQUESTS = ${JSON.stringify(CALC_REQUESTS).replace(/,/g, ', ')}`)
    }
    for (const file of Object.keys(ANCHORS)) {
      const source = readFileSync(join(LAB_DIR, file), 'utf8')
      const imports = [...source.matchAll(/^import (\w+)/gm)].map((m) => m[1])
      for (const name of imports) {
        expect(['argparse', 'socket', 'sys', 'threading', 'time']).toContain(name)
      }
      expect(source).not.toMatch(/^from /m)
    }
  })
})
