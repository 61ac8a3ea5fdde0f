// EXPLAIN ANALYZE executes the statement: for a DELETE the extension asks first (a modal), runs nothing when the
// user declines, and rolls the work back when the user accepts. Checked on the real PostgreSQL server, with a
// statement trigger that bumps a sequence: sequences ignore rollbacks, so the sequence counts every execution.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerTitle } from './pages/workbench';
import { lastUserMessage, startFakeAnthropic, type FakeAnthropic } from './support/model';
import { connectionSetting, uniqueName, withPg } from './support/postgres';
import { VsCodeSession } from './support/session';
import { makeWorkspace, type TempWorkspace } from './support/workspace';

const schema = uniqueName('e2e_consent');
const applicationName = uniqueName('dataeng_e2e_consent');
const connectionName = 'e2e-postgres';
// The consent modal's buttons (src/vscode/connections/explainWithConsent.ts).
const runButton = /^(Run EXPLAIN ANALYZE|Run and roll back)$/;
const planOnlyButton = /^Plain EXPLAIN/;
const deleteSql = `DELETE FROM ${schema}.items\nWHERE id <= 50;\n`;

async function executions(): Promise<number> {
  return withPg(async (c) => {
    const { rows } = await c.query<{ last_value: string; is_called: boolean }>(`SELECT last_value, is_called FROM ${schema}.delete_runs`);
    return rows[0]!.is_called ? Number(rows[0]!.last_value) : 0;
  });
}

async function rowCount(): Promise<number> {
  return withPg(async (c) => Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.items`)).rows[0]!.n));
}

describe('EXPLAIN ANALYZE of a DELETE asks for consent', () => {
  let fake: FakeAnthropic;
  let workspace: TempWorkspace;
  let session: VsCodeSession;

  beforeAll(async () => {
    await withPg(async (c) => {
      await c.query(`CREATE SCHEMA ${schema}`);
      await c.query(`CREATE TABLE ${schema}.items (id integer PRIMARY KEY, note text NOT NULL)`);
      await c.query(`INSERT INTO ${schema}.items SELECT g, 'row ' || g FROM generate_series(1, 200) g`);
      await c.query(`CREATE SEQUENCE ${schema}.delete_runs`);
      await c.query(
        `CREATE FUNCTION ${schema}.count_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM nextval('${schema}.delete_runs'); RETURN NULL; END $$`,
      );
      await c.query(`CREATE TRIGGER count_delete BEFORE DELETE ON ${schema}.items FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.count_delete()`);
      await c.query(`ANALYZE ${schema}.items`);
    });
    fake = await startFakeAnthropic();
    let answers = 0;
    // Numbered answers, so each test waits for its own answer and not an earlier one with the same words.
    fake.handle(() => ({ kind: 'stream', text: `Answer ${++answers}: nothing was removed.` }));
    workspace = makeWorkspace({ 'cleanup.sql': `-- Purge the first items.\n${deleteSql}` });
    session = await VsCodeSession.open({
      name: 'consent',
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
    await wb.openFile('cleanup.sql');
  });

  afterAll(async () => {
    await session?.close();
    await fake?.close();
    workspace?.remove();
    await withPg((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
  });

  it('declining the modal runs nothing', async () => {
    const wb = session.workbench;
    await wb.editor.clickLine('WHERE id <= 50');
    await wb.runCommand('Data Engineer: Explain Query');
    const dialog = wb.dialog();
    await dialog.box.waitFor({ timeout: 60_000 });
    expect(`${await dialog.message.textContent()} ${await dialog.detail.textContent()}`).toMatch(/DELETE|modif|execut/i);
    await session.screenshot('consent-asked');
    await dialog.choose(/^Cancel$/);
    // The chat answers without a plan; by then anything that was going to run has run.
    await fake.waitForRequests(1, 90_000);
    await wb.chat.lastAssistantMessage().getByText('Answer 1: nothing was removed').waitFor({ timeout: 90_000 });
    expect(await executions()).toBe(0);
    expect(await rowCount()).toBe(200);
  });

  it('choosing a plain EXPLAIN shows the plan without running the statement', async () => {
    const wb = session.workbench;
    const before = await wb.chat.assistantMessages.count();
    const requestsBefore = fake.requests.length;
    await wb.editor.clickLine('WHERE id <= 50');
    await wb.runCommand('Data Engineer: Explain Query');
    const dialog = wb.dialog();
    await dialog.box.waitFor({ timeout: 60_000 });
    await dialog.choose(planOnlyButton);
    await expect.poll(() => wb.chat.assistantMessages.count(), { timeout: 30_000 }).toBeGreaterThan(before);
    await fake.waitForRequests(requestsBefore + 1, 90_000);
    await wb.chat.lastAssistantMessage().getByText(`Answer ${requestsBefore + 1}: nothing was removed`).waitFor({ timeout: 90_000 });
    const req = await fake.waitForEnd(fake.requests.length - 1);
    expect(lastUserMessage(req)).toMatch(/Delete on/);
    expect(await executions()).toBe(0);
    expect(await rowCount()).toBe(200);
  });

  it('accepting runs EXPLAIN ANALYZE and rolls back: the table is unchanged', async () => {
    const wb = session.workbench;
    const before = await wb.chat.assistantMessages.count();
    const requestsBefore = fake.requests.length;
    await wb.editor.clickLine('WHERE id <= 50');
    await wb.runCommand('Data Engineer: Explain Query');
    const dialog = wb.dialog();
    await dialog.box.waitFor({ timeout: 60_000 });
    await dialog.choose(runButton);

    await expect.poll(() => wb.chat.assistantMessages.count(), { timeout: 30_000 }).toBeGreaterThan(before);
    await fake.waitForRequests(requestsBefore + 1, 90_000);
    await wb.chat.lastAssistantMessage().getByText(`Answer ${requestsBefore + 1}: nothing was removed`).waitFor({ timeout: 90_000 });
    await session.screenshot('analyzed');
    const req = await fake.waitForEnd(fake.requests.length - 1);
    expect(lastUserMessage(req)).toContain('<plan_evidence>');
    expect(lastUserMessage(req)).toMatch(/Delete on/);

    // Exactly one execution, the accepted one (the declined one ran nothing), and every row is still there.
    expect(await executions()).toBe(1);
    expect(await rowCount()).toBe(200);
    // Nothing is left open in a transaction on the server.
    const idleInTx = await withPg(async (c) =>
      Number(
        (
          await c.query<{ n: string }>(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1 AND state LIKE 'idle in transaction%'",
            [applicationName],
          )
        ).rows[0]!.n,
      ),
    );
    expect(idleInTx).toBe(0);
  });
});
