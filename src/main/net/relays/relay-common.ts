import type { ActorContext, ActorOutcome, RunningActor } from '../actor'

/**
 * The timers a relay has pending (held datagrams, merge windows, paced pieces), so that a
 * Stop can clear every one of them at once and leave nothing running.
 */
export function pendingTimers() {
  const timers = new Set<NodeJS.Timeout>()
  return {
    /** Run `run` after `ms`, unless cleared first. */
    later(ms: number, run: () => void): NodeJS.Timeout {
      const timer = setTimeout(() => {
        timers.delete(timer)
        run()
      }, ms)
      timers.add(timer)
      return timer
    },
    cancel(timer: NodeJS.Timeout | undefined): void {
      if (!timer) return
      clearTimeout(timer)
      timers.delete(timer)
    },
    clearAll(): void {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
    },
  }
}

/** A relay that cannot start: the reason in the trace and the outcome, no socket opened. */
export function refuseToStart(ctx: ActorContext, local: string, message: string): RunningActor {
  ctx.trace({ op: 'error', local, level: 'error', message, at: 'bind' })
  const failed: ActorOutcome = { state: 'failed', message }
  const rejected = Promise.reject(new Error(message))
  // The session awaits `ready` and reports the rejection; nobody else has to.
  rejected.catch(() => undefined)
  return { ready: rejected, done: Promise.resolve(failed), stop: async () => undefined }
}
