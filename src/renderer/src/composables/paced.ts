import { onBeforeUnmount, ref, watch, type Ref } from 'vue'

/**
 * A copy of a fast-changing value that follows it at most once every `gap()` ms. With a
 * gap of 0 it follows at once, in the same task. With a gap, a change goes through in a
 * task of its own (right away after a quiet spell), so that under a flood of trace events
 * the expensive views redraw at a pace the page can afford and each in its own task, not
 * all of them in the frame that brought the events.
 */
export function usePaced<T>(source: () => T, gap: () => number): Ref<T> {
  const paced = ref(source()) as Ref<T>
  let last = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  const apply = () => {
    timer = undefined
    last = performance.now()
    paced.value = source()
  }
  watch(source, () => {
    if (timer !== undefined) return
    const g = gap()
    if (g <= 0) apply()
    else timer = setTimeout(apply, Math.max(0, last + g - performance.now()))
  })
  onBeforeUnmount(() => clearTimeout(timer))
  return paced
}
