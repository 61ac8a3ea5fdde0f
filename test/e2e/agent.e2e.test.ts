// The agent loop in a real VS Code: the fake model calls the real tools (the registry of src/app/tools on the real
// PostgreSQL server and the real workspace), and the chat shows each step, the checklist and a proposed edit, which
// is applied as one undoable edit and undone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeResponse, RecordedRequest } from '../support/fakeAnthropic';
import { containerTitle } from './pages/workbench';
import { startFakeAnthropic, type FakeAnthropic } from './support/model';
import { connectionSetting, uniqueName, withPg } from './support/postgres';
import { VsCodeSession } from './support/session';
import { makeWorkspace, type TempWorkspace } from './support/workspace';

const schema = uniqueName('e2e_agent');
const applicationName = uniqueName('dataeng_e2e_agent');
const connectionName = 'e2e-postgres';
const statement = `SELECT id, total FROM ${schema}.orders\nWHERE customer_id = 42`;
const queryFile = `-- A customer's orders.\n${statement}\nLIMIT 500;\n`;
const persona = [
  '---',
  'name: agent-e2e',
  'description: investigates with tools before answering',
  'tools: Read, Grep, Glob, Edit, TodoWrite',
  '---',
  'You are a careful data engineer who investigates before answering.',
  '',
].join('\n');

/** The tool_result texts of a request's last user message, by tool_use id. */
function results(req: RecordedRequest): Record<string, { content: string; is_error?: boolean }> {
  const last = req.body.messages?.at(-1)?.content;
  const out: Record<string, { content: string; is_error?: boolean }> = {};
  if (Array.isArray(last)) for (const b of last as { type: string; tool_use_id?: string; content: string; is_error?: boolean }[]) if (b.type === 'tool_result') out[b.tool_use_id!] = b;
  return out;
}

describe('the agent loop in the chat', () => {
  let fake: FakeAnthropic;
  let workspace: TempWorkspace;
  let session: VsCodeSession;
  const file = () => join(session.workspace, 'models', 'orders.sql');

  beforeAll(async () => {
    await withPg(async (c) => {
      await c.query(`CREATE SCHEMA ${schema}`);
      await c.query(`CREATE TABLE ${schema}.orders (id int PRIMARY KEY, customer_id int NOT NULL, total numeric NOT NULL)`);
      await c.query(`INSERT INTO ${schema}.orders SELECT g, 1 + g % 2000, g % 100 FROM generate_series(1, 40000) g`);
      await c.query(`ANALYZE ${schema}.orders`);
    });
    fake = await startFakeAnthropic();
    workspace = makeWorkspace({ 'models/orders.sql': queryFile, '.claude/agents/agent-e2e.md': persona });
    session = await VsCodeSession.open({
      name: 'agent',
      workspaceFrom: workspace.dir,
      settings: {
        'dataeng.connections': [connectionSetting(connectionName, applicationName)],
        'dataeng.explain.analyze': 'readsOnly',
        'dataeng.anthropic.baseUrl': fake.url,
        'dataeng.persona': 'agent-e2e',
      },
    });
    const wb = session.workbench;
    await wb.openContainer(containerTitle);
    await wb.chat.waitReady();
    await wb.chat.connectionSelect.selectOption(connectionName);
    await wb.openFile('orders.sql');
  });

  afterAll(async () => {
    await session?.close();
    await fake?.close();
    workspace?.remove();
    await withPg((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
  });

  it('Optimize: the answer took two tool steps (describe_table, read_file), each expandable to its input and result', async () => {
    const turns: FakeResponse[] = [
      { kind: 'stream', text: 'Let me look at the table first.', toolCalls: [{ id: 'toolu_describe', name: 'describe_table', input: { table: `${schema}.orders` } }] },
      { kind: 'stream', text: '', toolCalls: [{ id: 'toolu_read', name: 'read_file', input: { path: 'models/orders.sql' } }] },
      { kind: 'stream', text: `There is no index on customer_id (describe_table ${schema}.orders), and models/orders.sql runs this filter [F1].` },
    ];
    fake.script(...turns);
    const wb = session.workbench;
    await wb.editor.clickLine('WHERE customer_id = 42');
    await wb.runCommand('Data Engineer: Optimize Query');
    await wb.chat.lastAssistantMessage().getByText('There is no index on customer_id').waitFor({ timeout: 90_000 });
    const steps = wb.chat.toolSteps();
    await expect(steps.count()).resolves.toBe(2);
    expect(await wb.chat.toolStepPart(steps.nth(0), 'summary').textContent()).toMatch(/orders/);
    expect(await wb.chat.toolStepPart(steps.nth(1), 'summary').textContent()).toMatch(/models\/orders\.sql/);
    await wb.chat.toolStepPart(steps.nth(0), 'summary').click();
    expect(await wb.chat.toolStepPart(steps.nth(0), 'input').textContent()).toContain(`"table": "${schema}.orders"`);
    expect(await wb.chat.toolStepPart(steps.nth(0), 'result').textContent()).toContain('customer_id');
    await wb.chat.toolStepPart(steps.nth(0), 'summary').click();
    await steps.nth(1).scrollIntoViewIfNeeded();
    await session.screenshot('two-tool-steps');

    // What the model read back: the real table description and the real file, each answered in the next request.
    expect(fake.requests).toHaveLength(3);
    const described = results(fake.requests[1]!)['toolu_describe']!;
    expect(described.is_error).toBeUndefined();
    expect(described.content).toContain('customer_id');
    expect(results(fake.requests[2]!)['toolu_read']!.content).toContain('WHERE customer_id = 42');
    const tools = (fake.requests[0]!.body.tools ?? []).map((t) => t.name);
    expect(tools).toEqual(expect.arrayContaining(['explain_query', 'describe_table', 'read_file', 'propose_edit', 'todo_write']));
  });

  it('a checklist is shown and updated in place; a proposed edit is applied as one edit and undone', async () => {
    fake.reset();
    fake.script(
      {
        kind: 'stream',
        text: '',
        toolCalls: [
          { id: 'toolu_todo1', name: 'todo_write', input: { items: [{ text: 'Read the query', status: 'done' }, { text: 'Propose a LIMIT fix', status: 'in_progress' }] } },
          { id: 'toolu_edit', name: 'propose_edit', input: { path: 'models/orders.sql', old_text: 'LIMIT 500;', new_text: 'ORDER BY id\nLIMIT 50;' } },
        ],
      },
      { kind: 'stream', text: '', toolCalls: [{ id: 'toolu_todo2', name: 'todo_write', input: { items: [{ text: 'Read the query', status: 'done' }, { text: 'Propose a LIMIT fix', status: 'done' }] } }] },
      { kind: 'stream', text: 'I proposed a smaller, ordered page of results.' },
    );
    const wb = session.workbench;
    await wb.chat.send('Tidy the paging in models/orders.sql');
    await wb.chat.lastAssistantMessage().getByText('I proposed a smaller').waitFor({ timeout: 60_000 });
    const todos = wb.chat.todos();
    await expect(todos.count()).resolves.toBe(2);
    await expect(todos.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset['status']))).resolves.toEqual(['done', 'done']);
    await todos.first().scrollIntoViewIfNeeded();
    await session.screenshot('checklist');

    const edit = wb.chat.proposedEdits().first();
    expect(await wb.chat.proposedEditPart(edit, 'removed').allTextContents()).toEqual(['-LIMIT 500;']);
    expect(await wb.chat.proposedEditPart(edit, 'added').allTextContents()).toEqual(['+ORDER BY id', '+LIMIT 50;']);
    // The tool never wrote: the file is as it was until Apply.
    expect(readFileSync(file(), 'utf8')).toBe(queryFile);
    await edit.scrollIntoViewIfNeeded();
    await session.screenshot('proposed-edit');
    await wb.chat.proposedEditPart(edit, 'apply').click();
    await expect.poll(() => edit.getAttribute('data-state'), { timeout: 20_000 }).toBe('applied');
    await wb.editor.line('LIMIT 50;').waitFor();
    await wb.editor.save();
    await expect.poll(() => readFileSync(file(), 'utf8')).toBe(queryFile.replace('LIMIT 500;', 'ORDER BY id\nLIMIT 50;'));
    await session.screenshot('edit-applied');

    await wb.editor.undo();
    await wb.editor.save();
    await expect.poll(() => readFileSync(file(), 'utf8')).toBe(queryFile);
  });

  it("a write under explain_query's analyze asks the editor's modal; Plain EXPLAIN runs nothing, and the model reads the plan", async () => {
    fake.reset();
    fake.script(
      { kind: 'stream', text: '', toolCalls: [{ id: 'toolu_del', name: 'explain_query', input: { sql: `DELETE FROM ${schema}.orders WHERE id <= 10`, analyze: true } }] },
      { kind: 'stream', text: 'The delete uses the primary key.' },
    );
    const wb = session.workbench;
    await wb.chat.send('How would deleting the first ten orders run?');
    const dialog = wb.dialog();
    await dialog.box.waitFor({ timeout: 60_000 });
    expect(`${await dialog.message.textContent()} ${await dialog.detail.textContent()}`).toMatch(/DELETE/i);
    await session.screenshot('consent-modal');
    await dialog.choose(/^Plain EXPLAIN/);
    await wb.chat.lastAssistantMessage().getByText('The delete uses the primary key.').waitFor({ timeout: 60_000 });
    const result = results(fake.requests[1]!)['toolu_del']!;
    expect(result.is_error).toBeUndefined();
    expect(result.content).toMatch(/Delete on/);
    expect(await withPg(async (c) => Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.orders`)).rows[0]!.n))).toBe(40000);
  });

  it('Stop in the middle of a tool cancels its statement on the server and asks the model nothing more', async () => {
    fake.reset();
    fake.script(
      { kind: 'stream', text: 'Timing it.', toolCalls: [{ id: 'toolu_sleep', name: 'explain_query', input: { sql: 'SELECT pg_sleep(60)', analyze: true } }] },
      { kind: 'stream', text: 'never asked for' },
    );
    const wb = session.workbench;
    await wb.chat.send('How long does the slow report take?');
    await expect
      .poll(() => withPg(async (c) => Number((await c.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE query LIKE '%pg_sleep(60)%' AND state = 'active' AND application_name = $1", [applicationName])).rows[0]!.n)), { timeout: 60_000 })
      .toBe(1);
    const step = wb.chat.toolSteps().first();
    expect(await step.getAttribute('class')).toContain('running');
    await wb.chat.stopButton.click();
    await expect
      .poll(() => withPg(async (c) => Number((await c.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE query LIKE '%pg_sleep(60)%' AND state = 'active' AND application_name = $1", [applicationName])).rows[0]!.n)), { timeout: 10_000 })
      .toBe(0);
    await expect.poll(() => step.getAttribute('class'), { timeout: 10_000 }).toContain('is-error');
    expect(fake.requests).toHaveLength(1);
  });
});
