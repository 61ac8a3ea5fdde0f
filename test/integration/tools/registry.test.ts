// The tool registry on real databases: PostgreSQL 15 (with HypoPG in its own database), a real SQLite file on every
// engine's worker, and the demo database (PGlite). Nothing changes in any of them.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionListPort } from '../../../src/app/tools/connectionList';
import { createToolRegistry } from '../../../src/app/tools/registry';
import { agentToolNames, externalToolNames, type ToolCallContext, type ToolRegistry } from '../../../src/core/tools/types';
import { openDatabase, parseConnectionUrl } from '../../../src/db/open';
import { SqliteDatabase } from '../../../src/db/sqlite/driver';
import type { SqliteEngineName } from '../../../src/db/sqlite/engine';
import { defaultSessionLimits } from '../../../src/db/types';
import { buildWorkers } from '../db/workerSupport';
import { tableChecksum, uniqueName } from '../db/pgSupport';
import { ensureHypopgDatabase } from '../db/proofSupport';
import { openWritableSqlite } from '../../support/writableSqlite';

const schema = uniqueName('dataeng_tools');
const tmp = mkdtempSync(join(tmpdir(), 'dataeng-tools-'));
const sqliteFile = join(tmp, 'shop.db');
let admin: pg.Client;
let registry: ToolRegistry;
let closeAll: () => Promise<void>;
let checksumBefore: string;
let sqliteBytes: Buffer;

const ctx = (over: Partial<ToolCallContext> = {}): ToolCallContext => ({ signal: new AbortController().signal, redact: false, ...over });

beforeAll(async () => {
  const url = await ensureHypopgDatabase();
  admin = new pg.Client({ connectionString: url, application_name: 'dataeng-test-admin' });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`CREATE TABLE ${schema}.customers (id int PRIMARY KEY, email text NOT NULL UNIQUE)`);
  await admin.query(
    `CREATE TABLE ${schema}.orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES ${schema}.customers (id), status text NOT NULL DEFAULT 'new' CHECK (status IN ('new','paid','shipped')), total numeric NOT NULL)`,
  );
  await admin.query(`INSERT INTO ${schema}.customers SELECT g, 'c' || g || '@example.com' FROM generate_series(1, 2000) g`);
  await admin.query(`INSERT INTO ${schema}.orders SELECT g, 1 + g % 2000, (ARRAY['new','paid','shipped'])[1 + g % 3], g % 500 FROM generate_series(1, 30000) g`);
  await admin.query(`ANALYZE ${schema}.customers, ${schema}.orders`);
  checksumBefore = await tableChecksum(admin, `${schema}.orders`);

  const sqlite = openWritableSqlite(sqliteFile);
  sqlite.exec("CREATE TABLE items (id INTEGER PRIMARY KEY, sku TEXT NOT NULL UNIQUE, price REAL DEFAULT 0, kind TEXT CHECK (kind IN ('a','b')))");
  sqlite.exec("CREATE TABLE lines (id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE, qty INTEGER)");
  sqlite.exec('CREATE INDEX lines_item ON lines (item_id)');
  sqlite.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) INSERT INTO items SELECT i, 'sku' || i, i * 1.5, 'a' FROM n");
  sqlite.exec('ANALYZE');
  sqlite.close();
  sqliteBytes = readFileSync(sqliteFile);

  const workerDir = await buildWorkers();
  const pgConfig = { ...parseConnectionUrl(url, 'pg').config, application_name: 'dataeng-test-tools' };
  const port = connectionListPort(
    [
      { name: 'pg', config: pgConfig, open: () => openDatabase(pgConfig, { limits: defaultSessionLimits, env: {} }) },
      { name: 'lite', config: { name: 'lite', driver: 'sqlite', file: sqliteFile }, open: () => openDatabase({ name: 'lite', driver: 'sqlite', file: sqliteFile }, { limits: defaultSessionLimits, workerDir }) },
      { name: 'demo', config: { name: 'demo', driver: 'demo' }, open: () => openDatabase({ name: 'demo', driver: 'demo' }, { limits: defaultSessionLimits, dataDir: join(tmp, 'demo'), workerDir }) },
    ],
    { consent: { withoutConsent: 'refuse' } },
  );
  closeAll = () => port.closeAll();
  registry = createToolRegistry({ database: port }, { offered: [...agentToolNames, ...externalToolNames] });
}, 120_000);

afterAll(async () => {
  await closeAll?.();
  if (admin) {
    expect(await tableChecksum(admin, `${schema}.orders`)).toBe(checksumBefore);
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
  expect(readFileSync(sqliteFile).equals(sqliteBytes)).toBe(true);
  rmSync(tmp, { recursive: true, force: true });
});

describe('database tools on PostgreSQL', () => {
  it('explain_query returns findings and the plan summary', async () => {
    const r = await registry.run('explain_query', { sql: `SELECT * FROM ${schema}.orders WHERE total = 42`, analyze: true }, ctx());
    expect(r.isError).toBe(false);
    expect(r.summary).toMatch(/^EXPLAIN ANALYZE on pg: \d+ findings?$/);
    expect(r.text).toContain('executed and rolled back');
    expect(r.text).toContain('findings:');
    expect(r.text).toMatch(/Seq Scan/);
    expect(r.findings?.some((f) => f.rule === 'seq-scan-filter')).toBe(true);
    expect(r.text).toContain('[F1]');
  });

  it('a write under analyze without consent is an error that says consent was refused; nothing runs', async () => {
    const r = await registry.run('explain_query', { sql: `DELETE FROM ${schema}.orders WHERE id < 100`, analyze: true }, ctx());
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^Consent was refused: EXPLAIN ANALYZE would execute this DELETE statement/);
    expect(r.text).toContain('without analyze');
    // The same write without analyze is only planned.
    const plain = await registry.run('explain_query', { sql: `DELETE FROM ${schema}.orders WHERE id < 100` }, ctx());
    expect(plain.isError).toBe(false);
    expect(plain.summary).toMatch(/^EXPLAIN on pg/);
  });

  it('refuses what the safe path refuses', async () => {
    for (const sql of [`SELECT 1; COMMIT; DROP TABLE ${schema}.orders`, `END; DELETE FROM ${schema}.orders`]) {
      const r = await registry.run('explain_query', { sql }, ctx());
      expect(r.isError, sql).toBe(true);
      expect(r.text).toMatch(/^Refused: /);
    }
    const file = await registry.run('explain_query', { sql: "SELECT pg_read_file('/etc/passwd')", analyze: true }, ctx());
    expect(file.isError).toBe(true);
    expect(file.text).toMatch(/Consent was refused/);
    expect(file.text).toMatch(/server files|pg_read_file/);
  });

  it('with redaction on, no literal of the statement leaves, also from a database error', async () => {
    const r = await registry.run('explain_query', { sql: `SELECT * FROM ${schema}.customers WHERE email = 'secret-person@example.com'`, analyze: true }, ctx({ redact: true }));
    expect(r.isError).toBe(false);
    expect(r.text).not.toContain('secret-person');
    const e = await registry.run('explain_query', { sql: `SELECT * FROM ${schema}.orders WHERE id = 'not-a-number-zzz'` }, ctx({ redact: true }));
    expect(e.isError).toBe(true);
    expect(e.text).toMatch(/^The database reported an error/);
    expect(e.text).not.toContain('not-a-number-zzz');
  });

  it('describe_table gives columns, indexes, constraints, size, statistics; most-common values only without redaction', async () => {
    const r = await registry.run('describe_table', { table: `${schema}.orders` }, ctx());
    expect(r.isError).toBe(false);
    expect(r.text).toContain(`table "${schema}"."orders" (postgres)`);
    expect(r.text).toMatch(/about 30,000 rows/);
    expect(r.text).toMatch(/"customer_id" integer, not null \| n_distinct=/);
    expect(r.text).toContain('CREATE UNIQUE INDEX orders_pkey');
    expect(r.text).toMatch(/foreign key: FOREIGN KEY \(customer_id\) REFERENCES/);
    expect(r.text).toMatch(/most common: "(new|paid|shipped)"/);
    expect(r.text).toContain("'new'::text");
    const redacted = await registry.run('describe_table', { table: `${schema}.orders` }, ctx({ redact: true }));
    expect(redacted.text).not.toMatch(/most common/);
    expect(redacted.text).not.toMatch(/'new'|'paid'|"shipped"/);
    const missing = await registry.run('describe_table', { table: `${schema}.nope` }, ctx());
    expect(missing).toMatchObject({ isError: true });
    expect(missing.text).toContain('does not exist');
    // The name is data: an injection attempt is just a name that does not exist.
    const hostile = await registry.run('describe_table', { table: `${schema}.orders'; DROP TABLE ${schema}.orders; --` }, ctx());
    expect(hostile.isError).toBe(true);
  });

  it('review_schema returns the schema findings', async () => {
    const r = await registry.run('review_schema', { schema }, ctx());
    expect(r.isError).toBe(false);
    expect(r.text).toMatch(new RegExp(`^Schema review of schema ${schema} on pg: 2 tables`));
    expect(r.findings?.some((f) => f.rule === 'fk-without-index')).toBe(true);
    const none = await registry.run('review_schema', { schema: 'no_such_schema_x' }, ctx());
    expect(none.isError).toBe(true);
  });

  it('what_if_index tests with HypoPG; compare_results compares without showing rows', async () => {
    const w = await registry.run('what_if_index', { sql: `SELECT * FROM ${schema}.orders WHERE customer_id = 42`, indexes: [`CREATE INDEX ON ${schema}.orders (customer_id)`] }, ctx());
    expect(w.isError, w.text).toBe(false);
    expect(w.text).toMatch(/HypoPG/);
    expect(w.text).toMatch(/^used: CREATE INDEX/m);
    const bad = await registry.run('what_if_index', { sql: 'SELECT 1', indexes: [`DROP TABLE ${schema}.orders`] }, ctx());
    expect(bad.isError).toBe(true);
    const c = await registry.run('compare_results', { original: `SELECT id FROM ${schema}.orders WHERE total < 10`, rewrite: `SELECT id FROM ${schema}.orders WHERE NOT total >= 10` }, ctx());
    expect(c.isError, c.text).toBe(false);
    expect(c.text).toMatch(/^verdict: equal/);
    const d = await registry.run('compare_results', { original: `SELECT id FROM ${schema}.orders WHERE total < 10`, rewrite: `SELECT id FROM ${schema}.orders WHERE total < 11` }, ctx());
    expect(d.text).toMatch(/^verdict: different/);
    const write = await registry.run('compare_results', { original: `DELETE FROM ${schema}.orders`, rewrite: `SELECT 1` }, ctx());
    expect(write.isError).toBe(true);
  });

  it('an unknown connection is an error naming the known ones', async () => {
    const r = await registry.run('describe_table', { table: 'x' }, ctx({ connection: 'postgres://u:pw-123@nowhere/db' }));
    expect(r.isError).toBe(true);
    expect(r.text).toContain('Use one of: pg, lite, demo');
    expect(r.text).not.toContain('pw-123');
  });
});

describe('database tools on SQLite', () => {
  it('explain, describe, review', async () => {
    const e = await registry.run('explain_query', { sql: "SELECT * FROM items WHERE kind = 'a'" }, ctx({ connection: 'lite' }));
    expect(e.isError, e.text).toBe(false);
    expect(e.text).toContain('(sqlite)');
    const d = await registry.run('describe_table', { table: 'lines' }, ctx({ connection: 'lite' }));
    expect(d.isError, d.text).toBe(false);
    expect(d.text).toContain('table "main"."lines" (sqlite)');
    expect(d.text).toContain('CREATE INDEX lines_item ON lines (item_id)');
    expect(d.text).toContain('FOREIGN KEY ("item_id") REFERENCES "items" ("id") ON DELETE CASCADE');
    const items = await registry.run('describe_table', { table: 'ITEMS' }, ctx({ connection: 'lite' }));
    expect(items.text).toMatch(/about 500 rows/);
    expect(items.text).toContain('(automatic index for UNIQUE on sku)');
    const missing = await registry.run('describe_table', { table: "items'--" }, ctx({ connection: 'lite' }));
    expect(missing.isError).toBe(true);
    const r = await registry.run('review_schema', {}, ctx({ connection: 'lite' }));
    expect(r.isError, r.text).toBe(false);
    expect(r.text).toMatch(/^Schema review of the database on lite: 2 tables/);
  });
});

describe('describeTable on every SQLite engine this Node runs', () => {
  it('gives the same description with sql.js (and node:sqlite where it loads) as with the default engine', async () => {
    const workerDir = await buildWorkers();
    const engines: SqliteEngineName[] = ['sql.js', ...(Number(process.versions.node.split('.')[0]) >= 22 ? (['node:sqlite'] as const) : [])];
    const reference = await (async () => {
      const db = new SqliteDatabase({ name: 'lite', driver: 'sqlite', file: sqliteFile }, { limits: defaultSessionLimits, workerDir });
      try {
        return await db.describeTable('lines');
      } finally {
        await db.close();
      }
    })();
    for (const engine of engines) {
      const db = new SqliteDatabase({ name: 'lite', driver: 'sqlite', file: sqliteFile }, { limits: defaultSessionLimits, workerDir, engines: [engine] });
      try {
        expect(await db.describeTable('lines'), engine).toEqual(reference);
      } finally {
        await db.close();
      }
    }
    expect(reference.constraints.map((c) => c.kind)).toEqual(['primary key', 'foreign key']);
  });
});

describe('database tools on the demo database', () => {
  it('explain, describe, refuse a write under analyze', async () => {
    const d = await registry.run('describe_table', { table: 'orders' }, ctx({ connection: 'demo' }));
    expect(d.isError, d.text).toBe(false);
    expect(d.text).toContain('"public"."orders" (postgres)');
    const e = await registry.run('explain_query', { sql: 'SELECT count(*) FROM orders', analyze: true }, ctx({ connection: 'demo' }));
    expect(e.isError, e.text).toBe(false);
    const w = await registry.run('explain_query', { sql: 'UPDATE orders SET id = id', analyze: true }, ctx({ connection: 'demo' }));
    expect(w.isError).toBe(true);
    expect(w.text).toMatch(/^Consent was refused/);
  }, 120_000);
});
