import type { Worksheet } from './worksheet'
import type { Check } from './checks'

/** The outcome of one checkpoint rule over a session's trace. */
export interface CheckpointResult {
  id: string
  passed: boolean
  /** Why it has not passed yet, or what proved it. */
  reason: string
  /** Trace events (by seq) that prove the pass. */
  evidence: number[]
  /** When it first passed (ISO time), kept across restarts. */
  passedAt?: string
}

/** What the progress file keeps for a passed checkpoint. */
export interface PassedCheckpoint {
  passedAt: string
  reason: string
  /** Short copies of the proving events, so the evidence outlives the session. */
  evidence: string[]
}

export interface LabProgress {
  checkpoints: Record<string, PassedCheckpoint>
  /** Lab 5's design worksheet, as last saved. */
  worksheet?: Worksheet
  /** Lab 5: the student's own send/expect checks, as last saved. */
  checks?: Check[]
}

export interface Progress {
  version: 1
  labs: Record<string, LabProgress>
}
