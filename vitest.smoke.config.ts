import { defineConfig } from 'vitest/config';
import { summaryReporter } from './test/support/summaryReporter';

// Smoke suites on other hosts than the main e2e suite's code-server 4.100.3: the newest VS Code tested (on Node 24)
// and the packaged .vsix installed as users install it. Same harness and page objects as vitest.e2e.config.ts, one
// VS Code at a time. `npm run test:smoke` builds first; the .vsix test packages the extension itself.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.smoke.test.ts'],
    globalSetup: ['test/e2e/support/globalSetupHosts.ts'],
    setupFiles: ['test/e2e/support/failureScreenshots.ts'],
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 240_000,
    hookTimeout: 300_000,
    reporters: ['verbose', summaryReporter('smoke')],
    retry: 0,
  },
});
