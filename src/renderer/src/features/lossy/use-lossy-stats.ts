import { computed, shallowRef, watch } from 'vue'
import {
  LossyStatsCollector,
  type LossyRun,
  type SeedSeen,
} from '@renderer/features/lossy/lossy-stats'
import { usePaced } from '@renderer/composables/paced'
import type { TraceLog } from '@renderer/trace-log'

/**
 * Lab 4's statistics of the live trace log: taken in incrementally, at most five times a
 * second once the trace is long.
 */
export function useLossyStats(
  log: () => TraceLog,
  /** Off: read nothing (a step without lab 4's actors pays nothing per batch). */
  enabled: () => boolean = () => true,
) {
  const collector = new LossyStatsCollector()
  const paced = usePaced(
    () => `${log().epoch}:${log().length}`,
    () => (log().length > 5_000 ? 200 : 0),
  )
  const runs = shallowRef<LossyRun[]>([])
  const seeds = shallowRef<readonly SeedSeen[]>([])
  watch(
    [paced, enabled],
    () => {
      if (!enabled()) return
      const before = collector.changes
      collector.update(log())
      if (collector.changes === before && runs.value.length) return
      runs.value = collector.results()
      seeds.value = [...collector.seedsSeen()]
    },
    { immediate: true },
  )
  const latest = computed(() => runs.value.at(-1))
  return { runs, seeds, latest }
}
