// Proof, not promises, in a real VS Code: Optimize Query on the real PostgreSQL server (no HypoPG), an answer with a
// wrong rewrite and an index. The rewrite is verified on its own and shown to return different rows; the index is not
// built without consent; Try index asks (naming the table, its size and the lock), builds it inside a rolled-back
// transaction, measures before and after, and Show diff opens both plans. The next question carries the proof.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editor } from './pages/selectors';
import { containerTitle } from './pages/workbench';
import { startFakeAnthropic, type FakeAnthropic } from './support/model';
import { connectionSetting, uniqueName, withPg } from './support/postgres';
import { VsCodeSession } from './support/session';
import { makeWorkspace, type TempWorkspace } from './support/workspace';

const schema = uniqueName('e2e_proof');
const applicationName = uniqueName('dataeng_e2e_proof');
const connectionName = 'e2e-postgres';
const statement = `SELECT id, total FROM ${schema}.orders\nWHERE customer_id = 42`;
const wrongRewrite = `SELECT id, total FROM ${schema}.orders WHERE customer_id >= 42 AND customer_id <= 43`;
const indexDdl = `CREATE INDEX CONCURRENTLY orders_customer_id_idx ON ${schema}.orders (customer_id);`;
const answer = ['Index the filter:', '', '```sql', indexDdl, '```', '', 'and this rewrite reads fewer rows:', '', '```sql', wrongRewrite, '```'].join('\n');

async function indexesOfOrders(): Promise<number> {
  return withPg(async (c) => Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM pg_indexes WHERE schemaname = $1', [schema])).rows[0]!.n));
}

describe('Verify rewrite and Try index in the chat', () => {
  let fake: FakeAnthropic;
  let workspace: TempWorkspace;
  let session: VsCodeSession;

  beforeAll(async () => {
    await withPg(async (c) => {
      await c.query(`CREATE SCHEMA ${schema}`);
      await c.query(`CREATE TABLE ${schema}.orders (id int PRIMARY KEY, customer_id int NOT NULL, total numeric NOT NULL)`);
      await c.query(`INSERT INTO ${schema}.orders SELECT g, 1 + g % 2000, g % 100 FROM generate_series(1, 40000) g`);
      await c.query(`ANALYZE ${schema}.orders`);
    });
    fake = await startFakeAnthropic();
    let answers = 0;
    fake.handle(() => ({ kind: 'stream', text: ++answers === 1 ? answer : `Answer ${answers}: noted.` }));
    workspace = makeWorkspace({ 'q.sql': `-- A customer's orders.\n${statement};\n` });
    session = await VsCodeSession.open({
      name: 'proof',
      workspaceFrom: workspace.dir,
      settings: {
        'dataeng.connections': [connectionSetting(connectionName, applicationName)],
        'dataeng.explain.analyze': 'readsOnly',
        'dataeng.anthropic.baseUrl': fake.url,
      },
    });
    const wb = session.workbench;
    await wb.openContainer(containerTitle);
    await wb.chat.waitReady();
    await wb.chat.connectionSelect.selectOption(connectionName);
    await wb.openFile('q.sql');
  });

  afterAll(async () => {
    await session?.close();
    await fake?.close();
    workspace?.remove();
    await withPg((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
  });

  it('Optimize verifies the answer on its own: the rewrite returns different rows; the index waits for consent', async () => {
    const wb = session.workbench;
    await wb.editor.clickLine('WHERE customer_id = 42');
    await wb.runCommand('Data Engineer: Optimize Query');
    await fake.waitForRequests(1, 90_000);
    const rewriteBlock = wb.chat.codeBlocks().filter({ hasText: 'customer_id >= 42' });
    await rewriteBlock.waitFor({ timeout: 90_000 });
    await expect(wb.chat.verifyRewriteButton(rewriteBlock).count()).resolves.toBe(1);
    const rewriteCard = wb.chat.proofCardOf(rewriteBlock);
    await rewriteCard.locator('[data-state="done"], [data-testid="proof-title"]').first().waitFor({ timeout: 60_000 });
    await expect.poll(() => rewriteCard.getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
    expect(await wb.chat.proofPart(rewriteCard, 'title').textContent()).toBe('Rewrite returns different rows ✗');
    expect(await wb.chat.proofPart(rewriteCard, 'rows').textContent()).toBe('rows different ✗: 0 only in the original, 20 only in the rewrite');
    expect(await wb.chat.proofPart(rewriteCard, 'cost').textContent()).toMatch(/^cost [\d,.]+ → [\d,.]+/);

    const indexBlock = wb.chat.codeBlocks().filter({ hasText: 'CREATE INDEX CONCURRENTLY' });
    const indexCard = wb.chat.proofCardOf(indexBlock);
    await expect.poll(() => indexCard.getAttribute('data-state'), { timeout: 60_000 }).toBe('declined');
    expect(await indexCard.textContent()).toMatch(/Click Try index/);
    expect(await indexesOfOrders()).toBe(1);
    await session.screenshot('proof-auto');
  });

  it('Try index asks first, builds and rolls back, measures, and Show diff opens both plans', async () => {
    const wb = session.workbench;
    const indexBlock = wb.chat.codeBlocks().filter({ hasText: 'CREATE INDEX CONCURRENTLY' });
    await wb.chat.tryIndexButton(indexBlock).click();
    const dialog = wb.dialog();
    await dialog.box.waitFor({ timeout: 60_000 });
    expect(await dialog.message.textContent()).toMatch(new RegExp(`${schema}\\.orders \\([\\d.]+ (kB|MB), about 40,000 rows\\).*Writes to the table wait`));
    expect(await dialog.detail.textContent()).toMatch(/SHARE lock/);
    await session.screenshot('proof-consent');
    await dialog.choose(/^Build, measure and roll back$/);

    const indexCard = wb.chat.proofCardOf(indexBlock);
    await expect.poll(() => indexCard.getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
    expect(await wb.chat.proofPart(indexCard, 'title').textContent()).toMatch(/^Index used: cost −[\d.]+% ✓$/);
    expect(await wb.chat.proofPart(indexCard, 'time').textContent()).toMatch(/ms → [\d.]+ ms$/);
    expect(await indexesOfOrders()).toBe(1);
    await session.screenshot('proof-index');

    await wb.chat.proofPart(indexCard, 'showDiff').click();
    await session.page.locator(editor.tab('Plans: before ↔ with the index')).first().waitFor({ timeout: 30_000 });
  });

  it('the next question carries what was verified, as data', async () => {
    const wb = session.workbench;
    await wb.openContainer(containerTitle);
    await wb.chat.send('Was the rewrite right?');
    await fake.waitForRequests(2, 90_000);
    const req = await fake.waitForEnd(1);
    const body = JSON.stringify(req.body.messages);
    expect(body).toContain('<proof>');
    expect(body).toMatch(/Rewrite: Rewrite returns different rows/);
    expect(body).toMatch(/Index: Index used: cost/);
    await wb.chat.lastAssistantMessage().getByText('Answer 2: noted.').waitFor({ timeout: 60_000 });
  });
});
