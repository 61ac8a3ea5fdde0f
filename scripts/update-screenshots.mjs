#!/usr/bin/env node
// Copies the README's screenshots from the last smoke run into media/: they are real screens of the packaged
// extension installed in the newest VS Code tested (test/e2e/packagedVsix.smoke.test.ts, code-server `current`).
//   npm run test:smoke && node scripts/update-screenshots.mjs
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './codeServer.mjs';

const results = join(repoRoot, 'test-results', 'e2e');
/** media/ file ← the label the smoke test gave its screenshot. */
const wanted = { 'screenshot-optimize.png': 'optimize', 'screenshot-plan-view.png': 'plan-view', 'screenshot-review-schema.png': 'review-schema' };

const files = existsSync(results) ? readdirSync(results) : [];
let missing = 0;
for (const [target, label] of Object.entries(wanted)) {
  const found = files.find((f) => new RegExp(`^vsix-current-\\d+-${label}\\.png$`).test(f));
  if (!found) {
    console.error(`no vsix-current-NN-${label}.png in test-results/e2e: run npm run test:smoke first`);
    missing++;
    continue;
  }
  copyFileSync(join(results, found), join(repoRoot, 'media', target));
  console.log(`media/${target} ← test-results/e2e/${found}`);
}
process.exit(missing ? 1 : 0);
