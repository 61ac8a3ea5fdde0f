// The .vsix as users install it: `scripts/package.mjs` (what `npm run package` runs) builds and packs it, then the
// package is checked entry by entry, unpacked outside the checkout and its native and WASM runtime packages are
// loaded from there, and the shipped bundle is loaded and activated to see which modules it pulls in at start-up.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/open';
import { SqliteDatabase } from '../../../src/db/sqlite/driver';
import { defaultSessionLimits } from '../../../src/db/types';
import { openWritableSqlite } from '../../support/writableSqlite';
import { extractZip, listZip } from '../../support/zip';

const root = join(__dirname, '..', '..', '..');
// Staging inside the checkout (hard links to node_modules need one file system); the unpacked copy outside it, so
// nothing it requires can be found in the checkout's node_modules by accident.
mkdirSync(join(root, '.cache'), { recursive: true });
const staging = mkdtempSync(join(root, '.cache', 'vsix-test-'));
const outside = mkdtempSync(join(tmpdir(), 'dataeng-vsix-'));
const vsixFile = join(outside, 'dataeng.vsix');
const unpacked = join(outside, 'unpacked');
const extensionDir = join(unpacked, 'extension');

/**
 * 9 MB. Today's package is about 6.8 MB, and most of it cannot shrink: PGlite's WASM and data files (~5 MB
 * compressed, the embedded demo database) and better-sqlite3's addon (~0.9 MB). The margin allows our own code to
 * grow, but not an accidental inclusion: PGlite's full dist/ (extension tarballs, ESM build, source maps) or
 * better-sqlite3's SQLite sources would each push it past the limit. DuckDB's native library for the platform adds
 * ~23 MB compressed (~70 MB unpacked): 9 MB became 36 MB and 24 MB unpacked became 100 MB when it began to ship.
 */
const maxVsixBytes = 36 * 1024 * 1024;
/** Unpacked, the same files take about 20 MB; the accidental inclusions above add 10 MB or more each. */
const maxUnpackedBytes = 100 * 1024 * 1024;

/** The only packages that ship in node_modules: what the bundles leave external (scripts/build.mjs) and their needs. */
const runtimePackages = ['better-sqlite3', 'bindings', 'file-uri-to-path', '@electric-sql/pglite', '@duckdb/node-api', '@duckdb/node-bindings', 'detect-libc', `@duckdb/node-bindings-${process.platform}-${process.arch}`];
/** Packages activation must not load; the first two are external (required at run time), the others are bundled. */
const heavyPackages = ['better-sqlite3', '@electric-sql/pglite', '@duckdb/node-api', 'pg', 'pg-pool', 'pg-protocol', '@anthropic-ai/sdk'];

/** Runs node asynchronously: a synchronous child would block the test worker, which must keep answering vitest. */
async function node(args: string[], cwd = root, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

afterAll(() => {
  rmSync(staging, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

interface ProbeResult {
  required: { load: string[]; activate: string[]; after: string[] };
  activateError?: string;
}

interface BundleReport {
  bundles: { name: string; bytes: number; gzipBytes: number }[];
  extension: { contributors: { owner: string; bytes: number }[]; eager: { package: string; heavy: boolean; chain: string[] }[] };
}

function packageOfRequest(request: string): string {
  const parts = request.split('/');
  return request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

it('npm run package builds a small, complete .vsix that loads its runtime packages and activates without heavy modules', async () => {
  await node([join(root, 'scripts', 'package.mjs'), '--out', vsixFile, '--staging', staging]);

  // Size.
  const zip = readFileSync(vsixFile);
  const entries = listZip(zip);
  const names = entries.map((e) => e.name);
  const unpackedBytes = entries.reduce((sum, e) => sum + e.size, 0);
  console.log(`dataeng.vsix: ${(zip.length / 1024 / 1024).toFixed(2)} MB, ${entries.length} entries, ${(unpackedBytes / 1024 / 1024).toFixed(2)} MB unpacked`);
  expect(zip.length).toBeLessThan(maxVsixBytes);
  expect(unpackedBytes).toBeLessThan(maxUnpackedBytes);

  // What must be there: manifest, bundles, personas, icon, licence, and the runtime packages' loadable files.
  const bundledPersonas = readdirSync(join(root, 'agents')).filter((f) => f.endsWith('.md'));
  expect(bundledPersonas.length).toBeGreaterThanOrEqual(2);
  const required = [
    'extension.vsixmanifest',
    'extension/package.json',
    'extension/LICENSE.txt',
    // vsce stores the README and the changelog under lower-case names, which is where VS Code looks for them.
    'extension/changelog.md',
    'extension/readme.md',
    'extension/media/icon.svg',
    'extension/media/icon.png',
    ...['extension.js', 'planWorker.js', 'sqliteWorker.js', 'demoWorker.js', 'duckdbWorker.js', 'webview.js', 'webview.css', 'planView.js', 'planView.css', 'vendor/anthropic.js', 'vendor/pg.js', 'vendor/grayMatter.js', 'cli.js', 'vendor/mcp.js', 'sql-wasm.wasm', 'sql-wasm.LICENSE.txt'].map(
      (f) => `extension/dist/${f}`,
    ),
    ...bundledPersonas.map((f) => `extension/agents/${f}`),
    'extension/node_modules/better-sqlite3/package.json',
    'extension/node_modules/better-sqlite3/lib/index.js',
    'extension/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
    'extension/node_modules/bindings/bindings.js',
    'extension/node_modules/file-uri-to-path/index.js',
    ...['index.cjs', 'pglite.wasm', 'pglite.data', 'initdb.wasm'].map((f) => `extension/node_modules/@electric-sql/pglite/dist/${f}`),
    'extension/node_modules/@duckdb/node-api/lib/index.js',
    'extension/node_modules/@duckdb/node-bindings/duckdb.js',
    `extension/node_modules/@duckdb/node-bindings-${process.platform}-${process.arch}/duckdb.node`,
  ];
  expect(required.filter((r) => !names.includes(r))).toEqual([]);

  // What must not be: sources, tests, tooling, maps, metafiles, and any node_modules package the bundles do not load.
  const forbidden = names.filter(
    (n) =>
      /^extension\/(src|test|bench|scripts|demo|bin|test-results|\.cache|\.ci|\.git)\//.test(n) ||
      /\.(map|ts|mts|cts|meta\.json|vsix)$/.test(n) ||
      /(^|\/)(tsconfig\.json|\.vscodeignore|eslint\.config\.mjs|vitest[^/]*|package-lock\.json)$/.test(n) ||
      /^extension\/node_modules\/\.bin\//.test(n) ||
      (n.startsWith('extension/node_modules/') && !runtimePackages.includes(packageOfRequest(n.slice('extension/node_modules/'.length)))),
  );
  expect(forbidden).toEqual([]);
  // Within PGlite only the CommonJS entry and its three data files; within better-sqlite3 no sources or build leftovers.
  expect(names.filter((n) => /pglite\/dist\/.*\.(tar\.gz|js)$/.test(n))).toEqual([]);
  expect(names.filter((n) => /better-sqlite3\/(deps|src|build\/Release\/(obj|test_extension))/.test(n))).toEqual([]);

  // The manifest's entry point and the platform target the addon was compiled for.
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string };
  expect(names).toContain(`extension/${manifest.main.replace(/^\.\//, '')}`);
  extractZip(zip, unpacked);
  const platform = process.platform === 'linux' && existsSync('/etc/alpine-release') ? 'alpine' : process.platform;
  const target = `${platform}-${process.arch === 'arm' ? 'armhf' : process.arch}`;
  const vsixManifest = readFileSync(join(unpacked, 'extension.vsixmanifest'), 'utf8');
  expect(vsixManifest).toContain(`TargetPlatform="${target}"`);

  // Marketplace metadata: a 128×128 PNG icon, the gallery banner, and links to the repository, issues and home page.
  expect(vsixManifest).toContain('<Icon>extension/media/icon.png</Icon>');
  expect(vsixManifest).toMatch(/Id="Microsoft\.VisualStudio\.Services\.Branding\.Color" Value="#[0-9a-f]{6}"/i);
  for (const link of ['Source', 'Support', 'Learn']) expect(vsixManifest).toMatch(new RegExp(`Links\\.${link}" Value="https://`));
  const icon = readFileSync(join(extensionDir, 'media', 'icon.png'));
  expect(icon.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect([icon.readUInt32BE(16), icon.readUInt32BE(20)]).toEqual([128, 128]);

  // Every module the shipped node bundles require is a Node built-in, the editor, a file of dist/, or a shipped package.
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  for (const bundle of ['extension.js', 'planWorker.js', 'sqliteWorker.js', 'demoWorker.js', 'duckdbWorker.js', 'cli.js', 'vendor/mcp.js']) {
    const code = readFileSync(join(extensionDir, 'dist', bundle), 'utf8');
    expect(code, `${bundle} is the production build`).not.toMatch(/sourceMappingURL/);
    const requests = [...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!);
    // pg-native is pg's optional native binding: pg requires it only when `pg.native` is read (we never do) or when
    // NODE_PG_FORCE_NATIVE is set, so it is deliberately not shipped.
    const unexpected = requests.filter(
      (r) =>
        !builtins.has(r) &&
        !(r === 'vscode' && bundle === 'extension.js') &&
        r !== 'pg-native' &&
        // ajv (in the MCP SDK) writes these into the source text of validators it can emit as standalone modules;
        // compiled in memory they are never required. The shipped server is run below from the unpacked copy.
        !(bundle === 'vendor/mcp.js' && /^ajv(-formats)?\/dist\//.test(r)) &&
        !r.startsWith('./') &&
        !runtimePackages.includes(packageOfRequest(r)),
    );
    expect(unexpected, `${bundle} requires only built-ins, vscode and shipped packages`).toEqual([]);
  }

  // The CLI ships for `dataeng mcp` (the MCP server definition provider runs dist/cli.js directly).
  const mcpHelp = await promisify(execFile)(process.execPath, [join(extensionDir, 'dist', 'cli.js'), 'mcp', '--help']);
  expect(mcpHelp.stdout).toContain('usage: dataeng mcp');
  const mcp = new Client({ name: 'vsix-test', version: '1.0.0' });
  await mcp.connect(new StdioClientTransport({ command: process.execPath, args: [join(extensionDir, 'dist', 'cli.js'), 'mcp', '--url', `sqlite://${join(outside, 'none.db')}`], stderr: 'ignore' }));
  try {
    expect((await mcp.listTools()).tools).toHaveLength(7);
    const plan = (await mcp.callTool({ name: 'analyze_plan', arguments: { plan: 'Seq Scan on t  (cost=0.00..35.50 rows=2550 width=4)' } })) as { isError?: boolean; content: { text: string }[] };
    expect(plan.isError).toBeFalsy();
    expect(plan.content[0]!.text).toMatch(/^Plan \(postgres\) read: 1 finding/);
  } finally {
    await mcp.close();
  }

  // The runtime packages work from the unpacked copy: SQLite through the real driver and the shipped worker bundle
  // (which resolves better-sqlite3 from the package's node_modules), PGlite by starting an in-memory server.
  const dbFile = join(outside, 'probe.db');
  const writer = openWritableSqlite(dbFile);
  writer.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT); CREATE INDEX t_a ON t(a);');
  writer.close();
  const sqlite = await openDatabase({ name: 'vsix', driver: 'sqlite', file: dbFile }, { limits: defaultSessionLimits, workerDir: join(extensionDir, 'dist') });
  try {
    expect((await sqlite.test()).version).toMatch(/^SQLite 3\./);
    const explained = await sqlite.explain("SELECT * FROM t WHERE a = 'x'", { analyze: false, consentToWrites: false });
    expect(JSON.stringify(explained.plan)).toContain('t_a');
  } finally {
    await sqlite.close();
  }
  // The WebAssembly engine, which needs nothing native, runs from the package too (its .wasm beside the worker).
  const wasmSqlite = new SqliteDatabase({ name: 'vsix-wasm', driver: 'sqlite', file: dbFile }, { limits: defaultSessionLimits, workerDir: join(extensionDir, 'dist'), engines: ['sql.js'] });
  try {
    expect((await wasmSqlite.test()).version).toMatch(/^SQLite 3\.\d+\.\d+ \(sql\.js\)$/);
    expect(JSON.stringify((await wasmSqlite.explain("SELECT * FROM t WHERE a = 'x'", { analyze: false, consentToWrites: false })).plan)).toContain('t_a');
  } finally {
    await wasmSqlite.close();
  }
  // DuckDB through the real driver and the shipped worker, which loads the platform's library from the package.
  const duckdb = await openDatabase({ name: 'vsix-duckdb', driver: 'duckdb', file: ':memory:' }, { limits: defaultSessionLimits, workerDir: join(extensionDir, 'dist'), cwd: outside });
  try {
    expect((await duckdb.test()).version).toMatch(/^DuckDB v1\./);
    expect((await duckdb.explain('SELECT 42', { analyze: true, consentToWrites: false })).planFormat).toBe('duckdb-json');
  } finally {
    await duckdb.close();
  }
  const pglite = await node(
    ['-e', "const { PGlite } = require('@electric-sql/pglite'); (async () => { const db = new PGlite(); const r = await db.query('select version() as v'); console.log(r.rows[0].v); await db.close(); })().catch((e) => { console.error(e); process.exit(1); });"],
    extensionDir,
    { ...process.env, NODE_PATH: '' },
  );
  expect(pglite).toMatch(/^PostgreSQL \d+/);

  // Start-up cost, two ways. At run time: load and activate the shipped bundle with a stand-in vscode and record every
  // require (this sees the external packages). In the build graph: which packages are reachable from
  // src/extension.ts through static imports (this sees the bundled ones too, which a require hook cannot).
  const probe = JSON.parse(
    await node([join(__dirname, 'activationProbe.cjs'), join(extensionDir, 'dist', 'extension.js'), extensionDir, join(outside, 'storage')]),
  ) as ProbeResult;
  console.log(`required at load: ${probe.required.load.join(', ')}; during activate(): ${probe.required.activate.join(', ') || 'nothing'}`);
  expect(probe.activateError).toBeUndefined();
  const eagerAtRunTime = [...probe.required.load, ...probe.required.activate].filter((r) => heavyPackages.includes(packageOfRequest(r)));
  expect(eagerAtRunTime).toEqual([]);

  const report = JSON.parse(await node([join(root, 'scripts', 'bundle-report.mjs'), '--from', join(staging, 'dist'), '--json'])) as BundleReport;
  const eagerInBuild = report.extension.eager.filter((e) => e.heavy).map((e) => `${e.package} via ${e.chain.join(' -> ')}`);
  expect(eagerInBuild).toEqual([]);
  const extensionBytes = statSync(join(extensionDir, 'dist', 'extension.js')).size;
  expect(report.bundles.find((b) => b.name === 'extension.js')?.bytes).toBe(extensionBytes);
}, 900_000);

it('a .vsix for another platform leaves the native addon out, and SQLite still works from it without the addon', async () => {
  const otherVsix = join(outside, 'dataeng-darwin-arm64.vsix');
  const otherUnpacked = join(outside, 'unpacked-darwin-arm64');
  await node([join(root, 'scripts', 'package.mjs'), '--target', 'darwin-arm64', '--out', otherVsix]);
  const zip = readFileSync(otherVsix);
  const names = listZip(zip).map((e) => e.name);
  expect(names.filter((n) => /node_modules\/(better-sqlite3|bindings|file-uri-to-path|@duckdb\/node-bindings-[^/]+)\//.test(n))).toEqual([]);
  expect(names).toContain('extension/dist/sql-wasm.wasm');
  expect(names).toContain('extension/node_modules/@electric-sql/pglite/dist/pglite.wasm');
  extractZip(zip, otherUnpacked);
  expect(readFileSync(join(otherUnpacked, 'extension.vsixmanifest'), 'utf8')).toContain('TargetPlatform="darwin-arm64"');

  // With no addon in the package, the worker falls through to the next engine this Node has: node:sqlite on Node 22+,
  // sql.js on Node 20.
  const dbFile = join(outside, 'probe-no-addon.db');
  const writer = openWritableSqlite(dbFile);
  writer.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT); CREATE INDEX t_a ON t(a);');
  writer.close();
  const sqlite = await openDatabase({ name: 'vsix-no-addon', driver: 'sqlite', file: dbFile }, { limits: defaultSessionLimits, workerDir: join(otherUnpacked, 'extension', 'dist') });
  try {
    expect((await sqlite.test()).version).toMatch(/\((node:sqlite|sql\.js)\)$/);
    expect(JSON.stringify((await sqlite.explain("SELECT * FROM t WHERE a = 'x'", { analyze: false, consentToWrites: false })).plan)).toContain('t_a');
  } finally {
    await sqlite.close();
  }
}, 900_000);
