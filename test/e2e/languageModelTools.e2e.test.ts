// The language-model tools in code-server (VS Code 1.100), invoked as an agent invokes them: through
// vscode.lm.invokeTool from another extension (the test fixture test/e2e/fixtures/lmToolProbe, never shipped). Agent
// mode itself cannot be driven here (it needs a Copilot model), so the probe stands in for the agent; outside a chat
// session VS Code shows each tool's confirmation (prepareInvocation) as a modal dialog, which this test reads and
// answers. The calls activate the extension by themselves (onLanguageModelTool:…), and the table is never changed.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionSetting, uniqueName, withPg } from './support/postgres';
import { VsCodeSession } from './support/session';
import { makeWorkspace, type TempWorkspace } from './support/workspace';

const schema = uniqueName('e2e_lmtools');
const connectionName = 'e2e-lm';
const out = join(mkdtempSync(join(tmpdir(), 'dataeng-lm-probe-')), 'result.json');

interface ProbeResult {
  error?: string;
  tools?: { name: string; description: string; inputSchema: { properties?: Record<string, unknown> } }[];
  results?: { name: string; ok: boolean; text: string; ms: number }[];
}

const calls = [
  { name: 'dataeng_list_connections', input: {} },
  { name: 'dataeng_explain_query', input: { sql: `SELECT * FROM ${schema}.orders WHERE total = 7`, connection: connectionName } },
  { name: 'dataeng_describe_table', input: { table: `${schema}.orders` } },
  { name: 'dataeng_explain_query', input: { sql: `DELETE FROM ${schema}.orders`, analyze: true } },
];

describe('language-model tools (vscode.lm.invokeTool)', () => {
  let workspace: TempWorkspace;
  let session: VsCodeSession;
  const rowCount = () => withPg(async (c) => Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.orders`)).rows[0]!.n));

  beforeAll(async () => {
    await withPg(async (c) => {
      await c.query(`CREATE SCHEMA ${schema}`);
      await c.query(`CREATE TABLE ${schema}.orders (id int PRIMARY KEY, total int NOT NULL)`);
      await c.query(`INSERT INTO ${schema}.orders SELECT g, g % 100 FROM generate_series(1, 5000) g`);
      await c.query(`ANALYZE ${schema}.orders`);
    });
    workspace = makeWorkspace({ 'notes.sql': '-- language-model tools\n' });
    session = await VsCodeSession.open({
      name: 'lm-tools',
      workspaceFrom: workspace.dir,
      settings: { 'dataeng.connections': [connectionSetting(connectionName, uniqueName('dataeng_e2e_lm'))] },
      env: { DATAENG_LM_PROBE_OUT: out, DATAENG_LM_PROBE_CALLS: JSON.stringify(calls) },
      extraExtensions: [join(__dirname, 'fixtures', 'lmToolProbe')],
    });
  });

  afterAll(async () => {
    await session?.close();
    workspace?.remove();
    rmSync(join(out, '..'), { recursive: true, force: true });
    await withPg((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
  });

  it('confirms each database call with its SQL and connection, runs it, and refuses the write without consent', async () => {
    const wb = session.workbench;
    const dialog = wb.dialog();
    const seen: string[] = [];
    // 1. explain_query: the tool's confirmation names the connection and shows the statement.
    await dialog.box.waitFor({ timeout: 120_000 });
    seen.push(`${await dialog.message.textContent()}\n${await dialog.detail.textContent()}`);
    await session.screenshot('explain-confirmation');
    await dialog.button(/^Yes$/).click();
    // 2. describe_table.
    await expect.poll(async () => (await dialog.box.isVisible()) && !seen.includes(`${await dialog.message.textContent()}\n${await dialog.detail.textContent()}`), { timeout: 60_000 }).toBe(true);
    seen.push(`${await dialog.message.textContent()}\n${await dialog.detail.textContent()}`);
    await dialog.button(/^Yes$/).click();
    // 3. the DELETE under analyze: the tool's confirmation, then the one consent policy's modal, dismissed.
    await expect.poll(async () => (await dialog.box.isVisible()) && /ANALYZE/.test((await dialog.message.textContent()) ?? ''), { timeout: 60_000 }).toBe(true);
    seen.push(`${await dialog.message.textContent()}\n${await dialog.detail.textContent()}`);
    await dialog.button(/^Yes$/).click();
    await expect.poll(async () => (await dialog.box.isVisible()) && /DELETE/.test(`${await dialog.message.textContent()}`), { timeout: 60_000 }).toBe(true);
    await session.screenshot('consent-modal');
    await dialog.choose(/^Cancel$/);

    await expect.poll(() => existsSync(out), { timeout: 60_000 }).toBe(true);
    const probe = JSON.parse(readFileSync(out, 'utf8')) as ProbeResult;
    expect(probe.error).toBeUndefined();

    expect(seen[0]).toMatch(/Explain this statement/);
    expect(seen[0]).toContain(connectionName);
    expect(seen[0]).toContain(`SELECT * FROM ${schema}.orders WHERE total = 7`);
    expect(seen[1]).toContain(`${schema}.orders`);
    expect(seen[2]).toContain(`DELETE FROM ${schema}.orders`);

    expect(probe.tools?.map((t) => t.name).sort()).toEqual(
      ['dataeng_analyze_plan', 'dataeng_compare_results', 'dataeng_describe_table', 'dataeng_explain_query', 'dataeng_list_connections', 'dataeng_review_schema', 'dataeng_what_if_index'],
    );
    const [list, explain, describeR, write] = probe.results!;
    expect(list).toMatchObject({ ok: true });
    expect(list!.text).toContain(`${connectionName} (postgres)`);
    expect(explain, explain!.text).toMatchObject({ ok: true });
    expect(explain!.text).toMatch(new RegExp(`^EXPLAIN on ${connectionName} \\(postgres\\)`));
    expect(explain!.text).toContain('Seq Scan');
    expect(describeR, describeR!.text).toMatchObject({ ok: true });
    expect(describeR!.text).toMatch(/about 5,000 rows/);
    expect(write).toMatchObject({ ok: false });
    expect(write!.text).toMatch(/Consent was refused/);
    expect(await rowCount()).toBe(5000);
  });
});
