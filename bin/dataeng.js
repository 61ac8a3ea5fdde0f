#!/usr/bin/env node
'use strict';
// The `dataeng` command: a thin launcher for the bundled CLI (built by `npm run build`).
const { join } = require('node:path');
const { existsSync } = require('node:fs');
const bundle = join(__dirname, '..', 'dist', 'cli.js');
if (!existsSync(bundle)) {
  process.stderr.write('dataeng: dist/cli.js is missing; run `npm run build` first.\n');
  process.exit(2);
}
require(bundle).main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`dataeng: ${err && err.message ? err.message : String(err)}\n`); process.exitCode = 1; },
);
