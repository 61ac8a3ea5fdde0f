// The plan view in a real VS Code: from the command palette on a pasted plan, in diff mode on two plans of the same
// statement before and after an index (captured live from the PostgreSQL test server), and from the chat after
// Optimize Query on the demo database (Show plan, and a finding id that opens the plan on its node). Screenshots in
// the light and the dark theme.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/codeServer.mjs';
import { containerTitle } from './pages/workbench';
import { startFakeAnthropic, type FakeAnthropic } from './support/model';
import { withPg } from './support/postgres';
import { VsCodeSession } from './support/session';
import { setColorTheme, themes } from './support/theme';
import { makeWorkspace, type TempWorkspace } from './support/workspace';

interface Captured {
  before: string;
  after: string;
  text: string;
}

/**
 * Real plans of one statement before and after an index, and a text-format plan, from the test server. Everything
 * happens in a transaction that is rolled back, so the server is left as it was.
 */
async function capturePlans(): Promise<Captured> {
  return withPg(async (c) => {
    await c.query('BEGIN');
    try {
      await c.query("CREATE TABLE plan_e2e_orders AS SELECT g AS id, g % 5000 AS customer_id, now() - g * interval '1 minute' AS created_at, repeat('x', 80) AS note FROM generate_series(1, 200000) g");
      await c.query('ANALYZE plan_e2e_orders');
      const statement = 'SELECT id, created_at FROM plan_e2e_orders WHERE customer_id = 42 ORDER BY created_at DESC LIMIT 20';
      const json = async () => JSON.stringify((await c.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement}`)).rows[0]!['QUERY PLAN'], null, 2);
      const before = await json();
      await c.query('CREATE INDEX plan_e2e_orders_customer_id ON plan_e2e_orders (customer_id)');
      await c.query('ANALYZE plan_e2e_orders');
      const after = await json();
      const text = (await c.query<{ 'QUERY PLAN': string }>('EXPLAIN (ANALYZE, BUFFERS) SELECT customer_id, count(*) FROM plan_e2e_orders GROUP BY customer_id ORDER BY 2 DESC LIMIT 10')).rows.map((r) => r['QUERY PLAN']).join('\n');
      return { before, after, text };
    } finally {
      await c.query('ROLLBACK');
    }
  });
}

describe('plan view', () => {
  let fake: FakeAnthropic;
  let session: VsCodeSession;
  let workspace: TempWorkspace;
  let plans: Captured;

  beforeAll(async () => {
    plans = await capturePlans();
    workspace = makeWorkspace({
      'queries.sql': readFileSync(join(repoRoot, 'demo', 'queries.sql'), 'utf8'),
      'plans/before-index.json': plans.before,
      'plans/after-index.json': plans.after,
    });
    fake = await startFakeAnthropic();
    fake.handle(() => ({ kind: 'stream', text: 'The scan of orders reads every row ([F1]); index orders.customer_id.', chunkSize: 12, delayMs: 5 }));
    session = await VsCodeSession.open({
      name: 'plan-view',
      workspaceFrom: workspace.dir,
      settings: { 'dataeng.anthropic.baseUrl': fake.url, 'dataeng.explain.analyze': 'readsOnly', 'workbench.colorTheme': themes.light.name },
    });
  });

  afterAll(async () => {
    await session?.close();
    await fake?.close();
    workspace?.remove();
  });

  it('opens a plan pasted into an editor from the command palette', async () => {
    const wb = session.workbench;
    // Copied from a terminal, pasted into a new editor.
    await wb.setClipboard(plans.text);
    await wb.runCommand('File: New Untitled Text File');
    await wb.editor.focus();
    await session.page.keyboard.press('Control+V');
    await wb.editor.line('Limit').waitFor();
    await wb.runCommand('Data Engineer: Open Plan');
    const view = wb.planView;
    await view.waitReady();
    expect(await view.title.innerText()).toMatch(/pasted plan|Untitled/);
    expect(await view.summary.innerText()).toContain('PostgreSQL');
    const nodes = plans.text.split('\n').filter((l) => /^\s*(->\s+)?\S.*\(cost=/.test(l)).length;
    expect(await view.nodeRows.count()).toBe(nodes);
    expect(await view.headOf(view.node('#1')).innerText()).toBe('Limit');

    // Keyboard: down to the second node, then search by relation.
    await view.press('Home', 'ArrowDown');
    expect(await view.selectedNodeId()).toBe('#2');
    await view.search.fill('plan_e2e_orders');
    await expect.poll(() => view.matchCount.innerText()).toMatch(/^1 of 1$/);
    expect(await view.headOf(view.selectedRow).innerText()).toMatch(/Seq Scan/);
    await session.screenshot('pasted-plan-light');
    await setColorTheme(session, 'dark');
    await session.screenshot('pasted-plan-dark');
    await setColorTheme(session, 'light');
    await wb.runCommand('View: Close All Editors');
    await wb.dialog().box.waitFor({ timeout: 5000 }).then(() => wb.dialog().choose(/Don't Save/), () => undefined);
  });

  it('compares two plans of one statement, before and after an index', async () => {
    const wb = session.workbench;
    // The two plans side by side, before on the left, as a user compares two files.
    await wb.openFile('before-index.json');
    await wb.runCommand('View: Split Editor Right');
    await wb.openFile('after-index.json');
    await wb.runCommand('Data Engineer: Compare Plans');
    const view = wb.planView;
    await view.waitReady();
    expect(await view.title.innerText()).toBe('before-index.json → after-index.json');
    const time = await view.diffTotal('Execution time').innerText();
    expect(time).toMatch(/÷|−/);
    // The sequential scan of the table is gone; the table is now read through the index.
    const replaced = await view.diffRows('replaced').allInnerTexts();
    const added = await view.diffRows('added').allInnerTexts();
    expect([...replaced, ...added].join('\n')).toMatch(/Index|Bitmap/);
    expect([...replaced, ...(await view.diffRows('removed').allInnerTexts())].join('\n')).toMatch(/Seq Scan/);
    await session.screenshot('diff-light');
    await setColorTheme(session, 'dark');
    await session.screenshot('diff-dark');
    await setColorTheme(session, 'light');
    await wb.runCommand('View: Close All Editors');
  });

  it('opens the plan from the chat: Show plan, and a finding id that highlights its node', async () => {
    const wb = session.workbench;
    await wb.openContainer(containerTitle);
    await wb.chat.waitReady();
    await wb.openFile('queries.sql');
    await wb.editor.rightClickLine('WHERE o.customer_id = 42');
    await wb.contextMenu().choose('Optimize Query');
    // The demo database is created on first use, which takes a while.
    const seqScan = wb.chat.finding('seq-scan-filter');
    await seqScan.first().waitFor({ timeout: 150_000 });
    await wb.chat.lastAssistantMessage().getByText('index orders.customer_id').waitFor({ timeout: 60_000 });
    await wb.chat.showPlanButton().click();
    const view = wb.planView;
    await view.waitReady();
    expect(await view.title.innerText()).toMatch(/^Plan: SELECT o\.id/);
    expect(await view.badge('seq-scan-filter').count()).toBeGreaterThan(0);
    await session.screenshot('chat-plan-light');

    // The seq-scan-filter finding's id in the chat opens the plan on its node.
    await view.press('Home');
    expect(await view.badgeIn(view.selectedRow, 'seq-scan-filter').count()).toBe(0);
    await wb.chat.findingLinkOf('seq-scan-filter').click();
    await expect.poll(() => view.badgeIn(view.selectedRow, 'seq-scan-filter').count(), { timeout: 30_000 }).toBe(1);
    expect(await view.headOf(view.selectedRow).innerText()).toMatch(/Seq Scan/);
    // Clicking the badge shows the finding's message, evidence and fix.
    await view.badgeIn(view.selectedRow, 'seq-scan-filter').click();
    expect(await view.activeFinding.innerText()).toContain('orders');
    await session.screenshot('chat-plan-finding-light');
    await setColorTheme(session, 'dark');
    await session.screenshot('chat-plan-finding-dark');
  });
});
