// Optimize a query over a Parquet file on a DuckDB connection (`:memory:`, reading the workspace's files). The Parquet
// file is made by DuckDB itself; the model is the fake Anthropic server; everything else is real: VS Code, the
// extension, DuckDB in its worker thread and sandbox, the plan rules.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerTitle } from './pages/workbench';
import { lastUserMessage, startFakeAnthropic, type FakeAnthropic } from './support/model';
import { VsCodeSession } from './support/session';
import { makeWorkspace, type TempWorkspace } from './support/workspace';

const connectionName = 'Parquet files (DuckDB)';
// An OR across two columns stays out of the Parquet reader (DuckDB 1.5 simplifies `user_id + 0` and `id * 2` and
// pushes a single condition into the scan, but not an OR of two columns): it filters after decoding every row.
const statement = ['SELECT count(*)', "FROM 'data/events.parquet'", 'WHERE user_id + 0 = 42 OR id * 2 < 100'].join('\n');
const answer = [
  'DuckDB reads and decodes every row of the file before filtering ([F1]): an OR across two columns is not pushed',
  'into the Parquet reader, so it cannot skip row groups.',
  '',
  '```sql',
  "SELECT count(*) FROM 'data/events.parquet' WHERE user_id = 42 OR id < 50;",
  '```',
  '',
  'Trade-off: none; the result is the same.',
].join('\n');

describe('Optimize Query over a Parquet file on DuckDB', () => {
  let fake: FakeAnthropic;
  let session: VsCodeSession;
  let ws: TempWorkspace;

  beforeAll(async () => {
    ws = makeWorkspace({ 'queries.sql': `-- Events of one user\n${statement};\n` });
    mkdirSync(join(ws.dir, 'data'), { recursive: true });
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    await c.run(`COPY (SELECT i AS id, i % 5000 AS user_id, 'e' || (i % 7) AS kind FROM range(2000000) t(i)) TO '${join(ws.dir, 'data', 'events.parquet')}' (FORMAT parquet)`);
    c.closeSync();
    instance.closeSync();
    fake = await startFakeAnthropic();
    // The first delta waits, so the findings can be seen (and photographed) before the answer scrolls them away.
    fake.handle(() => ({ kind: 'stream', text: answer, chunkSize: 12, delayMs: 15, firstDelayMs: 3_000 }));
    session = await VsCodeSession.open({
      name: 'duckdb',
      workspaceFrom: ws.dir,
      settings: {
        'dataeng.anthropic.baseUrl': fake.url,
        'dataeng.explain.analyze': 'readsOnly',
        'dataeng.connections': [{ name: connectionName, driver: 'duckdb', file: ':memory:' }],
      },
    });
  }, 180_000);

  afterAll(async () => {
    await session?.close();
    await fake?.close();
    ws?.remove();
  });

  it('right-click → Optimize Query shows the DuckDB findings from the real profile, then the answer', async () => {
    const wb = session.workbench;
    await wb.openContainer(containerTitle);
    await wb.chat.waitReady();
    await expect.poll(() => wb.chat.connectionSelect.inputValue(), { timeout: 30_000 }).toBe(connectionName);

    await wb.openFile('queries.sql');
    await wb.editor.rightClickLine('WHERE user_id + 0 = 42 OR id * 2 < 100');
    await wb.contextMenu().choose('Optimize Query');

    const pushdown = wb.chat.finding('duckdb-no-filter-pushdown');
    await pushdown.first().waitFor({ timeout: 90_000 });
    expect(await pushdown.first().textContent()).toContain('events.parquet');
    await session.screenshot('duckdb-parquet-findings');
    await wb.chat.lastAssistantMessage().getByText('Trade-off: none').waitFor({ timeout: 60_000 });
    // The answer's rewrite is verified on DuckDB itself: EXCEPT ALL both ways over the same Parquet file.
    await wb.chat.lastAssistantMessage().getByText('Rewrite returns the same rows').waitFor({ timeout: 60_000 });
    await session.screenshot('duckdb-parquet-verified');

    const req = await fake.waitForEnd(0);
    const user = lastUserMessage(req);
    expect(user).toContain('<plan_evidence>');
    expect(user).toContain('duckdb-no-filter-pushdown');
    expect(user).toMatch(/PARQUET_SCAN|READ_PARQUET/);
  });
});
