import { defineConfig } from 'vitest/config';
import { summaryReporter } from './test/support/summaryReporter';

// End-to-end suite: a real VS Code (code-server) driven by Chromium. One VS Code at a time (the machine has two
// cores), so files and tests run serially in a single fork. `npm run test:e2e` builds the extension first and runs
// on the oldest supported code-server; `npm run test:e2e:current` runs the same suite on the newest one tested
// (DATAENG_E2E_CODE_SERVER=current, scripts/test-hosts.json), counted under its own label.
const onCurrent = process.env.DATAENG_E2E_CODE_SERVER === 'current';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    globalSetup: [onCurrent ? 'test/e2e/support/globalSetupHosts.ts' : 'test/e2e/support/globalSetup.ts'],
    setupFiles: ['test/e2e/support/failureScreenshots.ts'],
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 180_000,
    hookTimeout: 180_000,
    reporters: ['verbose', summaryReporter(onCurrent ? 'e2e-current' : 'e2e')],
    // A failed e2e test is not retried: a flaky end-to-end test is a bug to fix, not to hide.
    retry: 0,
  },
});
