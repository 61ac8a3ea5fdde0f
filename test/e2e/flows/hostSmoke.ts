// The two things every host must do, as a user does them: Optimize Query on the demo database from the editor's
// context menu, and Explain Query on a SQLite file. Shared by the smoke suites that run the extension on other
// VS Code versions and from the packaged .vsix (test/e2e/*.smoke.test.ts); selectors stay in the page objects.
import { createHash } from 'node:crypto';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { repoRoot } from '../../../scripts/codeServer.mjs';
import { openWritableSqlite } from '../../support/writableSqlite';
import { containerTitle } from '../pages/workbench';
import { lastUserMessage, type FakeAnthropic } from '../support/model';
import type { VsCodeSession } from '../support/session';
import { makeWorkspace, type TempWorkspace } from '../support/workspace';

/** The name of the built-in demo connection (src/db/connectionSettings.ts). */
export const demoConnectionName = 'Demo (embedded PostgreSQL)';
export const sqliteConnectionName = 'shop (SQLite file)';
export const optimizeAnswer = 'Index orders.customer_id so the lookup stops reading every order ([F1]).';
export const explainAnswer = 'SQLite scans every order to find one customer: there is no index on orders.customer_id.';
export const reviewAnswer = 'One fix matters here: index orders.customer_id, so deleting a customer stops scanning every order ([F1]).';

/**
 * The demo workspace plus a SQLite copy of part of the shop (orders.customer_id unindexed, as in the demo) and a
 * query file for it. The connection points at the file relative to the workspace folder.
 */
export function hostSmokeWorkspace(): TempWorkspace {
  const workspace = makeWorkspace({
    'sqlite-queries.sql': ['-- The SQLite copy of the shop (shop.db).', 'SELECT id, total FROM orders WHERE customer_id = 42;', ''].join('\n'),
  });
  cpSync(join(repoRoot, 'demo'), workspace.dir, { recursive: true });
  const db = openWritableSqlite(join(workspace.dir, 'shop.db'));
  db.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
           CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers (id), total REAL NOT NULL);
           INSERT INTO customers (email) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) SELECT 'c' || i || '@shop' FROM n;
           INSERT INTO orders (customer_id, total) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) SELECT 1 + i % 100, i FROM n;`);
  db.close();
  return workspace;
}

export const hostSmokeSettings = (fake: FakeAnthropic): Record<string, unknown> => ({
  // Newer VS Codes open their own chat in a secondary side bar; kept closed, the screenshots show this extension.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'dataeng.anthropic.baseUrl': fake.url,
  'dataeng.connections': [{ name: sqliteConnectionName, driver: 'sqlite', file: 'shop.db' }],
});

export const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/**
 * Opens the Data Engineer chat and waits until it is ready: these flows pick the connection in the chat's picker.
 * (That the very first Optimize opens the chat by itself is tested from fresh profiles in firstClick.e2e.test.ts.)
 */
export async function openChat(session: VsCodeSession): Promise<void> {
  await session.workbench.openContainer(containerTitle);
  await session.workbench.chat.waitReady();
}

/**
 * Lays the window out for the README's screenshots: a wider Data Engineer side bar, and the Connections view folded
 * so the chat gets the height.
 */
export async function layoutForScreenshots(session: VsCodeSession): Promise<void> {
  await session.workbench.resizeSideBar(560);
  await session.workbench.setPaneExpanded('Connections', false);
}

/** Right-click → Optimize Query on the demo's slow query: the plan's findings, then the streamed answer. */
/**
 * Under the default `dataeng.explain.analyze` ("ask") EXPLAIN ANALYZE of a read is asked about in a modal (never a
 * notification, which can slide unseen into the notification center): answers it.
 */
export async function answerReadQuestion(session: VsCodeSession, choice: 'Run EXPLAIN ANALYZE' | 'Always for reads' | 'Plain EXPLAIN only'): Promise<void> {
  const dialog = session.workbench.dialog();
  await dialog.box.waitFor({ timeout: 150_000 });
  expect(await dialog.message.textContent()).toMatch(/^Run EXPLAIN ANALYZE\?/);
  await dialog.choose(choice);
}

export async function optimizeOnDemo(session: VsCodeSession, fake: FakeAnthropic): Promise<void> {
  const wb = session.workbench;
  await wb.chat.connectionSelect.selectOption(demoConnectionName);
  await wb.openFile('queries.sql');
  await wb.editor.rightClickLine('WHERE o.customer_id = 42');
  await wb.contextMenu().choose('Optimize Query');
  // The demo database is created on first use in the fresh profile, which takes a while; then, under the default
  // `ask`, the read is asked about in a modal.
  await answerReadQuestion(session, 'Run EXPLAIN ANALYZE');
  const seqScan = wb.chat.finding('seq-scan-filter');
  await seqScan.first().waitFor({ timeout: 150_000 });
  expect(await seqScan.first().textContent()).toContain('orders');
  await wb.chat.lastAssistantMessage().getByText(optimizeAnswer).waitFor({ timeout: 60_000 });
  const request = await fake.waitForEnd(fake.requests.length - 1);
  expect(request.completed).toBe(true);
}

/** Right-click → Explain Query on the SQLite file's query: its EXPLAIN QUERY PLAN findings, then the answer. */
export async function explainOnSqlite(session: VsCodeSession): Promise<void> {
  const wb = session.workbench;
  await wb.chat.connectionSelect.selectOption(sqliteConnectionName);
  await wb.openFile('sqlite-queries.sql');
  await wb.editor.rightClickLine('WHERE customer_id = 42');
  await wb.contextMenu().choose('Explain Query');
  const fullScan = wb.chat.finding('sqlite-full-scan');
  await fullScan.first().waitFor({ timeout: 60_000 });
  expect(await fullScan.first().textContent()).toContain('orders');
  await wb.chat.lastAssistantMessage().getByText(explainAnswer).waitFor({ timeout: 60_000 });
}

/** The fake model answers each task with its own text, recognised by the evidence it is sent. */
export function answerByTask(fake: FakeAnthropic): void {
  fake.handle((req) => {
    const user = lastUserMessage(req);
    // Optimize and Explain send the plan (and schema facts too); a schema review sends schema facts only.
    const text = !user.includes('<plan_evidence>') ? reviewAnswer : /Seq Scan/.test(user) ? optimizeAnswer : explainAnswer;
    return { kind: 'stream', text };
  });
}

/**
 * Runs Test Connection on the SQLite connection from the Connections view and returns the SQLite engine the
 * extension reports (the connection test logs "SQLite 3.x.y (engine)").
 */
export async function sqliteEngineInUse(session: VsCodeSession): Promise<string> {
  await session.workbench.setPaneExpanded('Connections', true);
  await session.workbench.runTreeRowAction('Connections', sqliteConnectionName, 'Test Connection');
  const line = new RegExp(`test of "${sqliteConnectionName.replace(/[()]/g, '\\$&')}": ok \\(SQLite 3\\.\\d+\\.\\d+ \\(([^)]+)\\)\\)`);
  await expect.poll(() => session.extensionLog(), { timeout: 30_000, interval: 250 }).toMatch(line);
  return line.exec(session.extensionLog())?.[1] ?? '';
}
