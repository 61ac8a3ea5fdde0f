// Builds every bundle with esbuild: the extension host bundle, the CLI, the plan worker and the webview.
// Usage: node scripts/build.mjs [--production] [--watch] [--outdir DIR]
// --outdir (default dist/) lets scripts/package.mjs build a staging copy without rewriting the dist/ others are using.
// --metafile writes esbuild's metafile next to each bundle (NAME.meta.json) for scripts/bundle-report.mjs.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, copyFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const outdirIndex = process.argv.indexOf('--outdir');
const outDir = outdirIndex > 0 && process.argv[outdirIndex + 1] ? process.argv[outdirIndex + 1] : 'dist';

// Native or WASM-carrying packages stay outside the bundle and ship in node_modules.
const nodeExternals = ['vscode', 'better-sqlite3', '@electric-sql/pglite', 'pg-native', '@duckdb/node-api'];

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
};

const nodeEntries = [
  ['src/extension.ts', 'dist/extension.js'],
  ['src/cli/main.ts', 'dist/cli.js'],
  ['src/host/planWorker.ts', 'dist/planWorker.js'],
  ['src/db/sqlite/worker.ts', 'dist/sqliteWorker.js'],
  ['src/db/duckdb/worker.ts', 'dist/duckdbWorker.js'],
  ['src/db/demo/worker.ts', 'dist/demoWorker.js'],
]
  .filter(([src]) => existsSync(join(root, src)))
  .map(([src, out]) => [src, join(outDir, out.replace(/^dist\//, ''))]);

// Large packages the extension reaches only through import() on first use. Bundled into extension.js they would still be
// parsed at every activation (the SDK alone is half the bundle), so the extension bundle loads each from its own file
// in dist/vendor/ instead; so does the CLI, whose every start would otherwise parse them. The workers keep them inline.
const requireFromRoot = createRequire(join(root, 'package.json'));
// `../mcpSdk` is the CLI's one module of @modelcontextprotocol/sdk imports (src/cli/mcpSdk.ts), vendored the same way.
const lazyVendors = { '@anthropic-ai/sdk': 'anthropic', pg: 'pg', 'gray-matter': 'grayMatter', '../mcpSdk': 'mcp', 'mysql2/promise': 'mysql2' };
const vendorEntry = (pkg) => (pkg === '../mcpSdk' ? join(root, 'src/cli/mcpSdk.ts') : requireFromRoot.resolve(pkg));
const lazyVendorPlugin = {
  name: 'lazy-vendor',
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(lazyVendors).map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: `./vendor/${lazyVendors[args.path]}.js`, external: true }));
  },
};

const builds = nodeEntries.map(([entry, outfile]) => ({
  ...common,
  entryPoints: [entry],
  outfile,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: nodeExternals,
  // Dynamic imports become require() so the vendored CommonJS files load the same way they would inline. The CLI
  // too: a subcommand that needs no database driver or model client never parses them.
  ...(entry === 'src/extension.ts' || entry === 'src/cli/main.ts' ? { plugins: [lazyVendorPlugin], supported: { 'dynamic-import': false } } : {}),
}));

for (const [pkg, name] of Object.entries(lazyVendors)) {
  builds.push({
    ...common,
    sourcemap: false,
    entryPoints: [vendorEntry(pkg)],
    outfile: join(outDir, 'vendor', `${name}.js`),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternals,
  });
}

if (existsSync(join(root, 'media/main.ts'))) {
  builds.push({
    ...common,
    entryPoints: { webview: 'media/main.ts' },
    outdir: outDir,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.css': 'css' },
  });
}

// The plan view (media/plan): the webview of the Open Plan / Compare Plans panels and the script the HTML report of
// `dataeng analyze-plan --html` inlines. Its own bundle, so the chat webview does not carry it.
if (existsSync(join(root, 'media/plan/main.ts'))) {
  builds.push({
    ...common,
    entryPoints: { planView: 'media/plan/main.ts' },
    outdir: outDir,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    // Inlined into the report under a hash-based CSP: a source map comment would point at a file that is not there.
    sourcemap: false,
  });
}

mkdirSync(resolve(root, outDir), { recursive: true });
if (existsSync(join(root, 'media/main.css'))) copyFileSync(join(root, 'media/main.css'), resolve(root, outDir, 'webview.css'));
// sql.js (SQLite as WebAssembly, the SQLite worker's last-resort engine) is bundled into sqliteWorker.js; the worker
// loads its .wasm from next to itself. Its licence travels with it.
const sqlJsDist = dirname(requireFromRoot.resolve('sql.js/dist/sql-wasm.wasm'));
copyFileSync(join(sqlJsDist, 'sql-wasm.wasm'), resolve(root, outDir, 'sql-wasm.wasm'));
copyFileSync(join(sqlJsDist, '..', 'LICENSE'), resolve(root, outDir, 'sql-wasm.LICENSE.txt'));
if (existsSync(join(root, 'media/plan/plan.css'))) {
  copyFileSync(join(root, 'media/plan/plan.css'), resolve(root, outDir, 'planView.css'));
  copyFileSync(join(root, 'media/plan/reportTheme.css'), resolve(root, outDir, 'planReportTheme.css'));
}

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching…');
} else {
  const metafile = process.argv.includes('--metafile');
  await Promise.all(
    builds.map(async (b) => {
      const result = await esbuild.build({ ...b, metafile });
      if (metafile) writeFileSync(resolve(root, b.outfile ?? join(b.outdir, `${Object.keys(b.entryPoints)[0]}.js`)).replace(/\.js$/, '.meta.json'), JSON.stringify(result.metafile));
    }),
  );
}
