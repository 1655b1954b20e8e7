import { onBeforeUnmount, ref, watch, type Ref } from 'vue'

/**
 * A copy of a fast-changing value that follows it at most once every `gap()` ms (the
 * first change after a quiet spell goes through at once). Under a flood of trace events
 * the expensive views follow this copy, so they redraw at a pace the page can afford.
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
    const wait = last + gap() - performance.now()
    if (wait <= 0) apply()
    else timer = setTimeout(apply, wait)
  })
  onBeforeUnmount(() => clearTimeout(timer))
  return paced
}
