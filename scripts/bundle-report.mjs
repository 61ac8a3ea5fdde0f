// What fills the production bundles, and which heavy packages the extension would load at activation.
// Usage: node scripts/bundle-report.mjs [--from DIR] [--top N] [--json]
//   Without --from it runs the production build (scripts/build.mjs --production --metafile) into .cache/bundle-report/,
//   so it never rewrites the dist/ that tests and the dev build use. --from reads DIR/*.meta.json from an earlier build.
//
// "Eager" means reachable from src/extension.ts through static imports only. esbuild keeps a module reached only
// through `import()` behind a lazy initializer, so static reachability is exactly what runs when the bundle loads.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { builtinModules } from 'node:module';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Packages that activation must not pay for: database drivers, the embedded database and the model SDK. */
export const heavyPackages = ['pg', 'pg-pool', 'pg-protocol', 'better-sqlite3', '@electric-sql/pglite', '@anthropic-ai/sdk'];

/** The npm package an input path belongs to, or the first two path segments of our own sources (src/core, …). */
export function ownerOf(inputPath) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(inputPath);
  if (m) return m[1];
  const parts = inputPath.split('/');
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : inputPath;
}

/** Bytes each package (or source folder) contributes to one output, largest first. */
export function contributors(metafile) {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint);
  if (!output) throw new Error('the metafile has no entry-point output');
  const byOwner = new Map();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    byOwner.set(ownerOf(input), (byOwner.get(ownerOf(input)) ?? 0) + bytesInOutput);
  }
  return [...byOwner.entries()].map(([owner, bytes]) => ({ owner, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/**
 * Every package (bundled or external; not Node's built-ins or `vscode`) reached from the entry point through static
 * imports, with the import chain that reaches it first (breadth-first, so the chain is a shortest one).
 */
export function eagerPackages(metafile, entry = 'src/extension.ts') {
  const parent = new Map([[entry, null]]);
  const queue = [entry];
  const found = new Map();
  const chainTo = (file) => {
    const chain = [];
    for (let f = file; f !== null && f !== undefined; f = parent.get(f)) chain.unshift(f);
    return chain;
  };
  while (queue.length > 0) {
    const file = queue.shift();
    for (const imp of metafile.inputs[file]?.imports ?? []) {
      if (imp.kind === 'dynamic-import') continue;
      if (imp.external) {
        // Node's own modules and the editor API are always there; only packages cost a load.
        const builtin = imp.path.startsWith('node:') || builtinModules.includes(imp.path) || imp.path === 'vscode';
        if (!builtin && !found.has(imp.path)) found.set(imp.path, [...chainTo(file), imp.path]);
        continue;
      }
      if (parent.has(imp.path)) continue;
      parent.set(imp.path, file);
      queue.push(imp.path);
      const owner = ownerOf(imp.path);
      if (imp.path.includes('node_modules/') && !found.has(owner)) found.set(owner, chainTo(imp.path));
    }
  }
  return [...found.entries()].map(([pkg, chain]) => ({ package: pkg, heavy: heavyPackages.includes(pkg), chain }));
}

function readBundles(dir) {
  const bundles = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.meta.json')).sort()) {
    const js = join(dir, name.replace(/\.meta\.json$/, '.js'));
    if (!existsSync(js)) continue;
    const bytes = readFileSync(js);
    bundles.push({ name: name.replace(/\.meta\.json$/, '.js'), bytes: bytes.length, gzipBytes: gzipSync(bytes).length, metafile: JSON.parse(readFileSync(join(dir, name), 'utf8')) });
  }
  return bundles;
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function main() {
  const args = process.argv.slice(2);
  const value = (flag) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const top = Number(value('--top') ?? 12);
  let dir = value('--from');
  if (dir) dir = resolve(dir);
  else {
    dir = join(root, '.cache', 'bundle-report');
    const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production', '--metafile', '--outdir', dir], { stdio: 'inherit' });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  const bundles = readBundles(dir);
  const extension = bundles.find((b) => b.name === 'extension.js');
  if (!extension) {
    console.error(`bundle-report: no extension.js with a metafile in ${dir}`);
    process.exit(1);
  }
  const report = {
    bundles: bundles.map(({ name, bytes, gzipBytes }) => ({ name, bytes, gzipBytes })),
    extension: { contributors: contributors(extension.metafile), eager: eagerPackages(extension.metafile) },
  };
  if (args.includes('--json')) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  console.log('Production bundles (minified):');
  for (const b of report.bundles) console.log(`  ${b.name.padEnd(18)} ${kb(b.bytes).padStart(10)}  (gzip ${kb(b.gzipBytes)})`);
  console.log(`\nLargest contributors to extension.js (top ${top}):`);
  for (const c of report.extension.contributors.slice(0, top)) {
    console.log(`  ${kb(c.bytes).padStart(10)}  ${((100 * c.bytes) / extension.bytes).toFixed(1).padStart(5)}%  ${c.owner}`);
  }
  console.log('\nPackages loaded when the extension loads (static imports from src/extension.ts):');
  if (report.extension.eager.length === 0) console.log('  none');
  for (const e of report.extension.eager) console.log(`  ${e.heavy ? 'HEAVY ' : ''}${e.package}\n      via ${e.chain.join(' -> ')}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
