#!/usr/bin/env node
// Runs the SQLite suites (vitest.hosts.config.ts) on each pinned Node in scripts/test-hosts.json other than the one
// running npm: Node 22 and 24, where the shipped better-sqlite3 addon cannot load. Installs them when missing
// (scripts/install-node.sh). `npm run test:sqlite-hosts` builds first, for the CLI test's dist/.
//   node scripts/test-on-node.mjs [MAJOR…]     default: every pinned major but this Node's own
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './codeServer.mjs';

const pinned = Object.keys(JSON.parse(readFileSync(join(repoRoot, 'scripts', 'test-hosts.json'), 'utf8')).node);
const own = process.versions.node.split('.')[0];
const majors = process.argv.length > 2 ? process.argv.slice(2) : pinned.filter((m) => m !== own);

let failed = 0;
for (const major of majors) {
  const install = spawnSync('bash', [join(repoRoot, 'scripts', 'install-node.sh'), major], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (install.status !== 0) {
    console.error(`[test-on-node] could not install Node ${major}`);
    process.exit(1);
  }
  const node = install.stdout.trim().split('\n').pop();
  console.log(`\n[test-on-node] SQLite suites on ${spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()}`);
  const run = spawnSync(node, [join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '-c', 'vitest.hosts.config.ts'], { cwd: repoRoot, stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
