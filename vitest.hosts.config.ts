import { defineConfig } from 'vitest/config';
import { summaryReporter } from './test/support/summaryReporter';

// The SQLite suites again, on the Node running vitest: scripts/test-on-node.mjs runs this config on the pinned Node 22
// and 24 (scripts/test-hosts.json), where the shipped better-sqlite3 addon (built for Node 20) cannot load, as in
// desktop VS Code's Electron. Each Node's counts are kept under its own label.
const major = process.versions.node.split('.')[0];

export default defineConfig({
  test: {
    include: [
      'test/integration/db/sqlite.test.ts',
      'test/integration/db/cliSqliteBinary.test.ts',
      'test/integration/db/cliExplain.test.ts',
      'test/integration/db/proofSqliteEngines.test.ts',
      'test/integration/schema/sqliteReview.test.ts',
      'test/integration/schema/reviewSchemaCli.test.ts',
      // DuckDB's native library is an N-API addon: the same package must load on every pinned Node.
      'test/integration/db/duckdb.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', summaryReporter(`sqlite-node${major}`)],
  },
});
