import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { WorkspaceWatcher } from '../../../src/main/workspace/workspace-watcher'
import { tempDir } from '../helpers'

describe('WorkspaceWatcher', () => {
  it('reports changes in a folder after a pause, and nothing once it stops watching', async () => {
    const [dir, other] = [await tempDir('socket-labs-watch-'), await tempDir('socket-labs-watch-')]
    const reports: string[] = []
    const waiting = new Map<string, () => void>()
    const watcher = new WorkspaceWatcher((labId) => {
      reports.push(labId)
      waiting.get(labId)?.()
    }, 50)
    const reported = (labId: string) => new Promise<void>((r) => waiting.set(labId, r))
    watcher.watch('counter', dir)
    watcher.watch('counter', dir) // a second watch of the same lab is the same watch
    const first = reported('counter')
    await writeFile(join(dir, 'a.py'), 'x = 1\n')
    await writeFile(join(dir, 'b.py'), 'y = 1\n')
    await first
    const burst = reports.length
    // One report for the burst (two if the machine paused longer than the debounce between writes).
    expect(burst).toBeLessThanOrEqual(2)
    watcher.unwatch('counter')
    expect(watcher.watching('counter')).toBe(false)
    // Changes go on being reported for a folder still watched, none for the one left.
    watcher.watch('lossy-udp', other)
    const second = reported('lossy-udp')
    await writeFile(join(dir, 'c.py'), 'z = 1\n')
    await writeFile(join(other, 'd.py'), 'w = 1\n')
    await second
    expect(reports.filter((r) => r === 'counter')).toHaveLength(burst)
    watcher.dispose()
  })

  it('closes every watch on dispose', async () => {
    const watcher = new WorkspaceWatcher(() => undefined)
    watcher.watch('a', await tempDir('socket-labs-watch-'))
    watcher.watch('b', await tempDir('socket-labs-watch-'))
    watcher.dispose()
    expect(watcher.watching('a') || watcher.watching('b')).toBe(false)
  })

  it('does not watch a folder that is not there', () => {
    const watcher = new WorkspaceWatcher(() => undefined)
    watcher.watch('gone', '/no/such/folder')
    expect(watcher.watching('gone')).toBe(false)
  })
})
