import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/**
 * The tests Stryker runs against each mutant: the pure logic's own tests (hand-made traces,
 * protocol logic, the impairment engine, the trace wire format). Socket-level tests in the
 * same files skip themselves here (see `describeWithSockets`): they prove the wiring, are
 * slow, and a mutant that only they could kill is a gap in the pure tests.
 */
export default defineConfig({
  resolve: {
    alias: {
      '@shared': fileURLToPath(new URL('./src/shared', import.meta.url)),
    },
  },
  test: {
    include: [
      'test/main/checkpoints.test.ts',
      'test/main/checkpoints-*.test.ts',
      'test/main/*-checkpoints.test.ts',
      'test/main/checkpoint-rules/**/*.test.ts',
      'test/main/lab-loader-generic.test.ts',
      'test/main/impair-engine.test.ts',
      'test/main/protocols/*.test.ts',
      'test/shared/trace-wire.test.ts',
      'test/main/student/trace-lines.test.ts',
      'test/main/student/student-rules.test.ts',
      'test/main/student/student-events.test.ts',
      'test/main/student/student-events-exact.test.ts',
      'test/shared/student-trace.test.ts',
      'test/shared/worksheet.test.ts',
      'test/shared/worksheet-schema.test.ts',
    ],
    exclude: ['test/main/protocols/fuzz-servers.test.ts', 'test/main/protocols/servers.test.ts'],
    environment: 'node',
    env: { SOCKET_LABS_PURE_TESTS: '1' },
    testTimeout: 20000,
  },
})
