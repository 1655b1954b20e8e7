import { connect } from 'node:net'
import { deferred, type ActorContext, type ActorOutcome, type RunningActor } from '../actor'

/**
 * The connection the labs' TCP clients share: socket() traced, connect() under way, and an
 * end that happens once. `done` settles only when the socket is really closed, so a client
 * that is done has no open handle. `onOver` runs when it ends (the client's own phase and
 * timers); a close the client did not ask for is a failure.
 */
export function connectTcpClient(
  ctx: ActorContext,
  options: { allowHalfOpen: boolean; onOver(): void },
) {
  const done = deferred<ActorOutcome>()
  let outcome: ActorOutcome | undefined
  let over = false

  ctx.trace({ op: 'socket', message: 'socket(AF_INET, SOCK_STREAM)', at: 'socket' })
  const socket = connect({
    host: ctx.host,
    port: ctx.port,
    noDelay: true,
    allowHalfOpen: options.allowHalfOpen,
  })

  /** End now with `result` (a Stop, a failure): the socket is destroyed if still open. */
  const end = (result: ActorOutcome) => {
    if (over) return
    over = true
    outcome = result
    options.onOver()
    if (socket.closed) done.resolve(result)
    else socket.destroy()
  }
  socket.on('close', () => {
    over = true
    options.onOver()
    done.resolve(outcome ?? { state: 'failed', message: 'The connection closed unexpectedly.' })
  })

  const running: RunningActor = {
    // A client is ready as soon as it exists; how its connect went is in the trace and in `done`.
    ready: Promise.resolve(),
    done: done.promise,
    async stop() {
      end({ state: 'stopped' })
      await done.promise
    },
  }

  return {
    socket,
    end,
    /** close() sends FIN; the run ends with `result` once the server has closed its side too. */
    closeWith(result: ActorOutcome) {
      outcome = result
      socket.end()
    },
    running,
  }
}
