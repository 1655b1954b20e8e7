import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Progress } from '@shared/checkpoints'
import { getApi } from '@renderer/bridge'
import { errorMessage } from '@renderer/errors'

/** The saved progress: which checkpoints have passed, with evidence, across restarts. */
export const useProgressStore = defineStore('progress', () => {
  const progress = ref<Progress>({ version: 1, labs: {} })
  const error = ref('')

  async function load(): Promise<void> {
    try {
      progress.value = await getApi().getProgress()
      error.value = ''
    } catch (err) {
      error.value = errorMessage(err)
    }
  }

  async function reset(labId: string): Promise<void> {
    try {
      progress.value = await getApi().resetProgress(labId)
      error.value = ''
    } catch (err) {
      error.value = errorMessage(err)
    }
  }

  function passedIds(labId: string): Set<string> {
    return new Set(Object.keys(progress.value.labs[labId]?.checkpoints ?? {}))
  }

  return { progress, error, load, reset, getProgress: load, resetProgress: reset, passedIds }
})
