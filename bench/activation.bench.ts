// Activation cost of the extension, measured two ways:
//  1. The production bundle (the settings of `npm run build:prod`, built in memory with a metafile): its size, what
//     fills it, and which heavy packages activation would load eagerly (reached from src/extension.ts through static
//     imports only; a dynamic import() is loaded on first use).
//  2. A real VS Code (code-server + Chromium) loading that production bundle: open a SQL file (activation event
//     onLanguage:sql), then read the activation time the extension host reports in "Developer: Show Running
//     Extensions", its breakdown (load code / call activate) in "Developer: Startup Performance", and the time
//     activate() logs about itself ("activated in N ms"). Several fresh profiles; medians reported. The machine is
//     shared, so single runs vary a lot: compare medians, and compare with the built-in extensions in the same table.
// Run: npm run bench -- activation   (needs code-server: scripts/install-code-server.sh)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { Script } from 'node:vm';
import { join } from 'node:path';
import type { Workbench } from '../test/e2e/pages/workbench';
import { VsCodeSession } from '../test/e2e/support/session';
import { round, report, summarize } from './harness';

interface MetafileImport {
  path: string;
  kind: string;
  external?: boolean;
}

interface Metafile {
  inputs: Record<string, { bytes: number; imports: MetafileImport[] }>;
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

const heavyPackages = ['pg', 'pg-pool', 'pg-protocol', 'better-sqlite3', '@electric-sql/pglite', '@anthropic-ai/sdk', 'gray-matter', 'js-yaml', 'marked', 'dompurify'];
const root = process.cwd();

function packageOf(path: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  return m ? m[1]! : path.startsWith('src/') ? 'src (this extension)' : path;
}

function bundleFigures(): { figures: Record<string, unknown>; dist: string } {
  // The real production build (scripts/build.mjs, as `npm run build:prod` runs it) into a folder of its own, with
  // esbuild's metafile, so what is measured is exactly what ships.
  const dist = mkdtempSync(join(tmpdir(), 'dataeng-prod-dist-'));
  const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--production', '--metafile', '--outdir', dist], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`production build failed: ${build.stderr}`);
  const metafile = JSON.parse(readFileSync(join(dist, 'extension.meta.json'), 'utf8')) as Metafile;
  const js = { contents: readFileSync(join(dist, 'extension.js')) };
  const result = { metafile };
  const output = Object.values(metafile.outputs).find((o) => Object.keys(o.inputs).length > 0);
  if (!output) throw new Error('esbuild produced no extension.js');

  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const pkg = packageOf(input);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytesInOutput);
  }
  const largest = [...byPackage.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([pkg, bytes]) => `${pkg} ${round(bytes / 1024, 1)} KB`);

  // Breadth-first over static imports from the entry point, remembering how each module was reached.
  const reachedFrom = new Map<string, string | null>([['src/extension.ts', null]]);
  const queue = ['src/extension.ts'];
  const eagerExternal = new Map<string, string>();
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const imp of result.metafile.inputs[file]?.imports ?? []) {
      if (imp.kind === 'dynamic-import') continue;
      if (imp.external) {
        if (imp.path !== 'vscode' && !eagerExternal.has(imp.path)) eagerExternal.set(imp.path, file);
        continue;
      }
      if (reachedFrom.has(imp.path)) continue;
      reachedFrom.set(imp.path, file);
      queue.push(imp.path);
    }
  }
  const chain = (file: string): string => {
    const parts: string[] = [];
    for (let f: string | null | undefined = file; f; f = reachedFrom.get(f)) parts.unshift(f.replace(/^node_modules\//, ''));
    return parts.filter((p) => !p.includes('node_modules/') || p === parts[parts.length - 1]).join(' → ');
  };
  const eagerHeavy: string[] = [];
  for (const pkg of heavyPackages) {
    const first = [...reachedFrom.keys()].find((f) => packageOf(f) === pkg);
    if (first) eagerHeavy.push(`${pkg}: ${chain(first)}`);
    const ext = [...eagerExternal.entries()].find(([p]) => p === pkg || p.startsWith(`${pkg}/`));
    if (ext) eagerHeavy.push(`${pkg} (external): ${chain(ext[1])} → ${ext[0]}`);
  }
  // Parsing and compiling the bundle's top level in this process, as a floor for "load code" in VS Code (which
  // also reads the file and evaluates the top level; the latter needs the vscode module, so it is not done here).
  const source = Buffer.from(js.contents).toString('utf8');
  const compile = summarize(
    Array.from({ length: 5 }, () => {
      const t0 = performance.now();
      new Script(source, { filename: `extension-${Math.random()}.js` });
      return performance.now() - t0;
    }),
  );

  const bundleBytes = js.contents.byteLength;
  console.log(`production bundle: ${round(bundleBytes / 1024, 1)} KB (aim < 1536 KB)`);
  console.log(`largest parts: ${largest.join(', ')}`);
  console.log(eagerHeavy.length ? `heavy modules loaded at activation:\n  ${eagerHeavy.join('\n  ')}` : 'no heavy module is loaded at activation');
  console.log(`compiling the bundle's top level: median ${compile.medianMs} ms`);
  return {
    figures: { bundleKB: round(bundleBytes / 1024, 1), bundleUnder1_5MB: bundleBytes < 1.5 * 1024 * 1024, compileMedianMs: compile.medianMs, largestParts: largest, eagerHeavy },
    dist,
  };
}

interface ActivationRun {
  /** "Activation" in Running Extensions: code loading + the activate() call. */
  hostMs: number;
  loadCodeMs: number;
  callActivateMs: number;
  /** What activate() logs about itself. */
  activateMs: number;
}

async function activationRun(index: number, dist: string): Promise<ActivationRun> {
  const session = await VsCodeSession.open({ name: `bench-activation-${index}`, dist, settings: { 'editor.wordWrap': 'off' } });
  try {
    const wb: Workbench = session.workbench;
    await wb.openFile('queries.sql');
    const logged = await waitFor(() => /activated in (\d+(?:\.\d+)?) ms/.exec(session.extensionLog()), 60_000);
    await wb.runCommand('Developer: Show Running Extensions');
    const text = await wb.runningExtensionActivation('Data Engineer Assistant');
    const host = /Activation:\s*(\d+(?:\.\d+)?)ms/.exec(text);
    if (!host) throw new Error(`no activation time in the Running Extensions row: "${text}"`);
    // "Developer: Startup Performance" has the breakdown in its activation table:
    // |Extension|Eager|Load Code|Call Activate|Finish Activate|Event|By|
    await wb.runCommand('Developer: Startup Performance');
    await wb.editor.reveal('dataeng.dataeng');
    const row = await waitForAsync(async () => {
      const lines = await wb.editor.textOfAllEditors();
      return lines.map((l) => /^\|\s*dataeng\.dataeng\s*\|\s*(?:true|false)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|/.exec(l)).find((m) => m) ?? null;
    }, 30_000);
    return { hostMs: Number(host[1]), loadCodeMs: Number(row[1]), callActivateMs: Number(row[2]), activateMs: Number(logged[1]) };
  } finally {
    await session.close();
  }
}

async function waitForAsync<T>(probe: () => Promise<T | null | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function waitFor<T>(probe: () => T | null | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main(): Promise<void> {
  const { figures, dist } = bundleFigures();
  const runs = Number(process.env.DATAENG_BENCH_RUNS ?? 3);
  const results: ActivationRun[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const r = await activationRun(i, dist);
      console.log(
        `run ${i + 1}: extension host reports ${r.hostMs} ms (load code ${r.loadCodeMs} ms, call activate ${r.callActivateMs} ms); ` +
          `activate() logs ${r.activateMs} ms`,
      );
      results.push(r);
    }
  } finally {
    rmSync(dist, { recursive: true, force: true });
  }
  const median = (pick: (r: ActivationRun) => number) => summarize(results.map(pick)).medianMs;
  report({
    ...figures,
    activationHostMedianMs: median((r) => r.hostMs),
    loadCodeMedianMs: median((r) => r.loadCodeMs),
    callActivateMedianMs: median((r) => r.callActivateMs),
    activateBodyMedianMs: median((r) => r.activateMs),
    runs,
    // The machine is shared: its load average says how much to trust single figures.
    loadAverage1m: round(loadavg()[0] ?? 0, 1),
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
