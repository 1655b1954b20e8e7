import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { Lab, LabLoadError, LabSummary } from '@shared/lab'
import { getApi } from '@renderer/bridge'
import { errorMessage } from '@renderer/errors'

/** The lab list (with the files that failed to load) and the lab being worked on. */
export const useLabsStore = defineStore('labs', () => {
  const list = ref<LabSummary[]>([])
  const errors = ref<LabLoadError[]>([])
  const listLoaded = ref(false)
  const listError = ref('')

  const current = shallowRef<Lab | null>(null)
  const currentError = ref('')
  const loadingLab = ref(false)

  async function loadList(): Promise<void> {
    listError.value = ''
    try {
      const result = await getApi().listLabs()
      list.value = [...result.labs].sort(
        (a, b) => a.order - b.order || a.title.localeCompare(b.title),
      )
      errors.value = result.errors
    } catch (err) {
      listError.value = errorMessage(err)
    } finally {
      listLoaded.value = true
    }
  }

  async function loadLab(labId: string): Promise<Lab | null> {
    if (current.value?.id === labId) return current.value
    currentError.value = ''
    loadingLab.value = true
    current.value = null
    try {
      const lab = await getApi().getLab(labId)
      current.value = lab
      return lab
    } catch (err) {
      currentError.value = errorMessage(err)
      return null
    } finally {
      loadingLab.value = false
    }
  }

  return {
    list,
    errors,
    listLoaded,
    listError,
    current,
    currentError,
    loadingLab,
    loadList,
    loadLab,
  }
})
