import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // integration and e2e files each start their own emulators on free ports: two at a time fit two cores
    maxWorkers: 2,
    // no learner id, respondent id or e-mail address a test sends may reach a log line (test/support/log-hygiene.ts)
    setupFiles: ['test/support/log-hygiene.ts'],
  },
});
