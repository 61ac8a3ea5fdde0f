// Runs once before the smoke suites and the e2e suite on the newest VS Code: both code-servers installed (the newest one on its own Node) and the extension
// built, so every test fails for its own reason rather than for a missing tool.
import { ensureCodeServer } from '../../../scripts/codeServer.mjs';
import { setup as setupE2e } from './globalSetup';

export function setup(): void {
  setupE2e();
  ensureCodeServer('current');
}
