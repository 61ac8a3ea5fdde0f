// SQLite on real files: EXPLAIN QUERY PLAN rows, read-only opening, and the file's bytes never change.
import Sqlite from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError, RefusedStatementError, StatementError } from '../../../src/db/errors';
import { openDatabase } from '../../../src/db/open';
import { defaultSessionLimits, type Database } from '../../../src/db/types';
import { buildWorkers } from './workerSupport';

const dir = mkdtempSync(join(tmpdir(), 'dataeng-sqlite-'));
const file = join(dir, 'shop.db');
let db: Database;
let hashBefore: string;
let workerDir: string;

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

beforeAll(async () => {
  workerDir = await buildWorkers();
  const w = new Sqlite(file);
  w.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, country TEXT);
          CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), total REAL);
          CREATE INDEX customers_country ON customers(country);`);
  const ins = w.prepare('INSERT INTO customers (email, country) VALUES (?, ?)');
  for (let i = 0; i < 200; i++) ins.run(`c${i}@x`, i % 3 ? 'DE' : 'US');
  w.close();
  hashBefore = sha256(file);
  db = await openDatabase({ name: 'lite', driver: 'sqlite', file }, { limits: defaultSessionLimits, workerDir });
});

afterEach(() => {
  // Every test, whatever it did, leaves the file byte for byte as it was.
  expect(sha256(file)).toBe(hashBefore);
});

afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SQLite', () => {
  it('tests the connection', async () => {
    const info = await db.test();
    expect(info.dialect).toBe('sqlite');
    expect(info.version).toMatch(/^SQLite 3\./);
  });

  it('returns EXPLAIN QUERY PLAN rows', async () => {
    const r = await db.explain("SELECT * FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.country = 'DE'", { analyze: false, consentToWrites: false });
    expect(r.planFormat).toBe('sqlite-rows');
    expect(r.analyzed).toBe(false);
    const rows = r.plan as { id: number; parent: number; notused: number; detail: string }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((x) => x.detail).join('\n')).toMatch(/SEARCH c USING INTEGER PRIMARY KEY/);
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(['detail', 'id', 'notused', 'parent']);
  });

  it('warns that SQLite has no EXPLAIN ANALYZE and never executes a write', async () => {
    const r = await db.explain('DELETE FROM customers', { analyze: true, consentToWrites: true });
    expect(r.analyzed).toBe(false);
    expect(r.warnings.join('\n')).toMatch(/SQLite has no EXPLAIN ANALYZE/);
    const check = new Sqlite(file, { readonly: true });
    expect((check.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n).toBe(200);
    check.close();
  });

  it('strips a user-written EXPLAIN QUERY PLAN', async () => {
    const r = await db.explain('EXPLAIN QUERY PLAN SELECT * FROM customers WHERE country = ?', { analyze: false, consentToWrites: false });
    expect(r.statement).toBe('SELECT * FROM customers WHERE country = ?');
    expect(JSON.stringify(r.plan)).toMatch(/customers_country/);
  });

  it('refuses multiple statements and transaction control', async () => {
    await expect(db.explain('SELECT 1; DROP TABLE customers', { analyze: false, consentToWrites: false })).rejects.toBeInstanceOf(RefusedStatementError);
    await expect(db.explain('BEGIN', { analyze: false, consentToWrites: false })).rejects.toBeInstanceOf(RefusedStatementError);
  });

  it('reports statement errors from SQLite', async () => {
    await expect(db.explain('SELECT * FROM nope', { analyze: false, consentToWrites: false })).rejects.toBeInstanceOf(StatementError);
  });

  it('introspects the catalog through the worker', async () => {
    const catalog = await db.introspect({});
    expect(catalog.dialect).toBe('sqlite');
    expect(catalog.tables.map((t) => t.name).sort()).toEqual(['customers', 'orders']);
  });

  it('opens read-only: a write through the same kind of handle is refused', () => {
    const ro = new Sqlite(file, { readonly: true, fileMustExist: true });
    expect(() => ro.exec('DELETE FROM customers')).toThrow(/readonly/);
    ro.close();
  });

  it('a missing file is a connection error naming the file, and creates nothing', async () => {
    const missing = join(dir, 'missing.db');
    const other = await openDatabase({ name: 'missing', driver: 'sqlite', file: missing }, { limits: defaultSessionLimits, workerDir });
    const err = await other.test().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toContain(missing);
    await other.close();
    expect(() => readFileSync(missing)).toThrow();
  });

  it('a file that is not a database is a connection error', async () => {
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'this is not a database file, just some text padding '.repeat(100));
    const other = await openDatabase({ name: 'junk', driver: 'sqlite', file: junk }, { limits: defaultSessionLimits, workerDir });
    await expect(other.test()).rejects.toBeInstanceOf(ConnectionError);
    await other.close();
  });

  it('cancel and timeout stop the worker and the next call works again', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(db.explain('SELECT 1', { analyze: false, consentToWrites: false, signal: controller.signal })).rejects.toThrow(/cancelled/);
    const r = await db.explain('SELECT 1', { analyze: false, consentToWrites: false });
    expect(r.planFormat).toBe('sqlite-rows');
  });

  it('a locked database gives up after the busy timeout instead of hanging', async () => {
    const locked = join(dir, 'locked.db');
    const w = new Sqlite(locked);
    w.exec('CREATE TABLE t (a)');
    w.exec('BEGIN EXCLUSIVE');
    w.exec('INSERT INTO t VALUES (1)');
    const other = await openDatabase({ name: 'locked', driver: 'sqlite', file: locked }, { limits: defaultSessionLimits, workerDir });
    const err = await other.explain('SELECT * FROM t', { analyze: false, consentToWrites: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/locked|busy/i);
    w.exec('ROLLBACK');
    w.close();
    await other.close();
  });
});
