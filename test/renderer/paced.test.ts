// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick, ref, type Ref } from 'vue'
import { mount } from '@vue/test-utils'
import { usePaced } from '@renderer/composables/paced'

function setup(gap: () => number) {
  const source = ref(0)
  let paced!: Ref<number>
  const Host = defineComponent({
    setup() {
      paced = usePaced(() => source.value, gap)
      return () => h('div')
    },
  })
  const wrapper = mount(Host)
  return { source, paced: () => paced.value, wrapper }
}

describe('usePaced', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('follows at once with no gap', async () => {
    const { source, paced } = setup(() => 0)
    source.value = 1
    await nextTick()
    expect(paced()).toBe(1)
  })

  it('with a gap, follows in a task of its own and at most once per gap', async () => {
    const { source, paced, wrapper } = setup(() => 100)
    vi.advanceTimersByTime(1_000)
    source.value = 1
    await nextTick()
    expect(paced()).toBe(0)
    vi.advanceTimersByTime(0)
    expect(paced()).toBe(1)
    source.value = 2
    await nextTick()
    source.value = 3
    await nextTick()
    vi.advanceTimersByTime(50)
    expect(paced()).toBe(1)
    vi.advanceTimersByTime(60)
    expect(paced()).toBe(3)
    // Nothing is left running once the view is gone.
    source.value = 4
    await nextTick()
    wrapper.unmount()
    vi.advanceTimersByTime(500)
    expect(paced()).toBe(3)
  })
})
