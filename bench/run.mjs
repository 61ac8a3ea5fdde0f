// Runs every benchmark in bench/ (files named *.bench.ts), one process each, and prints their figures.
// Usage: npm run bench [-- name-filter]
// Each benchmark bundles on the fly with esbuild and prints lines; the last line it prints that starts with
// `RESULT ` is a JSON object of figures, collected into bench/results/latest.json.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, 'results');
mkdirSync(outDir, { recursive: true });
const filter = process.argv[2] ?? '';
const files = readdirSync(here).filter((f) => f.endsWith('.bench.ts') && f.includes(filter)).sort();
const results = {};
let failed = 0;
for (const file of files) {
  const name = file.replace(/\.bench\.ts$/, '');
  const outfile = join(outDir, `${name}.cjs`);
  await esbuild.build({
    entryPoints: [join(here, file)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'better-sqlite3', '@electric-sql/pglite', 'pg-native', 'playwright-core', '@duckdb/node-api'],
    logLevel: 'warning',
  });
  console.log(`\n== ${name}`);
  const run = spawnSync(process.execPath, ['--expose-gc', outfile], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', cwd: join(here, '..') });
  process.stdout.write(run.stdout);
  const line = run.stdout.split('\n').reverse().find((l) => l.startsWith('RESULT '));
  if (run.status !== 0 || !line) {
    failed++;
    console.error(`benchmark ${name} failed (exit ${run.status})`);
    continue;
  }
  results[name] = JSON.parse(line.slice('RESULT '.length));
}
writeFileSync(join(outDir, 'latest.json'), JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2));
console.log(`\nfigures written to bench/results/latest.json`);
process.exit(failed ? 1 : 0);
