import { defineStore } from 'pinia'
import { ref } from 'vue'

/**
 * The host and port typed in the controls, as typed: the console and the checks panel
 * start from them, so a student who moved the lab to another port talks to that one.
 */
export const useTargetStore = defineStore('target', () => {
  const host = ref('127.0.0.1')
  const portText = ref('')

  function set(nextHost: string, nextPort: string): void {
    host.value = nextHost
    portText.value = nextPort
  }

  return { host, portText, set }
})
