/**
 * The last net under every async path in main: a promise rejection nobody handled is
 * reported (stderr, with what failed) and the app keeps running, instead of Node's default
 * of ending the process with every student's session in it. Known failures are handled
 * where they happen; this only catches what a future change forgets.
 */
export function reportUnhandledRejections(
  proc: Pick<NodeJS.EventEmitter, 'on'> = process,
  report: (message: string) => void = (message) => console.error(message),
): void {
  proc.on('unhandledRejection', (reason: unknown) => {
    const detail = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)
    report(
      `Socket Labs: an operation failed and nothing handled it (the app keeps running): ${detail}`,
    )
  })
}
