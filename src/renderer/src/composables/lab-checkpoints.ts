import { computed, type Ref } from 'vue'
import type { Lab, LabStep } from '@shared/lab'
import { useProgressStore } from '@renderer/stores/progress'
import { useSessionStore } from '@renderer/stores/session'

/**
 * A lab page's checkpoints: the saved passes, which are passed now (saved or in this
 * session), the step's own, the steps all of whose checkpoints passed, and the lab's count.
 */
export function useLabCheckpoints(
  labId: Ref<string>,
  lab: Ref<Lab | null>,
  step: Ref<LabStep | undefined>,
) {
  const progress = useProgressStore()
  const session = useSessionStore()

  const saved = computed(() => progress.progress.labs[labId.value]?.checkpoints ?? {})

  const passedIds = computed(() => {
    const ids = new Set(Object.keys(saved.value))
    for (const r of session.checkpoints) if (r.passed) ids.add(r.id)
    return ids
  })

  const stepCheckpoints = computed(() => {
    const l = lab.value
    const s = step.value
    if (!l || !s) return []
    return s.checkpoints
      .map((id) => l.checkpoints.find((c) => c.id === id))
      .filter((c): c is NonNullable<typeof c> => c !== undefined)
  })

  const doneSteps = computed(() => {
    const done = new Set<string>()
    for (const s of lab.value?.steps ?? []) {
      if (s.checkpoints.length && s.checkpoints.every((id) => passedIds.value.has(id)))
        done.add(s.id)
    }
    return done
  })

  const labPassed = computed(() => {
    const l = lab.value
    return l ? l.checkpoints.filter((c) => passedIds.value.has(c.id)).length : 0
  })

  return { saved, stepCheckpoints, doneSteps, labPassed }
}
