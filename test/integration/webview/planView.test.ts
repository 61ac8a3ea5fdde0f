/// <reference lib="dom" />
// The plan view webview in real Chromium under its real CSP: rows and badges from our plan model, details with every
// field, findings with message, evidence and fix, keyboard navigation, search, folded partitions, focus from the chat,
// SQLite plans, the diff view, and a 10,000-node plan drawn with virtualized rows.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffDoc, planDoc } from '../../../src/app/planViewDocs';
import { analyzePlan } from '../../../src/core/plan/analyze';
import { parsePlan } from '../../../src/core/plan/parse';
import { flattenPlan, type FlatPlan } from '../../../src/core/plan/view';
import { load } from '../../unit/plan/fixtures';
import { partitionedPlanJson } from '../../unit/plan/generate';
import { bundlePlanView } from '../../support/bundlePlanView';
import { openPlanWebview, type PlanWebviewPage } from '../../support/planViewPage';
import { launchChromium } from '../../support/webviewPage';

let browser: Browser;
let view: PlanWebviewPage;
const errors: string[] = [];

function flat(path: string): FlatPlan {
  const { plan, findings } = load(path);
  return flattenPlan(plan, findings);
}

beforeAll(async () => {
  browser = await launchChromium();
  view = await openPlanWebview(browser, await bundlePlanView());
  view.page.on('pageerror', (e) => errors.push(e.message));
  view.page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
});

afterAll(async () => {
  await view?.close();
  await browser?.close();
});

const row = (id: string) => view.page.locator(`.pv-row[data-node-id="${id}"]`);
const selectedId = () => view.page.locator('.pv-row.pv-selected').getAttribute('data-node-id');

describe('plan view webview', () => {
  it('draws one row per node with label, bar, rows, loops, buffers and badges on their nodes', async () => {
    const plan = flat('postgres/cte-initplan-subplan.analyze-buffers.json');
    await view.show(planDoc(plan, 'cte plan'));
    expect(await view.page.locator('[data-testid="plan-title"]').innerText()).toBe('cte plan');
    expect(await view.page.locator('.pv-row[data-node-id]').count()).toBe(11);
    expect(await row('#8').locator('.pv-head').innerText()).toBe('Index Only Scan');
    expect(await row('#8').locator('.pv-detail').innerText()).toBe('customers c · using customers_pkey');
    expect(await row('#3').locator('.pv-rows').innerText()).toContain('300k → 300k');
    expect(await row('#10').locator('.pv-loops').innerText()).toBe('199');
    for (const f of plan.findings) expect(await row(f.node!).locator(`[data-finding-rule="${f.rule}"]`).count()).toBeGreaterThan(0);
    const hot = plan.nodes.reduce((best, n, i) => ((n.exclusiveMs ?? 0) > (plan.nodes[best]!.exclusiveMs ?? 0) ? i : best), 0);
    expect(await row(plan.nodes[hot]!.id).locator('.pv-metric.pv-hot, .pv-metric.pv-warm').count()).toBe(1);
    expect(await selectedId()).toBe('#1');
  });

  it('clicking a badge shows the finding with its message, evidence and fix; Copy goes to the host', async () => {
    await view.show(planDoc(flat('postgres/seq-scan-filter.analyze-buffers.json'), 'seq scan'));
    const badge = view.page.locator('[data-finding-rule="seq-scan-filter"]').first();
    await badge.click();
    const card = view.page.locator('[data-testid="plan-details"] [data-testid="finding-details"].pv-active');
    expect(await card.getAttribute('data-rule')).toBe('seq-scan-filter');
    expect(await card.locator('.pv-message').innerText()).toContain('orders');
    expect(await card.locator('[data-testid="finding-evidence"] tr').count()).toBeGreaterThan(0);
    const fix = card.locator('[data-testid="finding-fix"]');
    if (await fix.count()) {
      await card.locator('[data-copy]').click();
      const posted = (await view.posted()) as { type: string; text?: string }[];
      expect(posted.at(-1)).toEqual({ type: 'copy', text: await fix.innerText() });
    }
  });

  it('shows every field of the selected node, and the plan-wide facts on the root', async () => {
    await view.show(planDoc(flat('postgres/seq-scan-filter.analyze-buffers.json'), 'seq scan'));
    await row('#2').click();
    const fields = view.page.locator('[data-testid="plan-details"] [data-testid="node-fields"]');
    const text = await fields.innerText();
    for (const name of ['Node Type', 'Relation Name', 'Filter', 'Rows Removed by Filter', 'Buffers: Shared Read', 'Actual Loops']) expect(text).toContain(name);
    await row('#1').click();
    expect(await view.page.locator('[data-testid="plan-fields"]').innerText()).toContain('Execution Time');
  });

  it('moves with the keyboard: down, up, left closes then goes to the parent, right opens, Enter toggles', async () => {
    await view.show(planDoc(flat('postgres/cte-initplan-subplan.analyze-buffers.json'), 'keys'));
    await view.page.locator('[data-testid="plan-tree"]').focus();
    const press = (key: string) => view.page.keyboard.press(key);
    await press('ArrowDown');
    expect(await selectedId()).toBe('#2');
    await press('ArrowLeft');
    expect(await row('#3').count()).toBe(0);
    expect(await row('#2').getAttribute('aria-expanded')).toBe('false');
    await press('ArrowLeft');
    expect(await selectedId()).toBe('#1');
    await press('ArrowDown');
    await press('ArrowRight');
    expect(await row('#3').count()).toBe(1);
    await press('ArrowRight');
    expect(await selectedId()).toBe('#3');
    await press('End');
    expect(await selectedId()).toBe('#11');
    await press('Home');
    await press('Enter');
    expect(await view.page.locator('.pv-row[data-node-id]').count()).toBe(1);
    await press(' ');
    expect(await view.page.locator('.pv-row[data-node-id]').count()).toBe(11);
  });

  it('searches relation, index and node type, revealing matches inside collapsed nodes', async () => {
    await view.show(planDoc(flat('postgres/cte-initplan-subplan.analyze-buffers.json'), 'search'));
    await view.page.locator('[data-testid="plan-collapse-all"]').click();
    expect(await row('#8').count()).toBe(0);
    const box = view.page.locator('[data-testid="plan-search"]');
    await box.fill('customers_pkey');
    expect(await view.page.locator('[data-testid="plan-match-count"]').innerText()).toBe('1 of 1');
    expect(await selectedId()).toBe('#8');
    await box.fill('cte scan');
    expect(await selectedId()).toBe('#5');
    await box.press('Enter');
    expect(await selectedId()).toBe('#6');
    expect(await view.page.locator('.pv-row.pv-match').count()).toBe(2);
    await box.press('Escape');
    expect(await view.page.locator('.pv-row.pv-match').count()).toBe(0);
    await view.page.keyboard.press('/');
    expect(await view.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('plan-search');
  });

  it('folds repeated partitions into one row that expands, and a focus request opens the fold and flashes the node', async () => {
    await view.show(planDoc(flat('postgres/partitions.analyze-buffers.json'), 'partitions'));
    const fold = view.page.locator('.pv-row.pv-fold');
    expect(await fold.locator('.pv-head').innerText()).toBe('Seq Scan × 24');
    expect(await view.page.locator('.pv-row[data-node-id]').count()).toBe(2);
    await fold.locator('.pv-twisty').click();
    expect(await view.page.locator('.pv-row[data-node-id]').count()).toBe(26);
    await fold.locator('.pv-twisty').click();
    await view.send({ type: 'focus', nodeId: '#20' });
    // window.postMessage delivers on a later task: wait for the webview to act on it.
    await expect.poll(() => selectedId()).toBe('#20');
    expect(await row('#20').getAttribute('class')).toContain('pv-flash');
  });

  it('opens a plan on the node the chat asked for', async () => {
    await view.show(planDoc(flat('postgres/cte-initplan-subplan.analyze-buffers.json'), 'focus', '#10'));
    expect(await selectedId()).toBe('#10');
  });

  it('shows SQLite plans: steps, tables, indexes and findings, without time columns', async () => {
    await view.show(planDoc(flat('sqlite/auto-index.tree.txt'), 'sqlite'));
    expect(await row('#0').count()).toBe(1);
    expect(await view.page.locator('.pv-header .pv-metric').count()).toBe(0);
    expect(await view.page.locator('[data-finding-rule="sqlite-auto-index"]').count()).toBe(1);
    expect(await view.page.locator('[data-testid="plan-summary"]').innerText()).toContain('SQLite');
  });

  it('draws a 10,000-partition plan with only the rows in view on the page, and scrolls to the last', async () => {
    const big = parsePlan(partitionedPlanJson(10_000));
    await view.show(planDoc(flattenPlan(big, analyzePlan(big)), 'big'));
    await view.page.locator('[data-testid="plan-expand-all"]').click();
    await view.page.locator('.pv-row.pv-fold .pv-twisty').click();
    expect(await view.page.locator('.pv-row[data-row]').count()).toBeLessThan(120);
    await view.page.locator('[data-testid="plan-tree"]').focus();
    await view.page.keyboard.press('End');
    expect(await selectedId()).toBe('#10002');
    expect(await row('#10002').isVisible()).toBe(true);
    await view.send({ type: 'focus', nodeId: '#4324' });
    await expect.poll(() => selectedId()).toBe('#4324');
    expect(await row('#4324').isVisible()).toBe(true);
  });

  it('shows two plans merged, with totals before → after and what appeared, disappeared or changed', async () => {
    await view.show(diffDoc(flat('postgres/seq-scan-filter.analyze-buffers.json'), flat('postgres/pk-lookup.analyze-buffers.json'), { beforeTitle: 'before.json', afterTitle: 'after.json' }));
    expect(await view.page.locator('[data-testid="diff-totals"] tr[data-total="Execution time"]').innerText()).toMatch(/÷/);
    expect(await view.page.locator('.pv-row[data-diff-status="replaced"] .pv-head').innerText()).toBe('Parallel Seq Scan → Index Scan');
    expect(await view.page.locator('.pv-row[data-diff-status="removed"]').count()).toBe(1);
    await view.page.locator('.pv-row[data-diff-status="replaced"]').click();
    expect(await view.page.locator('[data-testid="diff-fields"]').innerText()).toContain('Index Name');
  });

  it('loaded nothing and logged no error', () => {
    expect(view.strayRequests).toEqual([]);
    expect(errors).toEqual([]);
  });
});
