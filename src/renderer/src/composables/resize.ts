import { onBeforeUnmount, onMounted, type Ref } from 'vue'

/** Calls `onSize` with the element once mounted and whenever its size changes. */
export function useResize(el: Ref<HTMLElement | null>, onSize: (el: HTMLElement) => void): void {
  let observer: ResizeObserver | undefined
  onMounted(() => {
    const target = el.value
    if (!target) return
    onSize(target)
    if (typeof ResizeObserver === 'undefined') return
    observer = new ResizeObserver(() => onSize(target))
    observer.observe(target)
  })
  onBeforeUnmount(() => observer?.disconnect())
}
