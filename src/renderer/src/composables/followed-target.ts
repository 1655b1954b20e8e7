import { ref, watch } from 'vue'
import { useTargetStore } from '@renderer/stores/target'

/**
 * The host and port fields of a panel that talks to a server (the console, the checks):
 * they follow the controls' Host and Port until the student edits them (`edited`).
 */
export function useFollowedTarget(defaultPort: () => number) {
  const target = useTargetStore()
  const host = ref(target.host)
  const portText = ref(target.portText || String(defaultPort()))
  const edited = ref(false)
  watch(
    () => [target.host, target.portText] as const,
    ([h, p]) => {
      if (edited.value) return
      host.value = h
      portText.value = p || String(defaultPort())
    },
  )
  return { host, portText, edited }
}
