// "Data Engineer: Review Schema" from the command palette, on a schema of the real PostgreSQL server made with two
// known problems (a table without a primary key, a foreign key without an index) and one healthy table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerTitle } from './pages/workbench';
import { lastUserMessage, startFakeAnthropic, type FakeAnthropic } from './support/model';
import { connectionSetting, uniqueName, withPg } from './support/postgres';
import { VsCodeSession } from './support/session';
import { makeWorkspace, type TempWorkspace } from './support/workspace';

const schema = uniqueName('e2e_review');
const connectionName = 'e2e-review';
const answerText = 'Start with the audit log: without a primary key, rows cannot be addressed or replicated safely.';

describe('Review Schema', () => {
  let fake: FakeAnthropic;
  let workspace: TempWorkspace;
  let session: VsCodeSession;

  beforeAll(async () => {
    await withPg(async (c) => {
      await c.query(`CREATE SCHEMA ${schema}`);
      await c.query(`CREATE TABLE ${schema}.customers (id integer PRIMARY KEY, email text NOT NULL)`);
      await c.query(
        `CREATE TABLE ${schema}.orders (id integer PRIMARY KEY, customer_id integer NOT NULL REFERENCES ${schema}.customers (id), created_at timestamptz NOT NULL)`,
      );
      await c.query(`CREATE TABLE ${schema}.audit_log (logged_at timestamptz NOT NULL, message text NOT NULL)`);
      await c.query(`ANALYZE ${schema}.customers, ${schema}.orders, ${schema}.audit_log`);
    });
    fake = await startFakeAnthropic();
    fake.handle(() => ({ kind: 'stream', text: answerText }));
    workspace = makeWorkspace({ 'notes.sql': '-- Schema review from the command palette.\n' });
    session = await VsCodeSession.open({
      name: 'review-schema',
      workspaceFrom: workspace.dir,
      settings: {
        'dataeng.connections': [{ ...connectionSetting(connectionName, uniqueName('dataeng_e2e_review')), schema }],
        'dataeng.anthropic.baseUrl': fake.url,
        // One rendered line per report line, so the report's lines can be read back from the editor.
        '[markdown]': { 'editor.wordWrap': 'off' },
      },
    });
    await session.workbench.openContainer(containerTitle);
    await session.workbench.chat.waitReady();
    await session.workbench.chat.connectionSelect.selectOption(connectionName);
  });

  afterAll(async () => {
    await session?.close();
    await fake?.close();
    workspace?.remove();
    await withPg((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
  });

  it('produces the report: findings by rule with the objects named, then the persona review', async () => {
    const wb = session.workbench;
    await wb.runCommand('Data Engineer: Review Schema');
    const noPk = wb.chat.finding('no-primary-key');
    // The command may ask which connection and schema to review; the answers are this test's.
    await wb.answerPicksUntil(noPk, [connectionName, schema], 90_000);

    expect(await noPk.first().textContent()).toContain('audit_log');
    // The report opens rendered (Markdown preview) beside, grouped by severity, one heading per rule, the objects named.
    const rendered = await wb.editor.markdownPreviewText();
    expect(rendered).toMatch(new RegExp(`^Schema review: ${connectionName}`, 'm'));
    expect(rendered).toMatch(/^Warnings \(1\)$/m);
    expect(rendered).not.toContain('### ');
    await session.screenshot('report-preview');
    // Its Markdown source is one click away.
    await wb.editor.openPreviewSource();
    const report = async () => (await wb.editor.textOfAllEditors()).join('\n');
    await expect.poll(report, { timeout: 30_000 }).toMatch(new RegExp(`^# Schema review: ${connectionName.replace('-', '\\\\?-')}`, 'm'));
    const text = await report();
    expect(text).toContain('3 tables, 7 columns');
    expect(text).toMatch(/^## Warnings \(1\)$/m);
    expect(text).toContain('### `no-primary-key` (1)');
    expect(text).toContain('### `fk-without-index` (1)');
    expect(text).toContain(`\`${schema}.audit_log\``);
    // Each finding gives its fix as SQL.
    expect(text).toContain(`CREATE INDEX CONCURRENTLY orders_customer_id_idx ON ${schema}.orders (customer_id);`);

    const fkWithoutIndex = wb.chat.finding('fk-without-index');
    await expect(fkWithoutIndex.count()).resolves.toBeGreaterThan(0);
    expect(await fkWithoutIndex.first().textContent()).toMatch(/orders/);
    // The healthy table gets no warning or critical finding.
    const serious = await wb.chat.findingsOfSeverity('warning', 'critical').allTextContents();
    expect(serious.filter((t) => /\bcustomers\b/.test(t) && !/orders/.test(t))).toEqual([]);
    await session.screenshot('findings');

    await wb.chat.lastAssistantMessage().getByText(answerText).waitFor({ timeout: 60_000 });
    const req = await fake.waitForEnd(fake.requests.length - 1);
    const user = lastUserMessage(req);
    expect(user).toContain('<schema_facts>');
    expect(user).toContain('audit_log');
    expect(user).toContain('no-primary-key');
    await session.screenshot('review');
  });
});
