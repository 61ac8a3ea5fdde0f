// DuckDB on real files the test makes with DuckDB itself: a database file, Parquet and CSV in a workspace folder, and
// a CSV outside it. Plans (EXPLAIN and EXPLAIN ANALYZE as JSON), the sandbox (every hostile statement refused, no path
// outside the workspace, the file's bytes unchanged), cancel through the connection's interrupt, and the catalog.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckdbDatabase } from '../../../src/db/duckdb/driver';
import { openSandboxed } from '../../../src/db/duckdb/sandbox';
import { ExplainCancelledError, RefusedStatementError } from '../../../src/db/errors';
import { openDatabase, parseConnectionUrl } from '../../../src/db/open';
import { defaultSessionLimits } from '../../../src/db/types';
import { reviewCatalog } from '../../../src/core/schema/review';
import { analyzePlan } from '../../../src/core/plan/analyze';
import { parsePlan } from '../../../src/core/plan/parse';
import { compareResults, whatIfIndex } from '../../../src/app/proof';
import { buildWorkers } from './workerSupport';
import type { CliIo } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';

const root = mkdtempSync(join(tmpdir(), 'dataeng-duckdb-'));
const ws = join(root, 'ws');
const outside = join(root, 'outside');
const file = join(ws, 'shop.duckdb');
let workerDir: string;
let fileDb: DuckdbDatabase;
let memoryDb: DuckdbDatabase;

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const noAnalyze = { analyze: false, consentToWrites: false } as const;

/** Makes the fixtures with a writable DuckDB, then closes it: the tests only ever open the file read-only. */
async function makeFixtures(): Promise<void> {
  mkdirSync(ws, { recursive: true });
  mkdirSync(join(ws, 'data'), { recursive: true });
  mkdirSync(outside, { recursive: true });
  const instance = await DuckDBInstance.create(file);
  const c = await instance.connect();
  await c.run(`CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR, signup_date VARCHAR)`);
  await c.run(`INSERT INTO customers SELECT i, 'c' || i, '2024-01-' || lpad((i % 28 + 1)::VARCHAR, 2, '0') FROM range(1, 1001) t(i)`);
  await c.run(`CREATE TABLE orders AS SELECT i AS id, i % 1000 + 1 AS customer_id, (i * 1.5)::DOUBLE AS price FROM range(200000) t(i)`);
  await c.run(`CREATE TABLE products (id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, price DECIMAL(10, 2), added_on DATE)`);
  await c.run(`CREATE TABLE wide AS SELECT ${Array.from({ length: 60 }, (_, i) => `${i} AS c${i}`).join(', ')}`);
  await c.run(`COPY orders TO '${join(ws, 'data', 'orders.parquet')}' (FORMAT parquet)`);
  await c.run(`COPY (SELECT i AS id, md5(i::VARCHAR) AS payload FROM range(1500000) t(i)) TO '${join(ws, 'data', 'events.parquet')}' (FORMAT parquet)`);
  await c.run(`COPY orders TO '${join(ws, 'data', 'orders.csv')}' (HEADER)`);
  await c.run(`COPY customers TO '${join(outside, 'secret.csv')}' (HEADER)`);
  c.closeSync();
  instance.closeSync();
}

let hashBefore: string;
let listingBefore: string[];

beforeAll(async () => {
  workerDir = await buildWorkers();
  await makeFixtures();
  hashBefore = sha256(file);
  listingBefore = readdirSync(ws).sort();
  const options = { limits: defaultSessionLimits, workerDir, allowedDirs: [ws], baseDir: ws };
  fileDb = new DuckdbDatabase({ name: 'file', driver: 'duckdb', file }, options);
  memoryDb = new DuckdbDatabase({ name: 'mem', driver: 'duckdb', file: ':memory:' }, options);
}, 60_000);

afterAll(async () => {
  await fileDb?.close();
  await memoryDb?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('URLs', () => {
  it('reads duckdb:///abs, duckdb:rel and duckdb::memory:', () => {
    expect(parseConnectionUrl('duckdb:///data/shop.duckdb').config).toEqual({ name: 'cli', driver: 'duckdb', file: '/data/shop.duckdb' });
    expect(parseConnectionUrl('duckdb:shop.duckdb').config.file).toBe('shop.duckdb');
    expect(parseConnectionUrl('duckdb::memory:').config.file).toBe(':memory:');
    expect(() => parseConnectionUrl('duckdb://host/x.duckdb')).toThrow(/host part/);
  });

  it('opens a relative file against cwd, with cwd as the workspace', async () => {
    const db = await openDatabase({ name: 'rel', driver: 'duckdb', file: 'shop.duckdb' }, { limits: defaultSessionLimits, workerDir, cwd: ws });
    try {
      const info = await db.test();
      expect(info.version).toMatch(/^DuckDB v\d+\.\d+/);
      const result = await db.explain(`SELECT count(*) FROM 'data/orders.parquet'`, noAnalyze);
      expect(result.dialect).toBe('duckdb');
    } finally {
      await db.close();
    }
  });
});

describe('plans', () => {
  it('explains a query over a relative Parquet path in memory, as JSON', async () => {
    const r = await memoryDb.explain(`SELECT customer_id, sum(price) FROM 'data/orders.parquet' WHERE customer_id = 7 GROUP BY customer_id`, noAnalyze);
    expect(r.planFormat).toBe('duckdb-json');
    expect(r.analyzed).toBe(false);
    const plan = JSON.parse(r.plan as string) as { name: string }[];
    expect(JSON.stringify(plan)).toContain('PARQUET_SCAN');
    expect(r.warnings.join('\n')).toContain(`"data/orders.parquet" was read as "${join(ws, 'data/orders.parquet')}"`);
  });

  it('runs EXPLAIN ANALYZE on the read-only file with JSON profiling output', async () => {
    const r = await fileDb.explain(`SELECT o.customer_id, count(*) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.name LIKE 'c1%' GROUP BY 1`, {
      analyze: true,
      consentToWrites: false,
    });
    expect(r.analyzed).toBe(true);
    const plan = JSON.parse(r.plan as string) as { latency: number; children: unknown[] };
    expect(plan.latency).toBeGreaterThan(0);
    expect(JSON.stringify(plan)).toContain('operator_cardinality');
    expect(sha256(file)).toBe(hashBefore);
  });
});

describe('the sandbox refuses, and nothing changes', () => {
  const hostile: [string, RegExp][] = [
    [`COPY orders TO 'data/stolen.csv'`, /COPY is refused/],
    [`COPY (SELECT * FROM orders) TO '${join(ws, 'x.parquet')}' (FORMAT parquet)`, /COPY is refused/],
    [`EXPORT DATABASE '${join(ws, 'dump')}'`, /EXPORT is refused/],
    [`ATTACH '${join(outside, 'other.duckdb')}' AS other`, /ATTACH is refused/],
    [`INSTALL httpfs`, /INSTALL is refused/],
    [`LOAD httpfs`, /LOAD is refused/],
    [`SET enable_external_access = true`, /SET is refused/],
    [`PRAGMA enable_profiling`, /PRAGMA is refused/],
    [`INSERT INTO orders VALUES (1, 1, 1)`, /INSERT is refused/],
    [`UPDATE orders SET price = 0`, /UPDATE is refused/],
    [`DELETE FROM orders`, /DELETE is refused/],
    [`CREATE TABLE t AS SELECT 1`, /CREATE is refused/],
    [`DROP TABLE orders`, /DROP is refused/],
    [`WITH x AS (SELECT 1) INSERT INTO orders SELECT 1, 1, 1`, /refused/],
    [`SELECT 1; COPY orders TO 'x.csv'`, /2 statements/],
    [`SELECT * FROM query('COPY orders TO ''x.csv''')`, /runs SQL given as text/],
    [`SELECT * FROM read_csv('${join(outside, 'secret.csv')}')`, /Permission Error/],
    [`SELECT * FROM '${join(outside, 'secret.csv')}'`, /Permission Error/],
    [`SELECT * FROM read_csv('../outside/secret.csv')`, /Permission Error/],
    [`SELECT * FROM read_text('/etc/passwd')`, /Permission Error/],
  ];
  for (const [sql, why] of hostile) {
    it(`refuses ${sql}`, async () => {
      for (const db of [fileDb, memoryDb]) {
        for (const analyze of [false, true]) {
          await expect(db.explain(sql, { analyze, consentToWrites: true })).rejects.toThrow(why);
        }
      }
    });
  }

  it('the sandbox itself refuses a non-SELECT and locks its configuration (under the classification)', async () => {
    const box = await openSandboxed({ file, allowedDirs: [ws], baseDir: ws, allowNetwork: false });
    try {
      await expect(box.explain(`COPY orders TO '${join(ws, 'x.csv')}'`, false)).rejects.toBeInstanceOf(RefusedStatementError);
      await expect(box.readRows(`SELECT 1; SELECT 2`)).rejects.toThrow(/2 statements/);
      await expect(box.readRows(`SET enable_external_access = true`)).rejects.toThrow(/SELECT/);
      // The configuration as DuckDB reports it after setup: locked, external access off, only the workspace allowed.
      const rows = await box.readRows(
        `SELECT current_setting('lock_configuration') AS locked, current_setting('enable_external_access') AS external, current_setting('autoinstall_known_extensions') AS autoinstall, current_setting('autoload_known_extensions') AS autoload, current_setting('access_mode') AS mode`,
      );
      expect(rows[0]).toEqual({ locked: true, external: false, autoinstall: false, autoload: false, mode: 'read_only' });
    } finally {
      box.close();
    }
  });

  it('leaves the file and the workspace folder as they were', () => {
    expect(sha256(file)).toBe(hashBefore);
    expect(readdirSync(ws).sort()).toEqual(listingBefore);
  });
});

describe('cancel and timeout', () => {
  const slow = `SELECT count(*) FROM range(100000000000) a WHERE a.range % 7 = 3`;

  it('stops a runaway query through the interrupt, and the connection keeps working', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 300);
    await expect(memoryDb.explain(slow, { analyze: true, consentToWrites: false, signal: controller.signal })).rejects.toBeInstanceOf(ExplainCancelledError);
    expect(Date.now() - started).toBeLessThan(3_000);
    const after = Date.now();
    const r = await memoryDb.explain(`SELECT 42`, { analyze: true, consentToWrites: false });
    expect(r.analyzed).toBe(true);
    // The interrupted query really stopped: the next one did not wait behind it for the grace period.
    expect(Date.now() - after).toBeLessThan(1_500);
  });

  it('reports a spill under memory_limit as duckdb-spill, only for the query that spilled', async () => {
    const small = new DuckdbDatabase({ name: 'small', driver: 'duckdb', file: ':memory:' }, { limits: defaultSessionLimits, workerDir, allowedDirs: [ws], baseDir: ws, memoryLimit: '128MB' });
    try {
      const spilled = await small.explain(`SELECT payload, count(*) FROM 'data/events.parquet' GROUP BY payload`, { analyze: true, consentToWrites: false });
      const plan = parsePlan(spilled.plan, { dialect: 'duckdb' });
      expect(plan.spillBytes).toBeGreaterThan(0);
      expect(analyzePlan(plan).map((f) => f.rule)).toContain('duckdb-spill');
      // The instance's peak stays where the aggregate left it; the next queries did not raise it, so they are not blamed.
      // (DuckDB 1.5 profiles this count(*) as {"result": "error"}: the estimated plan comes back, and says so.)
      const next = await small.explain(`SELECT count(*) FROM 'data/events.parquet'`, { analyze: true, consentToWrites: false });
      expect(next.analyzed).toBe(false);
      expect(next.warnings.join('\n')).toContain('profiler returned no operators');
      expect(analyzePlan(parsePlan(next.plan as string, { dialect: 'duckdb' })).map((f) => f.rule)).not.toContain('duckdb-spill');
      const after = await small.explain(`SELECT payload FROM 'data/events.parquet' WHERE id < 10`, { analyze: true, consentToWrites: false });
      expect(after.analyzed).toBe(true);
      expect(analyzePlan(parsePlan(after.plan as string, { dialect: 'duckdb' })).map((f) => f.rule)).not.toContain('duckdb-spill');
    } finally {
      await small.close();
    }
  });

  it('stops a query at the statement timeout', async () => {
    await expect(memoryDb.explain(slow, { analyze: true, consentToWrites: false, timeoutMs: 300 })).rejects.toMatchObject({ why: 'timeout' });
    expect((await memoryDb.explain(`SELECT 1`, noAnalyze)).dialect).toBe('duckdb');
  });
});

describe('catalog', () => {
  it('introspects tables, columns and the primary key in four queries', async () => {
    const catalog = await fileDb.introspect({});
    expect(catalog.dialect).toBe('duckdb');
    expect(catalog.queryCount).toBe(4);
    const customers = catalog.tables.find((t) => t.name === 'customers')!;
    expect(customers.primaryKey).toEqual(['id']);
    expect(customers.columns.map((c) => `${c.name} ${c.type}`)).toEqual(['id INTEGER', 'name VARCHAR', 'signup_date VARCHAR']);
    const orders = catalog.tables.find((t) => t.name === 'orders')!;
    expect(orders.primaryKey).toBeNull();
    expect(orders.rowEstimate).toBe(200000);
  });

  it('reviews the schema: an undeclared key, a date as text, money as DOUBLE, a wide table; a healthy table is quiet', async () => {
    const findings = reviewCatalog(await fileDb.introspect({}));
    const on = (object: string): string[] => findings.filter((f) => f.object === object).map((f) => f.rule);
    expect(on('main.orders')).toEqual(['duckdb-no-primary-key']);
    expect(on('main.orders.price')).toEqual(['duckdb-double-money']);
    expect(on('main.customers.signup_date')).toEqual(['duckdb-varchar-date']);
    expect(on('main.customers')).toEqual([]);
    expect(on('main.wide')).toEqual(['wide-table']);
    expect(findings.filter((f) => f.object?.startsWith('main.products'))).toEqual([]);
    expect(findings.find((f) => f.rule === 'duckdb-no-primary-key')!.fix).toContain('ALTER TABLE main.orders ADD PRIMARY KEY (id);');
  });
});

describe('proof', () => {
  it('compares results with EXCEPT ALL on the read-only file and over Parquet', async () => {
    const equal = await compareResults(fileDb, `SELECT customer_id, count(*) FROM orders GROUP BY 1`, `SELECT customer_id, count(id) FROM orders GROUP BY customer_id`);
    expect(equal.verdict).toBe('equal');
    const differ = await compareResults(fileDb, `SELECT id FROM orders WHERE price > 15`, `SELECT id FROM orders WHERE price >= 15`);
    expect(differ.verdict).toBe('different');
    expect(differ.onlyInRewrite).toBeGreaterThan(0);
    // Bag semantics: a duplicated row is a difference, which plain EXCEPT would miss.
    const bag = await compareResults(memoryDb, `SELECT 1 AS x UNION ALL SELECT 1`, `SELECT 1 AS x`);
    expect(bag.verdict).toBe('different');
    const parquet = await compareResults(memoryDb, `SELECT count(*) FROM 'data/orders.parquet'`, `SELECT count(*) FROM 'data/orders.csv'`);
    expect(parquet.verdict).toBe('equal');
    expect(sha256(file)).toBe(hashBefore);
  });

  it('does not compare what calls a volatile function', async () => {
    const r = await compareResults(memoryDb, `SELECT random() AS x`, `SELECT random() AS x`);
    expect(r.verdict).toBe('cannot-verify');
    expect(r.reason).toMatch(/random\(\) is VOLATILE/);
  });

  it('says plainly that index what-if is not available', async () => {
    await expect(whatIfIndex(fileDb, `SELECT * FROM orders WHERE customer_id = 7`, ['CREATE INDEX ON orders (customer_id)'], { request: { analyze: false }, port: { withoutConsent: 'refuse' } })).rejects.toThrow(
      /index what-if is not available on DuckDB/,
    );
  });
});

describe('dataeng explain with a duckdb URL', () => {
  /** main() as the CLI runs it, with the workspace folder as the current directory (dist/duckdbWorker.js). */
  async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io: CliIo = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), readFile: (p) => Promise.resolve(readFileSync(p, 'utf8')), env: { HOME: root }, cwd: ws };
    return { code: await main(['explain', ...argv], io), out, err };
  }
  const outsideCsv = `SELECT count(*) FROM read_csv('../outside/secret.csv')`;

  it('explains over Parquet relative to the current directory', async () => {
    const r = await cli(['--url', 'duckdb::memory:', '--analyze', `SELECT customer_id, count(*) FROM 'data/orders.parquet' WHERE price > 10 GROUP BY customer_id`]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ dialect: 'duckdb', analyzed: true, planFormat: 'duckdb-json' });
  });

  it('refuses a folder outside the current directory (exit 3), and reads it with --allow-dir', async () => {
    const refused = await cli(['--url', 'duckdb::memory:', outsideCsv]);
    expect(refused.code).toBe(3);
    expect(refused.err).toMatch(/Permission Error/);
    const allowed = await cli(['--url', 'duckdb::memory:', '--allow-dir', '../outside', outsideCsv]);
    expect(allowed.code).toBe(0);
  });

  it('refuses COPY … TO and ATTACH before connecting (exit 3)', async () => {
    for (const sql of [`COPY orders TO 'x.csv'`, `ATTACH 'x.duckdb'`]) expect((await cli(['--url', 'duckdb:shop.duckdb', sql])).code).toBe(3);
    expect(sha256(file)).toBe(hashBefore);
  });
});
