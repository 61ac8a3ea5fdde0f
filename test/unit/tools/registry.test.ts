// The registry over fake ports: what it answers without a database or a disk (unknown tools, invalid input, edits,
// checklists, cancellation, per-connection serialization). The real databases and files are in test/integration/tools.
import { describe, expect, it } from 'vitest';
import type { TableDescription } from '../../../src/core/schema/tableDescription';
import { createToolRegistry } from '../../../src/app/tools/registry';
import type { ToolDatabasePort, ToolWorkspacePort } from '../../../src/app/tools/ports';
import { agentToolNames, externalToolNames, type ToolCallContext } from '../../../src/core/tools/types';
import { StatementError } from '../../../src/db/errors';
import type { Database } from '../../../src/db/types';

const ctx = (over: Partial<ToolCallContext> = {}): ToolCallContext => ({ signal: new AbortController().signal, redact: false, ...over });

function description(name: string): TableDescription {
  return {
    dialect: 'postgres', schema: 'public', name, kind: 'table', rowEstimate: 10, totalBytes: 8192, tableBytes: 8192,
    lastAnalyze: null, lastAutoanalyze: null, lastVacuum: null, lastAutovacuum: null, comment: null,
    columns: [{ name: 'status', type: 'text', nullable: false, default: "'active'::text", primaryKey: false, stats: { nDistinct: 2, nullFrac: 0, correlation: 1, mostCommonValues: ['active', 'gone'], mostCommonFreqs: [0.9, 0.1] } }],
    indexes: [], constraints: [{ name: 'status_check', kind: 'check', definition: "CHECK (status <> 'secret-value')" }], notes: [],
  };
}

/** A database whose describeTable records how many calls overlap. */
function fakeDb(name: string, log: { active: number; max: number }): Database {
  const fail = () => Promise.reject(new Error('not used'));
  return {
    dialect: 'postgres',
    config: { name, driver: 'postgres' },
    test: fail,
    explain: fail,
    introspect: fail,
    async describeTable(table: string, options?: { signal?: AbortSignal; mostCommonValues?: boolean }) {
      log.active++;
      log.max = Math.max(log.max, log.active);
      await new Promise((r) => setTimeout(r, 20));
      log.active--;
      if (table === 'missing') throw new StatementError('table "missing" does not exist');
      const d = description(table);
      if (!options?.mostCommonValues) d.columns[0]!.stats!.mostCommonValues = null;
      return d;
    },
    cancel: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

function databasePort(log = { active: 0, max: 0 }): ToolDatabasePort {
  const dbs = new Map([['a', fakeDb('a', log)], ['b', fakeDb('b', log)]]);
  return {
    open: (name) => {
      const db = dbs.get(name ?? 'a');
      return db ? Promise.resolve(db) : Promise.reject(new Error(`Unknown connection ${JSON.stringify(name)}. Known: a, b.`));
    },
    list: () => [
      { name: 'a', driver: 'postgres', target: 'localhost:5432/a', isDefault: true },
      { name: 'b', driver: 'postgres', target: 'localhost:5432/b', isDefault: false },
    ],
    consent: { withoutConsent: 'refuse' },
    secrets: () => ['hunter2'],
  };
}

const workspace: ToolWorkspacePort = {
  readFile: () => Promise.reject(new Error('not used')),
  readText: (path) => Promise.resolve({ path, text: 'select 1;\nselect 2;\nselect 1;\n' }),
  listFiles: () => Promise.reject(new Error('not used')),
  grep: () => Promise.reject(new Error('not used')),
};

const all = [...agentToolNames, ...externalToolNames];

describe('createToolRegistry', () => {
  it('answers an unknown or not-offered tool with the tools it does offer', async () => {
    const registry = createToolRegistry({ database: databasePort() }, { offered: ['describe_table', 'list_connections'] });
    expect(registry.definitions().map((d) => d.name)).toEqual(['describe_table', 'list_connections']);
    const unknown = await registry.run('drop_database', {}, ctx());
    expect(unknown).toMatchObject({ isError: true, text: 'Unknown tool "drop_database". The tools offered here are: describe_table, list_connections.' });
    const notOffered = await registry.run('explain_query', { sql: 'select 1' }, ctx());
    expect(notOffered.isError).toBe(true);
    expect(notOffered.text).toContain('Unknown tool "explain_query"');
  });

  it('answers invalid input with what to fix, before touching the database', async () => {
    const log = { active: 0, max: 0 };
    const registry = createToolRegistry({ database: databasePort(log) }, { offered: all });
    const r = await registry.run('describe_table', { name: 'orders' }, ctx());
    expect(r).toMatchObject({ isError: true, summary: 'describe_table: invalid input' });
    expect(r.text).toBe('Invalid input for describe_table: table is required; name is not a known property (expected table).');
    expect(log.max).toBe(0);
  });

  it('describes a table; most-common values and literals only without redaction', async () => {
    const registry = createToolRegistry({ database: databasePort() }, { offered: all });
    const open = await registry.run('describe_table', { table: 'orders' }, ctx());
    expect(open.isError).toBe(false);
    expect(open.summary).toBe('Described public.orders: 1 columns, 0 indexes');
    expect(open.text).toContain('most common: "active" 90.0%');
    expect(open.text).toContain("secret-value");
    const redacted = await registry.run('describe_table', { table: 'orders' }, ctx({ redact: true }));
    expect(redacted.text).not.toContain('active');
    expect(redacted.text).not.toContain('secret-value');
    expect(redacted.text).toContain('n_distinct=2');
  });

  it('turns a database error into an actionable error result, scrubbing secrets and, with redaction, literals', async () => {
    const registry = createToolRegistry({ database: databasePort() }, { offered: all });
    const r = await registry.run('describe_table', { table: 'missing' }, ctx());
    expect(r).toMatchObject({ isError: true, summary: 'describe_table failed (database)' });
    expect(r.text).toBe('The database reported an error: table "missing" does not exist');
    const unknown = await registry.run('describe_table', { table: 'x' }, ctx({ connection: 'nope' }));
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toBe('Unknown connection "nope". Known: a, b.');
  });

  it('serializes database calls per connection, and runs different connections side by side', async () => {
    const log = { active: 0, max: 0 };
    const registry = createToolRegistry({ database: databasePort(log) }, { offered: all });
    const same = await Promise.all(Array.from({ length: 5 }, () => registry.run('describe_table', { table: 't' }, ctx({ connection: 'a' }))));
    expect(same.every((r) => !r.isError)).toBe(true);
    expect(log.max).toBe(1);
    log.max = 0;
    await Promise.all([registry.run('describe_table', { table: 't' }, ctx({ connection: 'a' })), registry.run('describe_table', { table: 't' }, ctx({ connection: 'b' }))]);
    expect(log.max).toBe(2);
  });

  it('a call cancelled before it starts, or while queued, comes back as cancelled', async () => {
    const registry = createToolRegistry({ database: databasePort() }, { offered: all });
    const stopped = new AbortController();
    stopped.abort();
    expect(await registry.run('describe_table', { table: 't' }, ctx({ signal: stopped.signal }))).toMatchObject({ isError: true, summary: 'describe_table: cancelled' });
    const queued = new AbortController();
    const first = registry.run('describe_table', { table: 't' }, ctx());
    const second = registry.run('describe_table', { table: 't' }, ctx({ signal: queued.signal }));
    queued.abort();
    expect((await first).isError).toBe(false);
    const r = await second;
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^Cancelled/);
  });

  it('lists connections without secrets; says so when no database is available', async () => {
    const registry = createToolRegistry({ database: databasePort() }, { offered: all });
    const r = await registry.run('list_connections', {}, ctx());
    expect(r.text).toBe('a (postgres): localhost:5432/a [default]\nb (postgres): localhost:5432/b');
    const none = createToolRegistry({}, { offered: all });
    const n = await none.run('explain_query', { sql: 'select 1' }, ctx());
    expect(n).toMatchObject({ isError: true, summary: 'explain_query failed (database)' });
    expect(n.text).toMatch(/No database is available/);
    const w = await none.run('read_file', { path: 'a.sql' }, ctx());
    expect(w.text).toMatch(/No workspace is available/);
  });

  it('propose_edit returns the edit and never writes; refuses text that is absent or not unique', async () => {
    const registry = createToolRegistry({ workspace }, { offered: all });
    const ok = await registry.run('propose_edit', { path: 'q.sql', old_text: 'select 2;', new_text: 'select 3;' }, ctx());
    expect(ok).toMatchObject({ isError: false, edit: { path: 'q.sql', oldText: 'select 2;', newText: 'select 3;' }, summary: 'Proposed an edit to q.sql (line 2)' });
    expect(ok.text).toContain('-select 2;\n+select 3;');
    const twice = await registry.run('propose_edit', { path: 'q.sql', old_text: 'select 1;', new_text: 'x' }, ctx());
    expect(twice).toMatchObject({ isError: true });
    expect(twice.text).toContain('occurs 2 times');
    const absent = await registry.run('propose_edit', { path: 'q.sql', old_text: 'select 9;', new_text: 'x' }, ctx());
    expect(absent.text).toContain('does not occur');
  });

  it('todo_write returns the whole list', async () => {
    const registry = createToolRegistry({}, { offered: all });
    const items = [{ text: 'Explain the query', status: 'done' as const }, { text: 'Check indexes', status: 'in_progress' as const }];
    const r = await registry.run('todo_write', { items }, ctx());
    expect(r).toEqual({ isError: false, text: '[x] Explain the query\n[~] Check indexes', summary: 'Checklist: 1/2 done', todos: items });
  });

  it('analyze_plan reads a pasted text plan and refuses text that is not one', async () => {
    const registry = createToolRegistry({}, { offered: all });
    const plan = [
      'Seq Scan on orders  (cost=0.00..18334.00 rows=5 width=97) (actual time=0.020..95.100 rows=4 loops=1)',
      "  Filter: (customer_email = 'ann@example.com'::text)",
      '  Rows Removed by Filter: 999996',
      'Planning Time: 0.100 ms',
      'Execution Time: 95.200 ms',
    ].join('\n');
    const r = await registry.run('analyze_plan', { plan }, ctx());
    expect(r.isError).toBe(false);
    expect(r.findings?.length).toBeGreaterThan(0);
    // Findings once, with their fixes; the plan summary below them does not repeat them.
    expect(r.text.match(/\[F1\]/g)).toHaveLength(1);
    expect(r.text).toContain('ann@example.com');
    const redacted = await registry.run('analyze_plan', { plan }, ctx({ redact: true }));
    expect(redacted.text).not.toContain('ann@example.com');
    const bad = await registry.run('analyze_plan', { plan: 'hello, this is not a plan' }, ctx());
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/^Not a plan/);
  });
});
