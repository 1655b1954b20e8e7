import { computed, onBeforeUnmount, onMounted, ref, type ComputedRef } from 'vue'
import { useDisplayStore } from '@renderer/stores/display'

/**
 * Which layout the lab page takes, from the room it has in root-font units: browser zoom
 * shrinks the window's CSS size, "Large" and presenter mode grow the type, and both leave
 * less room for columns.
 * - `columns`: everything on one screen (text, diagram, code, log), each part scrolling.
 * - `two`: the page scrolls; the step beside the diagram, code and log below.
 * - `one`: the page scrolls; one column.
 */
export type LayoutMode = 'columns' | 'two' | 'one'

/** In rem at the page's scale (16 px each at 100 %): 1366×768 at 100 % is 85×48, at 125 % 68×38. */
const COLUMNS_MIN = { width: 66, height: 34 }
const TWO_MIN_WIDTH = 46

export function layoutFor(widthRem: number, heightRem: number): LayoutMode {
  if (widthRem >= COLUMNS_MIN.width && heightRem >= COLUMNS_MIN.height) return 'columns'
  return widthRem >= TWO_MIN_WIDTH ? 'two' : 'one'
}

export function useLayoutMode(): ComputedRef<LayoutMode> {
  const display = useDisplayStore()
  const size = ref({ width: window.innerWidth, height: window.innerHeight })
  const onResize = (): void => {
    size.value = { width: window.innerWidth, height: window.innerHeight }
  }
  onMounted(() => window.addEventListener('resize', onResize))
  onBeforeUnmount(() => window.removeEventListener('resize', onResize))
  return computed(() => {
    const rem = 16 * display.scale()
    return layoutFor(size.value.width / rem, size.value.height / rem)
  })
}
