// Runs once before the e2e suite: makes sure code-server is installed and the extension is built, so every test
// fails for its own reason rather than for a missing tool.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCodeServer, repoRoot } from '../../../scripts/codeServer.mjs';
import { chromiumPath } from './browser';

export function setup(): void {
  if (!existsSync(join(repoRoot, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js is missing: run the suite with `npm run test:e2e`, which builds first');
  }
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: run scripts/setup-test-env.sh (or set DATAENG_CHROMIUM)`);
  }
  ensureCodeServer();
}
