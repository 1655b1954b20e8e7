import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Notice } from '@shared/ipc'
import { getApi } from '@renderer/bridge'

export interface ShownNotice extends Notice {
  id: number
}

/** Messages from main (and from the renderer itself) shown as dismissible banners. */
export const useNoticesStore = defineStore('notices', () => {
  const items = ref<ShownNotice[]>([])
  /** "Progress not saved: …" while saves fail; empty once one succeeds again. */
  const notSaved = ref('')
  let nextId = 1
  let unsubscribe: (() => void) | undefined

  function push(notice: Notice): void {
    // The same message twice in a row is shown once.
    if (items.value.some((n) => n.message === notice.message && n.level === notice.level)) return
    items.value.push({ ...notice, id: nextId++ })
  }

  function dismiss(id: number): void {
    items.value = items.value.filter((n) => n.id !== id)
  }

  function listen(): void {
    if (unsubscribe) return
    const api = getApi()
    const offNotice = api.onNotice(push)
    const offSaved = api.onProgressSaveStatus((status) => {
      notSaved.value = status.saved ? '' : status.message
    })
    unsubscribe = () => {
      offNotice()
      offSaved()
    }
  }

  function stop(): void {
    unsubscribe?.()
    unsubscribe = undefined
  }

  return { items, notSaved, push, dismiss, listen, stop }
})
