import { TerminalBuffer } from '../src/renderer/src/features/student/terminal-buffer'

/**
 * A student's program printing 100 MB: the page's terminal buffer takes the chunks as they
 * come (4 KB each, as main batches them) and hands the view one update per frame (here every
 * 16 chunks). Measures the whole run and each frame's work (p95 and slowest: a GC pause lands in one), and what the view holds.
 */
export async function benchTerminalOutput(): Promise<{
  megabytes: number
  totalMs: number
  p95FrameMs: number
  slowestFrameMs: number
  keptChars: number
}> {
  const buffer = new TerminalBuffer()
  const line = 'PONG #123456 from 127.0.0.1:50008 answered in 0.1 ms\n'
  const chunk = line.repeat(Math.ceil(4096 / line.length)).slice(0, 4096)
  const chunks = (100 * 1024 * 1024) / chunk.length
  let shown = ''
  const frames: number[] = []
  const start = performance.now()
  for (let i = 1; i <= chunks; i++) {
    buffer.append(chunk)
    if (i % 16 === 0) {
      const t = performance.now()
      const update = buffer.take()
      if (update) shown = update.kind === 'replace' ? update.text : shown + update.text
      frames.push(performance.now() - t)
    }
  }
  const totalMs = Math.round(performance.now() - start)
  frames.sort((a, b) => a - b)
  const ms = (x: number) => Math.round(x * 100) / 100
  return {
    megabytes: 100,
    totalMs,
    p95FrameMs: ms(frames[Math.floor(frames.length * 0.95)]!),
    slowestFrameMs: ms(frames.at(-1)!),
    keptChars: shown.length,
  }
}
