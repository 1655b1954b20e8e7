// @ts-check
/**
 * `npm run mutation`: mutation testing of what courses grade by (checkpoint rules), the
 * example protocols, the impairment engine and the trace wire format. Kept out of
 * `npm test` because it takes many minutes; scripts/mutation-summary.mjs turns the JSON
 * report into a table per file in bench/results/mutation.md.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: [
    'src/main/checkpoints/**/*.ts',
    'src/main/protocols/**/*.ts',
    'src/main/impair/**/*.ts',
    'src/shared/trace-wire.ts',
    'src/shared/student-trace.ts',
    'src/shared/worksheet.ts',
    'src/main/student/trace-lines.ts',
    'src/main/student/student-events.ts',
  ],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 10000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
}
