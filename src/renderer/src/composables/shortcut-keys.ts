import { onBeforeUnmount, onMounted } from 'vue'
import { isTypingTarget, shortcutFor, type ShortcutAction } from '@renderer/display/shortcuts'
import { useDisplayStore } from '@renderer/stores/display'

/**
 * Listen for the shortcuts while the calling component is mounted. `handle` gets each
 * shortcut meant for it and says whether it used it (then the key does nothing else).
 */
export function useShortcutKeys(handle: (action: ShortcutAction) => boolean): void {
  const display = useDisplayStore()
  function onKey(e: KeyboardEvent): void {
    if (e.defaultPrevented || e.repeat || isTypingTarget(e.target)) return
    const action = shortcutFor(e, display.presenter)
    if (action && handle(action)) e.preventDefault()
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
}
