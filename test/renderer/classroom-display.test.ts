import { describe, expect, it } from 'vitest'
import { splitSections } from '@renderer/features/steps/step-sections'
import { isTypingTarget, shortcutFor } from '@renderer/display/shortcuts'
import { layoutFor } from '@renderer/composables/layout-mode'

const press = (
  key: string,
  mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey', boolean>> = {},
) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
})

describe('splitSections', () => {
  it('cuts a step at its ## headings and marks the sections that give answers away', () => {
    const md = [
      '# Title',
      'Intro.',
      '## Do it',
      '1. Click.',
      '## What to watch',
      'The answer.',
      '```',
      '## not a heading: code',
      '```',
      '## Think about it',
      'Why?',
    ].join('\n')
    const s = splitSections(md)
    expect(s.map((x) => [x.heading, x.answer])).toEqual([
      ['', false],
      ['Do it', false],
      ['What to watch', true],
      ['Think about it', true],
    ])
    expect(s[2]!.markdown).toContain('## not a heading: code')
    // Nothing is lost: the sections put back together are the step.
    expect(s.map((x) => x.markdown).join('\n')).toBe(md)
  })

  it('finds the answer sections of the real step names only', () => {
    const heads = ['Hints', 'Hint', 'What to look for', 'What to compare', 'The lesson']
    for (const h of heads) expect(splitSections(`## ${h}\nx`)[0]!.answer).toBe(true)
    for (const h of ['Do it', 'Checkpoint', 'Try it with Python', 'Whatever to watch'])
      expect(splitSections(`## ${h}\nx`)[0]!.answer).toBe(false)
  })
})

describe('shortcutFor', () => {
  it('knows P everywhere and the rest only in presenter mode', () => {
    expect(shortcutFor(press('p'), false)).toEqual({ kind: 'presenter' })
    expect(shortcutFor(press('P'), true)).toEqual({ kind: 'presenter' })
    expect(shortcutFor(press('n'), false)).toBeNull()
    expect(shortcutFor(press('2'), false)).toBeNull()
    expect(shortcutFor(press('n'), true)).toEqual({ kind: 'next' })
    expect(shortcutFor(press('ArrowLeft'), true)).toEqual({ kind: 'previous' })
    expect(shortcutFor(press('2'), true)).toEqual({ kind: 'program', index: 1 })
    expect(shortcutFor(press('0'), true)).toBeNull()
  })

  it('leaves keys with a modifier to the browser (Ctrl+P prints, Ctrl+R reloads)', () => {
    expect(shortcutFor(press('p', { ctrlKey: true }), true)).toBeNull()
    expect(shortcutFor(press('r', { metaKey: true }), true)).toBeNull()
    expect(shortcutFor(press('n', { altKey: true }), true)).toBeNull()
  })

  it('treats a key typed into a text field as typing', () => {
    const text = document.createElement('input')
    const box = document.createElement('input')
    box.type = 'checkbox'
    expect(isTypingTarget(text)).toBe(true)
    expect(isTypingTarget(document.createElement('textarea'))).toBe(true)
    expect(isTypingTarget(document.createElement('select'))).toBe(true)
    expect(isTypingTarget(box)).toBe(false)
    expect(isTypingTarget(document.createElement('button'))).toBe(false)
  })
})

describe('layoutFor', () => {
  it('keeps columns at 1366×768 and a 1920×1080 projector, and reflows when zoomed', () => {
    expect(layoutFor(1366 / 16, 768 / 16)).toBe('columns')
    expect(layoutFor(1920 / (16 * 1.3), 1080 / (16 * 1.3))).toBe('columns')
    expect(layoutFor(911 / 16, 512 / 16)).toBe('two')
    expect(layoutFor(683 / 16, 384 / 16)).toBe('one')
  })
})
