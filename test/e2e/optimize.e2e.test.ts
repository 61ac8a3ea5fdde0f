// Optimize the query under the cursor on the embedded demo database, and apply the answer's code to the editor.
// The model is the fake Anthropic server; everything else is real: VS Code, the extension, PGlite, the plan rules.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerTitle } from './pages/workbench';
import { lastUserMessage, personaMarker, startFakeAnthropic, systemPrompt, type FakeAnthropic } from './support/model';
import { VsCodeSession } from './support/session';

const indexDdl = 'CREATE INDEX CONCURRENTLY orders_customer_id_created_at_idx ON orders (customer_id, created_at DESC);';
const rewritten = ['SELECT o.id, o.status, o.created_at, o.total', 'FROM orders AS o', 'WHERE o.customer_id = 42', 'ORDER BY o.created_at DESC', 'LIMIT 20;'].join('\n');
const answer = [
  'The plan reads every order to keep a handful of them ([F1]): nothing indexes `orders.customer_id`.',
  '',
  'Add an index that also serves the sort:',
  '',
  '```sql',
  indexDdl,
  '```',
  '',
  'The query itself can stay as it is:',
  '',
  '```sql',
  rewritten,
  '```',
  '',
  'Trade-off: one more index to maintain on every insert into orders.',
].join('\n');

/** The name of the built-in demo connection (src/db/connectionSettings.ts). */
const demoConnectionName = 'Demo (embedded PostgreSQL)';

/** The slow statement of demo/queries.sql, as the locator returns it (without its semicolon). */
const slowStatement = ['SELECT o.id, o.status, o.created_at, o.total', 'FROM orders o', 'WHERE o.customer_id = 42', 'ORDER BY o.created_at DESC', 'LIMIT 20'].join('\n');

describe('Optimize Query on the demo database', () => {
  let fake: FakeAnthropic;
  let session: VsCodeSession;
  let original: string;
  const file = () => join(session.workspace, 'queries.sql');

  beforeAll(async () => {
    fake = await startFakeAnthropic();
    // The first delta waits, so the test can see the findings on screen before any of the answer.
    fake.handle(() => ({ kind: 'stream', text: answer, chunkSize: 12, delayMs: 15, firstDelayMs: 4_000 }));
    session = await VsCodeSession.open({
      name: 'optimize',
      settings: { 'dataeng.anthropic.baseUrl': fake.url, 'dataeng.explain.analyze': 'readsOnly', 'dataeng.diagnostics.enabled': true },
    });
    original = readFileSync(file(), 'utf8');
    expect(original).toContain(`${slowStatement};`);
  });

  afterAll(async () => {
    await session?.close();
    await fake?.close();
  });

  it('right-click → Optimize Query shows the plan findings, then streams the answer from the persona', async () => {
    const wb = session.workbench;
    await wb.openContainer(containerTitle);
    await wb.chat.waitReady();
    // The demo workspace configures no connection, so the embedded demo database is the default one.
    await expect.poll(() => wb.chat.connectionSelect.inputValue(), { timeout: 30_000 }).toBe(demoConnectionName);

    await wb.openFile('queries.sql');
    await wb.editor.rightClickLine('WHERE o.customer_id = 42');
    await wb.contextMenu().choose('Optimize Query');

    // Findings come from the real plan (the demo database is seeded on first use, which takes a while).
    const seqScan = wb.chat.finding('seq-scan-filter');
    await seqScan.first().waitFor({ timeout: 150_000 });
    await expect(seqScan.first().getAttribute('data-severity')).resolves.toMatch(/warning|critical/);
    expect(await seqScan.first().textContent()).toContain('orders');
    // The model has been asked but has not answered yet: findings are on screen before any answer text.
    await fake.waitForRequests(1, 30_000);
    expect(fake.requests[0]!.firstDeltaAt).toBeNull();
    await session.screenshot('findings-before-answer');

    await wb.chat.lastAssistantMessage().getByText('Trade-off: one more index').waitFor({ timeout: 60_000 });
    await expect(wb.chat.codeBlocks().count()).resolves.toBe(2);
    await session.screenshot('answer');

    const req = await fake.waitForEnd(0);
    expect(req.completed).toBe(true);
    expect(req.hasApiKey).toBe(true);
    expect(systemPrompt(req)).toContain(personaMarker('the-data-engineer'));
    const user = lastUserMessage(req);
    expect(user).toContain('<plan_evidence>');
    expect(user).toMatch(/Seq Scan/);
    expect(user).toContain('seq-scan-filter');
    expect(user).toContain('o.customer_id = 42');

    // With diagnostics on, the statement is marked from the same findings: the plan was analyzed exactly once.
    await expect.poll(() => session.workbench.problemCounts(), { timeout: 10_000 }).toMatchObject({ warnings: expect.any(Number) });
    const counts = await session.workbench.problemCounts();
    expect(counts.errors + counts.warnings).toBeGreaterThan(0);
    expect(session.extensionLog().match(/plan analyzed/g)).toHaveLength(1);
  });

  it("replaces the statement with the answer's query, and one undo restores the file", async () => {
    const wb = session.workbench;
    const block = wb.chat.codeBlocks().filter({ hasText: 'FROM orders AS o' });
    await wb.chat.replaceButton(block).click();
    await wb.editor.line('FROM orders AS o').waitFor();
    await wb.editor.save();
    await expect.poll(() => readFileSync(file(), 'utf8')).toBe(original.replace(slowStatement, rewritten.replace(/;$/, '')));
    await session.screenshot('replaced');

    await wb.editor.undo();
    await wb.editor.save();
    // The save reaches the disk through code-server a moment after the editor shows it saved.
    await expect.poll(() => readFileSync(file(), 'utf8')).toBe(original);
  });

  it('inserts the suggested index at the cursor, and one undo restores the file', async () => {
    const wb = session.workbench;
    await wb.editor.clickLine('LIMIT 10;');
    await wb.editor.focus();
    await session.page.keyboard.press('Control+End');
    const block = wb.chat.codeBlocks().filter({ hasText: 'CREATE INDEX CONCURRENTLY' });
    const code = await wb.chat.codeText(block);
    expect(code.trim()).toBe(indexDdl);
    await wb.chat.insertButton(block).click();
    await wb.editor.line('CREATE INDEX CONCURRENTLY').waitFor();
    await wb.editor.save();
    await expect.poll(() => readFileSync(file(), 'utf8')).toBe(original + code);
    await session.screenshot('index-inserted');

    await wb.editor.undo();
    await wb.editor.save();
    // The save reaches the disk through code-server a moment after the editor shows it saved.
    await expect.poll(() => readFileSync(file(), 'utf8')).toBe(original);
  });
});
