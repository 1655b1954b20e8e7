import { ref, type Ref } from 'vue'

/**
 * Keeps a scroller at its newest (bottom) content while the student has not scrolled up to
 * read: `following` turns off once they leave the bottom, and `scrollToEnd` (the "Newest"
 * button) turns it on again.
 */
export function useScrollFollow(
  scroller: Ref<HTMLElement | null>,
  options: {
    /** Off: never follow (a static drawing starts at the top). */
    enabled?: () => boolean
    /** How close to the bottom still counts as at the bottom, in pixels. */
    slack?: number
  } = {},
) {
  const enabled = options.enabled ?? (() => true)
  const slack = options.slack ?? 32
  const following = ref(enabled())

  function onScroll(): void {
    const el = scroller.value
    if (!el) return
    following.value = enabled() && el.scrollHeight - el.scrollTop - el.clientHeight < slack
  }

  function scrollToEnd(): void {
    following.value = true
    const el = scroller.value
    if (el) el.scrollTop = el.scrollHeight
  }

  return { following, onScroll, scrollToEnd }
}
