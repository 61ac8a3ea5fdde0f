import { defineConfig } from 'vitest/config';
import { summaryReporter } from './test/support/summaryReporter';

// End-to-end suite: a real VS Code (code-server) driven by Chromium. One VS Code at a time (the machine has two
// cores), so files and tests run serially in a single fork. `npm run test:e2e` builds the extension first.

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    globalSetup: ['test/e2e/support/globalSetup.ts'],
    setupFiles: ['test/e2e/support/failureScreenshots.ts'],
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 180_000,
    hookTimeout: 180_000,
    reporters: ['verbose', summaryReporter('e2e')],
    // A failed e2e test is not retried: a flaky end-to-end test is a bug to fix, not to hide.
    retry: 0,
  },
});
