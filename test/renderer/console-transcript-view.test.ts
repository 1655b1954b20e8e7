// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ConsoleTranscript from '@renderer/features/console/ConsoleTranscript.vue'
import type { TranscriptLine } from '@renderer/features/console/transcript'

const line = (seq: number): TranscriptLine => ({
  seq,
  kind: 'received',
  text: `line ${seq}`,
  at: seq,
})

/** A transcript box 100 px high holding 500 px of lines. */
function sized(el: HTMLElement): void {
  Object.defineProperty(el, 'scrollHeight', { configurable: true, get: () => 500 })
  Object.defineProperty(el, 'clientHeight', { configurable: true, get: () => 100 })
}

describe('ConsoleTranscript', () => {
  it('follows its newest line, until the student scrolls up to read an older one', async () => {
    const w = mount(ConsoleTranscript, { props: { lines: [line(1)], label: 'Transcript' } })
    const box = w.get('ol').element as HTMLElement
    sized(box)
    await w.setProps({ lines: [line(1), line(2)] })
    await flushPromises()
    expect(box.scrollTop).toBe(500)

    box.scrollTop = 120
    await w.get('ol').trigger('scroll')
    await w.setProps({ lines: [line(1), line(2), line(3)] })
    await flushPromises()
    expect(box.scrollTop).toBe(120)

    // Back at the bottom: it follows again.
    box.scrollTop = 400
    await w.get('ol').trigger('scroll')
    await w.setProps({ lines: [line(1), line(2), line(3), line(4)] })
    await flushPromises()
    expect(box.scrollTop).toBe(500)
  })

  it('says so while nothing was sent or received, and badges written-out invisibles', () => {
    const empty = mount(ConsoleTranscript, { props: { lines: [], label: 'Transcript' } })
    expect(empty.text()).toBe('Nothing yet.')
    const w = mount(ConsoleTranscript, {
      props: {
        lines: [
          { seq: 1, kind: 'sent', text: 'hi\\n', at: 0 },
          { seq: 2, kind: 'info', text: 'closed\\n', at: 1 },
        ],
        label: 'Transcript',
      },
    })
    expect(
      w
        .get('[data-testid="console-line-sent"]')
        .findAll('.esc')
        .map((e) => e.text()),
    ).toEqual(['\\n'])
    expect(w.get('[data-testid="console-line-info"]').find('.esc').exists()).toBe(false)
    expect(w.get('[data-testid="console-line-sent"] .dir').text()).toBe('→')
  })
})
