// Builds the database worker bundles from the current sources into a temporary directory, so the tests never
// run a stale dist/ copy.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

let built: Promise<string> | undefined;

export function buildWorkers(): Promise<string> {
  built ??= (async () => {
    const root = join(__dirname, '..', '..', '..');
    // Inside the project (git-ignored .cache/), so the bundles resolve better-sqlite3 and PGlite from node_modules.
    mkdirSync(join(root, '.cache'), { recursive: true });
    const dir = mkdtempSync(join(root, '.cache', 'test-workers-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    await esbuild.build({
      entryPoints: { sqliteWorker: join(root, 'src/db/sqlite/worker.ts'), demoWorker: join(root, 'src/db/demo/worker.ts'), duckdbWorker: join(root, 'src/db/duckdb/worker.ts') },
      outdir: dir,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['better-sqlite3', '@electric-sql/pglite', 'pg-native', '@duckdb/node-api'],
      logLevel: 'warning',
      absWorkingDir: root,
    });
    // sql.js finds its WebAssembly next to the worker bundle, as in dist/.
    copyFileSync(createRequire(__filename).resolve('sql.js/dist/sql-wasm.wasm'), join(dir, 'sql-wasm.wasm'));
    return dir;
  })();
  return built;
}
