import { defineConfig } from 'vitest/config';
import { summaryReporter } from './test/support/summaryReporter';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', summaryReporter('tests')],
  },
});
