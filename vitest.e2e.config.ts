import { defineConfig } from 'vitest/config';

// End-to-end suite: a real VS Code (code-server) driven by Chromium. One VS Code at a time (the machine has two
// cores), so files and tests run serially in a single fork. `npm run test:e2e` builds the extension first.

interface TaskLike {
  type: string;
  name: string;
  tasks?: TaskLike[];
  result?: { state?: string };
}

function collect(tasks: readonly TaskLike[], out: TaskLike[] = []): TaskLike[] {
  for (const t of tasks) {
    if (t.type === 'test') out.push(t);
    if (t.tasks) collect(t.tasks, out);
  }
  return out;
}

/** Prints one closing line, `e2e: N passed, N failed[, N skipped]`, that CI logs and people can read at a glance. */
const summary = {
  onFinished(files: readonly TaskLike[] = [], errors: readonly unknown[] = []): void {
    const tests = collect(files);
    const passed = tests.filter((t) => t.result?.state === 'pass').length;
    const failed = tests.filter((t) => t.result?.state === 'fail').length + errors.length;
    const skipped = tests.length - passed - tests.filter((t) => t.result?.state === 'fail').length;
    console.log(`\ne2e: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  },
};

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
    reporters: ['verbose', summary],
    // A failed e2e test is not retried: a flaky end-to-end test is a bug to fix, not to hide.
    retry: 0,
  },
});
