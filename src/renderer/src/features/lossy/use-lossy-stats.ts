import { computed, shallowRef, watch } from 'vue'
import type { TraceEvent } from '@shared/trace'
import {
  LossyStatsCollector,
  type LossyRun,
  type SeedSeen,
} from '@renderer/features/lossy/lossy-stats'
import { usePaced } from '@renderer/composables/paced'

/**
 * Lab 4's statistics of a live trace (the same array appended to, with a version that
 * bumps): taken in incrementally, at most five times a second once the trace is long.
 */
export function useLossyStats(
  events: () => readonly TraceEvent[],
  version: () => number,
  /** Off: read nothing (a step without lab 4's actors pays nothing per batch). */
  enabled: () => boolean = () => true,
) {
  const collector = new LossyStatsCollector()
  const paced = usePaced(version, () => (events().length > 5_000 ? 200 : 0))
  const runs = shallowRef<LossyRun[]>([])
  const seeds = shallowRef<readonly SeedSeen[]>([])
  watch(
    [paced, events, enabled],
    () => {
      if (!enabled()) return
      const before = collector.changes
      collector.update(events())
      if (collector.changes === before && runs.value.length) return
      runs.value = collector.results()
      seeds.value = [...collector.seedsSeen()]
    },
    { immediate: true },
  )
  const latest = computed(() => runs.value.at(-1))
  return { runs, seeds, latest }
}
