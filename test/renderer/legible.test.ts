import { describe, expect, it } from 'vitest'
import { CODE_BACKGROUNDS, highlightPython } from '@renderer/features/code/highlighter'
import { MIN_CONTRAST, contrast, legible } from '@renderer/features/code/legible'
import source from '../../labs/ping-pong/udp_client.py?raw'

// The code view's colours reach 4.5:1 on white and on the current line's yellow
// (github-light's orange was 3.5:1, its line numbers 3.0:1).

describe('legible token colours', () => {
  it('darkens a colour below 4.5:1, keeps one that reads', () => {
    expect(contrast('#e36209', '#ffffff')).toBeLessThan(MIN_CONTRAST)
    const orange = legible('#e36209', CODE_BACKGROUNDS)
    for (const bg of CODE_BACKGROUNDS) expect(contrast(orange, bg)).toBeGreaterThanOrEqual(4.5)
    expect(legible('#24292e', CODE_BACKGROUNDS)).toBe('#24292e')
    expect(legible('not a colour', CODE_BACKGROUNDS)).toBe('not a colour')
  })

  it('gives every token of a lab file a colour that reads on both backgrounds', async () => {
    const lines = await highlightPython(source)
    const colours = new Set(lines.flat().flatMap((t) => (t.color ? [t.color.slice(0, 7)] : [])))
    expect(colours.size).toBeGreaterThan(3)
    for (const c of colours) {
      for (const bg of CODE_BACKGROUNDS) {
        expect(contrast(c, bg), `${c} on ${bg}`).toBeGreaterThanOrEqual(MIN_CONTRAST)
      }
    }
  })
})
