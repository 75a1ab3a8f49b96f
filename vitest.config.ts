import { defineConfig } from 'vitest/config';

/**
 * The settings every run of the tests shares: `npm test` (below), and the conformance kit, which runs only the
 * contract files with them (test/conformance/contract-run.ts).
 */
export const sharedTestOptions = {
  testTimeout: 30_000,
  hookTimeout: 120_000,
  // integration and e2e files each start their own emulators on free ports: two at a time fit two cores
  maxWorkers: 2,
  // no learner id, respondent id or e-mail address a test sends may reach a log line (test/support/log-hygiene.ts)
  setupFiles: ['test/support/log-hygiene.ts'],
};

export default defineConfig({
  test: {
    ...sharedTestOptions,
    // every file once; test/conformance holds the kit, no test file of its own
    include: ['test/**/*.test.ts'],
  },
});
