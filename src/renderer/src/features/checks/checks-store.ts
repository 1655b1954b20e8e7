import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Check, CheckResult, CheckRun } from '@shared/checks'
import { getApi } from '@renderer/bridge'
import { errorMessage } from '@renderer/errors'
import { useProgressStore } from '@renderer/stores/progress'

/**
 * The open lab's own checks: the list (saved with progress after every change) and the
 * latest result of each, from the last run that included it.
 */
export const useChecksStore = defineStore('checks', () => {
  const labId = ref<string | null>(null)
  const checks = ref<Check[]>([])
  const results = ref<Record<string, CheckResult>>({})
  const lastRun = ref<Pick<CheckRun, 'host' | 'port' | 'ranAt'> | null>(null)
  /** Ids of the checks in the run under way. */
  const running = ref<string[]>([])
  const error = ref('')
  const saving = ref(false)
  const savedAt = ref<Date | null>(null)

  /** Take the lab's saved checks from the progress file. */
  async function load(id: string): Promise<void> {
    const progress = useProgressStore()
    if (labId.value !== id) {
      labId.value = id
      checks.value = []
      results.value = {}
      lastRun.value = null
      error.value = ''
      savedAt.value = null
    }
    await progress.load()
    if (labId.value === id) checks.value = copyChecks(progress.progress.labs[id]?.checks ?? [])
  }

  async function save(next: Check[]): Promise<boolean> {
    const id = labId.value
    if (!id) return false
    const before = checks.value
    checks.value = next
    saving.value = true
    try {
      const saved = await getApi().saveChecks(id, next)
      if (labId.value !== id) return false
      checks.value = saved
      // Keep the progress store's copy current, so a return to the lab shows the same list.
      const progress = useProgressStore()
      const lab = (progress.progress.labs[id] ??= { checkpoints: {} })
      lab.checks = copyChecks(saved)
      savedAt.value = new Date()
      error.value = ''
      return true
    } catch (err) {
      checks.value = before
      error.value = `Not saved: ${errorMessage(err)}`
      return false
    } finally {
      saving.value = false
    }
  }

  /** Add a check, or replace the one with the same id. */
  function upsert(check: Check): Promise<boolean> {
    const list = checks.value.slice()
    const index = list.findIndex((c) => c.id === check.id)
    if (index >= 0) list.splice(index, 1, check)
    else list.push(check)
    // An edited check's old result says nothing about it any more.
    const { [check.id]: _stale, ...rest } = results.value
    results.value = rest
    return save(list)
  }

  function remove(id: string): Promise<boolean> {
    const { [id]: _gone, ...rest } = results.value
    results.value = rest
    return save(checks.value.filter((c) => c.id !== id))
  }

  async function run(host: string, port: number, ids?: string[]): Promise<void> {
    const id = labId.value
    if (!id) return
    const chosen = ids ? checks.value.filter((c) => ids.includes(c.id)) : checks.value
    if (chosen.length === 0) return
    running.value = chosen.map((c) => c.id)
    error.value = ''
    try {
      const run = await getApi().runChecks({ labId: id, host, port, checks: chosen })
      if (labId.value !== id) return
      const next = { ...results.value }
      for (const r of run.results) next[r.id] = r
      results.value = next
      lastRun.value = { host: run.host, port: run.port, ranAt: run.ranAt }
    } catch (err) {
      if (labId.value === id) error.value = errorMessage(err)
    } finally {
      running.value = []
    }
  }

  return {
    labId,
    checks,
    results,
    lastRun,
    running,
    error,
    saving,
    savedAt,
    load,
    upsert,
    remove,
    run,
  }
})

/** Plain copies (a reactive proxy cannot be structured-cloned). */
function copyChecks(list: readonly Check[]): Check[] {
  return list.map((c) => ({ ...c, expect: { ...c.expect } }))
}
