import { beforeEach, describe, expect, it, vi } from 'vitest'

// A stand-in for Electron's app: the lock answer is set per test.
const app = {
  lock: true,
  handlers: new Map<string, () => void>(),
  requestSingleInstanceLock: vi.fn(() => app.lock),
  quit: vi.fn(),
  getPath: () => '/home/student/.config/socket-labs',
  on: (event: string, fn: () => void) => app.handlers.set(event, fn),
}
vi.mock('electron', () => ({ app }))

const { claimSingleInstance } = await import('../../src/main/electron/single-instance')

const log = vi.spyOn(console, 'log').mockImplementation(() => {})
beforeEach(() => {
  app.handlers.clear()
  app.quit.mockClear()
  log.mockClear()
})

function fakeWindow(minimized: boolean) {
  return {
    isDestroyed: () => false,
    isMinimized: () => minimized,
    restore: vi.fn(),
    show: vi.fn(),
    focus: vi.fn(),
  }
}

describe('one Socket Labs at a time', () => {
  it('the second instance quits without going on', () => {
    app.lock = false
    expect(claimSingleInstance(() => undefined)).toBe(false)
    expect(app.quit).toHaveBeenCalled()
    expect(app.handlers.has('second-instance')).toBe(false)
    expect(log).toHaveBeenCalledWith(
      expect.stringContaining(
        'already running with the data folder /home/student/.config/socket-labs',
      ),
    )
  })

  it('the first instance brings its window to the front when a second one starts', () => {
    app.lock = true
    const window = fakeWindow(true)
    expect(claimSingleInstance(() => window as never)).toBe(true)
    expect(app.quit).not.toHaveBeenCalled()
    app.handlers.get('second-instance')!()
    expect(window.restore).toHaveBeenCalled()
    expect(window.show).toHaveBeenCalled()
    expect(window.focus).toHaveBeenCalled()
  })

  it('a second start before the window exists changes nothing', () => {
    app.lock = true
    claimSingleInstance(() => undefined)
    expect(() => app.handlers.get('second-instance')!()).not.toThrow()
  })
})
