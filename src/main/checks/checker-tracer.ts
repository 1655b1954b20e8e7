import { CHECKER_KIND } from '@shared/lab'
import type { Protocol } from '@shared/trace'
import type { LabSession } from '../session/lab-session'
import type { TraceSource } from '../session/trace-source'
import type { CheckerTrace } from './run-checks'

/**
 * The trace function of one run of the student's checks: its events join the session's
 * trace as actor `actorId` of kind `checker`, a client, like any actor's. Each check says
 * whether it went over TCP or UDP.
 */
export function checkerTracer(session: LabSession, actorId: string): CheckerTrace {
  const source = (proto: Protocol): TraceSource => ({
    actor: actorId,
    actorKind: CHECKER_KIND,
    role: 'client',
    proto,
  })
  const sources = { tcp: source('tcp'), udp: source('udp') }
  return (e) => {
    session.recordCall(sources[e.proto], e)
  }
}
