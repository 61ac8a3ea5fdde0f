/// <reference lib="dom" />
// `dataeng analyze-plan --compare` and `--html`: the comparison as JSON through main(), and the HTML reports written
// by the bundled command (built here into a folder of its own, so the dist/ other tests read is left alone), opened in
// Chromium.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';
import { openPlanReport } from '../../support/planViewPage';
import { launchChromium } from '../../support/webviewPage';

const root = join(__dirname, '..', '..', '..');
const fixtures = join(root, 'test/fixtures/plans');

function capture(): CliIo & { out: string; err: string; written: Map<string, string> } {
  const io = {
    out: '',
    err: '',
    written: new Map<string, string>(),
    stdout(t: string) {
      io.out += t;
    },
    stderr(t: string) {
      io.err += t;
    },
    readFile: (path: string) => readFile(path, 'utf8'),
    writeFile: (path: string, text: string) => {
      io.written.set(path, text);
      return Promise.resolve();
    },
    env: {},
    cwd: fixtures,
  };
  return io;
}

interface Comparison {
  totals: { label: string; before?: number; after?: number }[];
  counts: Record<string, number>;
  appeared: { id: string; node: string }[];
  disappeared: { id: string; node: string }[];
  replaced: { before: { id: string; node: string }; after: { id: string; node: string } }[];
}

describe('dataeng analyze-plan --compare via main()', () => {
  it('prints totals before → after, counts, and the nodes that appeared, disappeared or were replaced', async () => {
    const io = capture();
    expect(await main(['analyze-plan', 'postgres/seq-scan-filter.analyze-buffers.json', '--compare', 'postgres/pk-lookup.analyze-buffers.json'], io)).toBe(0);
    const out = JSON.parse(io.out) as Comparison;
    const time = out.totals.find((t) => t.label === 'Execution time')!;
    expect(time.before!).toBeGreaterThan(time.after!);
    expect(out.replaced).toEqual([{ before: { id: '#2', node: 'Parallel Seq Scan on orders' }, after: { id: '#1', node: 'Index Scan using orders_pkey on orders' } }]);
    expect(out.disappeared).toEqual([{ id: '#1', node: 'Gather' }]);
    expect(out.counts).toEqual({ matched: 0, replaced: 1, added: 0, removed: 1 });
  });

  it('compares a text capture with a JSON capture of one plan: every node matched', async () => {
    const io = capture();
    expect(await main(['analyze-plan', 'postgres/cte-initplan-subplan.analyze-buffers.txt', '--compare', 'postgres/cte-initplan-subplan.analyze-buffers.json'], io)).toBe(0);
    expect((JSON.parse(io.out) as Comparison).counts).toEqual({ matched: 11, replaced: 0, added: 0, removed: 0 });
  });

  it('exits 1 when the second file is missing, 2 when it is not a plan or both read standard input', async () => {
    const missing = capture();
    expect(await main(['analyze-plan', 'postgres/pk-lookup.plain.json', '--compare', 'nope.json'], missing)).toBe(1);
    expect(missing.err).toMatch(/cannot read nope\.json: no such file/);
    const notPlan = capture();
    expect(await main(['analyze-plan', 'postgres/pk-lookup.plain.json', '--compare', 'README.md'], notPlan)).toBe(2);
    expect(notPlan.err).toMatch(/README\.md is not a plan/);
    const both = capture();
    expect(await main(['analyze-plan', '-', '--compare', '-'], both)).toBe(2);
    expect(both.out).toBe('');
  });

  it('says what --html and --compare do in its help', async () => {
    const io = capture();
    expect(await main(['analyze-plan', '--help'], io)).toBe(0);
    expect(io.out).toContain('--compare VALUE');
    expect(io.out).toContain('--html VALUE');
    expect(io.out).toMatch(/self-contained HTML/);
  });
});

describe('dataeng analyze-plan --html as the bundled command', () => {
  let dist: string;
  let out: string;
  let browser: Browser;

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'dataeng-cli-dist-'));
    out = mkdtempSync(join(tmpdir(), 'dataeng-cli-out-'));
    const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--production', '--outdir', dist], { cwd: root, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stderr}`);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(dist, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  });

  const run = (args: string[]) =>
    spawnSync(process.execPath, ['-e', `require(${JSON.stringify(join(dist, 'cli.js'))}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; })`, 'analyze-plan', ...args], { cwd: fixtures, encoding: 'utf8' });

  it('writes one self-contained file that draws the plan offline with its findings on their nodes', async () => {
    const file = join(out, 'plan.html');
    const r = run(['postgres/jit.analyze-buffers.json', '--html', file]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const printed = JSON.parse(r.stdout) as { html: string; findings: { rule: string; node: string }[] };
    expect(printed.html).toBe(file);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain("default-src 'none'; script-src 'sha256-");
    const report = await openPlanReport(browser, html);
    expect(await report.page.locator('[data-node-id]').count()).toBe(2);
    for (const f of printed.findings) expect(await report.page.locator(`[data-node-id="${f.node}"] [data-finding-rule="${f.rule}"]`).count()).toBe(1);
    expect(report.strayRequests).toEqual([]);
    await report.close();
  });

  it('writes the comparison of two plans', async () => {
    const file = join(out, 'diff.html');
    const r = run(['postgres/seq-scan-filter.analyze-buffers.json', '--compare', 'postgres/pk-lookup.analyze-buffers.json', '--html', file]);
    expect(r.status).toBe(0);
    const report = await openPlanReport(browser, readFileSync(file, 'utf8'));
    expect(await report.page.locator('[data-testid="diff-totals"]').innerText()).toContain('Execution time');
    expect(await report.page.locator('[data-diff-status="replaced"] .pv-head').innerText()).toBe('Parallel Seq Scan → Index Scan');
    await report.close();
  });

  it('writes SQLite plans too, from standard input', async () => {
    const file = join(out, 'sqlite.html');
    const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(join(dist, 'cli.js'))}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; })`, 'analyze-plan', '-', '--html', file], {
      cwd: fixtures,
      input: readFileSync(join(fixtures, 'sqlite/correlated-subquery.tree.txt'), 'utf8'),
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    const report = await openPlanReport(browser, readFileSync(file, 'utf8'));
    expect(await report.page.locator('[data-node-id="#0"]').count()).toBe(1);
    expect(await report.page.locator('[data-finding-rule^="sqlite-"]').count()).toBeGreaterThan(0);
    await report.close();
  });

  it('exits 1 when the report cannot be written', async () => {
    await writeFile(join(out, 'a-file'), 'x');
    const r = run(['postgres/pk-lookup.plain.json', '--html', join(out, 'a-file', 'report.html')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot write .*report\.html/);
    expect(r.stdout).toBe('');
  });
});
