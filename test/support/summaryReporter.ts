// A vitest reporter that prints one closing line, `LABEL: N passed, N failed[, N skipped]`, and keeps the counts in
// test-results/counts-LABEL.json so .ci/run can print the total of every suite it ran.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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

export function summaryReporter(label: string): { onFinished(files?: readonly TaskLike[], errors?: readonly unknown[]): void } {
  return {
    onFinished(files = [], errors = []) {
      const tests = collect(files);
      const passed = tests.filter((t) => t.result?.state === 'pass').length;
      const failedTests = tests.filter((t) => t.result?.state === 'fail').length;
      const failed = failedTests + errors.length;
      const skipped = tests.length - passed - failedTests;
      const dir = join(process.cwd(), 'test-results');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `counts-${label}.json`), JSON.stringify({ passed, failed, skipped }));
      console.log(`\n${label}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
    },
  };
}
