/// <reference lib="dom" />
// The HTML report of `dataeng analyze-plan --html` in real Chromium: its DOM contract (an element per node with
// data-node-id, badges with data-finding-rule on their node's element, plan-wide findings on the root, folded
// partitions still one element per node), its CSP (only its own hashed script and styles, no network), keyboard and
// search, the diff report, and a 10,000-node report.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffDoc, planDoc } from '../../../src/app/planViewDocs';
import { analyzePlan } from '../../../src/core/plan/analyze';
import { parsePlan } from '../../../src/core/plan/parse';
import { flattenPlan, type FlatPlan } from '../../../src/core/plan/view';
import { planReportHtml, type ReportAssets } from '../../../src/host/planReport';
import type { PlanViewDoc } from '../../../src/protocol/planMessages';
import { fixtureFiles, load } from '../../unit/plan/fixtures';
import { partitionedPlanJson } from '../../unit/plan/generate';
import { reportAssetsFromSources } from '../../support/bundlePlanView';
import { openPlanReport, type PlanPage } from '../../support/planViewPage';
import { launchChromium } from '../../support/webviewPage';

let browser: Browser;
let assets: ReportAssets;

function flat(path: string): FlatPlan {
  const { plan, findings } = load(path);
  return flattenPlan(plan, findings);
}

async function open(doc: PlanViewDoc, options: Parameters<typeof openPlanReport>[2] = {}): Promise<PlanPage & { errors: string[] }> {
  const errors: string[] = [];
  const html = planReportHtml(doc, assets);
  const page = await openPlanReport(browser, html, options);
  page.page.on('pageerror', (e) => errors.push(e.message));
  return Object.assign(page, { errors });
}

beforeAll(async () => {
  browser = await launchChromium();
  assets = await reportAssetsFromSources();
});

afterAll(async () => {
  await browser?.close();
});

describe('HTML report: DOM contract', () => {
  it('has one element per node and each finding badge on its node, for every captured plan', async () => {
    for (const file of [...fixtureFiles('postgres').filter((f) => f.endsWith('.json')), ...fixtureFiles('sqlite').filter((f) => f.endsWith('.tree.txt'))]) {
      const plan = flat(file);
      const report = await open(planDoc(plan, file));
      const ids = await report.page.$$eval('[data-node-id]', (els) => els.map((e) => e.getAttribute('data-node-id')));
      expect(ids, file).toEqual(plan.nodes.map((n) => n.id));
      for (const f of plan.findings) {
        const on = report.page.locator(`[data-node-id="${f.node}"] [data-finding-rule="${f.rule}"], [data-node-id="${f.node}"][data-finding-rule="${f.rule}"]`);
        expect(await on.count(), `${file} ${f.rule} on ${f.node}`).toBeGreaterThan(0);
      }
      expect(await report.page.locator('[data-finding-rule]').count(), file).toBe(plan.findings.length);
      expect(report.errors, file).toEqual([]);
      expect(report.strayRequests, file).toEqual([]);
      await report.close();
    }
    // One page per captured plan (about 45): slower than the default timeout on a shared two-core machine.
  }, 180_000);

  it('puts plan-wide findings (planning time, JIT, triggers) on the root element', async () => {
    for (const [file, rule] of [['postgres/jit.analyze-buffers.json', 'jit-overhead'], ['postgres/trigger-fk.analyze-buffers.json', 'trigger-time']] as const) {
      const report = await open(planDoc(flat(file), file));
      const root = report.page.locator('[data-node-id="#1"]');
      expect(await root.locator(`[data-finding-rule="${rule}"]`).count(), file).toBe(1);
      await report.close();
    }
    // Planning (900 ms) longer than execution: the generated partition plan with a short execution.
    const big = parsePlan(partitionedPlanJson(50).replace('"Execution Time":5101', '"Execution Time":50'));
    const planning = flattenPlan(big, analyzePlan(big));
    expect(planning.findings.some((f) => f.rule === 'planning-time')).toBe(true);
    const report = await open(planDoc(planning, 'planning'));
    expect(await report.page.locator('[data-node-id="#1"] [data-finding-rule="planning-time"]').count()).toBe(1);
    await report.close();
  });

  it('keeps folded partitions as one hidden element per node, shown when the fold opens', async () => {
    const report = await open(planDoc(flat('postgres/partitions.analyze-buffers.json'), 'partitions'));
    const nodes = report.page.locator('[data-node-id]');
    expect(await nodes.count()).toBe(26);
    expect(await report.page.locator('[data-node-id]:visible').count()).toBe(2);
    expect(await report.page.locator('.pv-fold').innerText()).toContain('Seq Scan × 24');
    await report.page.locator('.pv-fold .pv-twisty').click();
    expect(await report.page.locator('[data-node-id]:visible').count()).toBe(26);
    await report.close();
  });

  it('allows only its own script and styles, by hash, and requests nothing', async () => {
    const html = planReportHtml(planDoc(flat('postgres/pk-lookup.analyze.json'), 'pk'), assets);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!;
    expect(csp).toMatch(/^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'; style-src 'sha256-[A-Za-z0-9+/=]+' 'sha256-[A-Za-z0-9+/=]+';/);
    expect(csp).toContain("connect-src 'none'");
    expect(html).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/\bsrc=|\bhref=/i);
    expect(html.match(/<script/g)).toHaveLength(2);
    const report = await open(planDoc(flat('postgres/pk-lookup.analyze.json'), 'pk'));
    // Styles applied (the hashes match): rows are laid out as flex rows.
    expect(await report.page.locator('.pv-row[data-node-id="#1"]').evaluate((e) => getComputedStyle(e).display)).toBe('flex');
    expect(await report.page.title()).toBe('pk');
    expect(report.strayRequests).toEqual([]);
    await report.close();
  });

  it('a script added to the page is refused by the CSP', async () => {
    const report = await open(planDoc(flat('postgres/pk-lookup.analyze.json'), 'pk'));
    await report.page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__injected = 1';
      document.body.append(s);
    });
    expect(await report.page.evaluate(() => (window as unknown as { __injected?: number }).__injected)).toBeUndefined();
    await report.close();
  });

  it('follows the reader’s light or dark scheme', async () => {
    const light = await open(planDoc(flat('postgres/pk-lookup.analyze.json'), 'pk'), { colorScheme: 'light' });
    const dark = await open(planDoc(flat('postgres/pk-lookup.analyze.json'), 'pk'), { colorScheme: 'dark' });
    const bg = (p: PlanPage) => p.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await bg(light)).toBe('rgb(255, 255, 255)');
    expect(await bg(dark)).toBe('rgb(31, 31, 31)');
    await light.close();
    await dark.close();
  });
});

describe('HTML report: reading it', () => {
  it('navigates with the keyboard and searches, and shows a finding when its badge is clicked', async () => {
    const report = await open(planDoc(flat('postgres/cte-initplan-subplan.analyze-buffers.json'), 'cte'));
    const p = report.page;
    await p.locator('[data-testid="plan-tree"]').focus();
    await p.keyboard.press('ArrowDown');
    await p.keyboard.press('ArrowDown');
    expect(await p.locator('.pv-row.pv-selected').getAttribute('data-node-id')).toBe('#3');
    await p.keyboard.press('ArrowLeft');
    expect(await p.locator('.pv-row.pv-selected').getAttribute('data-node-id')).toBe('#2');
    await p.keyboard.press('ArrowLeft');
    expect(await p.locator('[data-node-id="#3"]').isHidden()).toBe(true);
    await p.locator('[data-testid="plan-search"]').fill('orders_customer_id');
    expect(await p.locator('.pv-row.pv-selected').getAttribute('data-node-id')).toBe('#11');
    await p.locator('[data-finding-rule="hash-spill"]').click();
    expect(await p.locator('[data-testid="finding-details"].pv-active').getAttribute('data-rule')).toBe('hash-spill');
    expect(report.errors).toEqual([]);
    await report.close();
  });

  it('compares two plans: totals, and every node of both plans has an element', async () => {
    const before = flat('postgres/seq-scan-filter.analyze-buffers.json');
    const after = flat('postgres/pk-lookup.analyze-buffers.json');
    const report = await open(diffDoc(before, after, { beforeTitle: 'a.json', afterTitle: 'b.json' }));
    expect(await report.page.locator('[data-testid="diff-totals"]').innerText()).toContain('Execution time');
    const afterIds = await report.page.$$eval('[data-node-id]', (els) => els.map((e) => e.getAttribute('data-node-id')));
    const beforeIds = await report.page.$$eval('[data-before-node-id]', (els) => els.map((e) => e.getAttribute('data-before-node-id')));
    expect(afterIds.sort()).toEqual(after.nodes.map((n) => n.id).sort());
    expect(beforeIds.sort()).toEqual(before.nodes.map((n) => n.id).sort());
    expect(await report.page.title()).toBe('a.json → b.json');
    await report.close();
  });

  it('a 10,000-partition plan keeps 10,002 node elements and opens within seconds', async () => {
    const big = parsePlan(partitionedPlanJson(10_000));
    const plan = flattenPlan(big, analyzePlan(big));
    const t0 = performance.now();
    const report = await open(planDoc(plan, 'big'));
    const ms = performance.now() - t0;
    expect(await report.page.locator('[data-node-id]').count()).toBe(10_002);
    expect(await report.page.locator('[data-finding-rule]').count()).toBe(plan.findings.length);
    // The figure that matters is measured by bench/planView.bench.ts; this only catches a pathological slowdown.
    expect(ms).toBeLessThan(15_000);
    await report.close();
  });
});
