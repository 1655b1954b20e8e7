import { onBeforeUnmount, watch, type Ref } from 'vue'
import { useStudentStore } from '@renderer/features/student/store'
import { useLabsStore } from '@renderer/stores/labs'
import { useProgressStore } from '@renderer/stores/progress'
import { useSessionStore } from '@renderer/stores/session'

/**
 * The lab page's lifetime: open the lab and its session whenever the route names another
 * lab, and close them when the page goes. The student's programs and their output belong to
 * the lab, not to the code column (which opens them), so a step without that column keeps them.
 */
export function useOpenLab(labId: Ref<string>): void {
  const labs = useLabsStore()
  const session = useSessionStore()
  const progress = useProgressStore()
  const student = useStudentStore()
  watch(
    labId,
    async (id) => {
      if (!id) return
      void progress.load()
      const lab = await labs.loadLab(id)
      if (lab && labId.value === id) await session.open(id)
    },
    { immediate: true },
  )
  onBeforeUnmount(() => {
    void session.close()
    student.close()
  })
}
