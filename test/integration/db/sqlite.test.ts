// SQLite on real files, through every engine that runs on this Node: EXPLAIN QUERY PLAN rows, read-only opening,
// the catalog, and the file's bytes never change. CI runs this file under Node 20 (better-sqlite3, sql.js) and under
// Node 22 and 24 (node:sqlite, sql.js), where the shipped addon cannot load, as in desktop VS Code's Electron.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError, RefusedStatementError, StatementError } from '../../../src/db/errors';
import { openDatabase, sqliteEnginesFromEnv } from '../../../src/db/open';
import { SqliteDatabase } from '../../../src/db/sqlite/driver';
import type { SqliteEngineName } from '../../../src/db/sqlite/engine';
import { defaultSessionLimits, type Database } from '../../../src/db/types';
import { betterSqlite3Loads, nodeSqliteLoads, openWritableSqlite } from '../../support/writableSqlite';
import { buildWorkers } from './workerSupport';

const dir = mkdtempSync(join(tmpdir(), 'dataeng-sqlite-'));
const file = join(dir, 'shop.db');
let hashBefore: string;
let workerDir: string;

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** The engines that run on this Node, in the order the worker tries them. */
const hostEngines: SqliteEngineName[] = [
  ...(betterSqlite3Loads() ? (['better-sqlite3'] as const) : []),
  ...(nodeSqliteLoads() ? (['node:sqlite'] as const) : []),
  'sql.js',
];
/** Engines that take SQLite's file locks; sql.js reads a copy of the file instead (engine.ts `usesFileLocks`). */
const lockingEngines = new Set<SqliteEngineName>(['better-sqlite3', 'node:sqlite']);

const noAnalyze = { analyze: false, consentToWrites: false } as const;

function openSqlite(path: string, engines?: SqliteEngineName[], extra: { maxInMemoryBytes?: number; busyTimeoutMs?: number } = {}): SqliteDatabase {
  return new SqliteDatabase({ name: 'lite', driver: 'sqlite', file: path }, { limits: defaultSessionLimits, workerDir, ...(engines ? { engines } : {}), ...extra });
}

beforeAll(async () => {
  workerDir = await buildWorkers();
  const w = openWritableSqlite(file);
  w.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, country TEXT);
          CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), total REAL);
          CREATE INDEX customers_country ON customers(country);
          INSERT INTO customers (email, country)
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 199)
            SELECT 'c' || i || '@x', CASE WHEN i % 3 THEN 'DE' ELSE 'US' END FROM n;`);
  w.close();
  hashBefore = sha256(file);
});

afterEach(() => {
  // Every test, whatever it did, leaves the file byte for byte as it was.
  expect(sha256(file)).toBe(hashBefore);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe(`SQLite engines on Node ${process.versions.node}`, () => {
  it('the default order picks the first engine that runs here, and says which', async () => {
    const db = await openDatabase({ name: 'lite', driver: 'sqlite', file }, { limits: defaultSessionLimits, workerDir });
    try {
      expect((await db.test()).version).toMatch(new RegExp(`^SQLite 3\\.\\d+\\.\\d+ \\(${hostEngines[0]!.replace('.', '\\.')}\\)$`));
    } finally {
      await db.close();
    }
  });

  it('an engine that cannot run here is named with the reason and the host version', async () => {
    const missing: SqliteEngineName = betterSqlite3Loads() ? 'node:sqlite' : 'better-sqlite3';
    const db = openSqlite(file, [missing]);
    const err = await db.test().catch((e: unknown) => e);
    await db.close();
    expect(err).toBeInstanceOf(ConnectionError);
    const message = (err as Error).message;
    expect(message).toContain(`Node ${process.versions.node}`);
    expect(message).toContain(missing);
    // The addon's first failed load names both ABIs; a later one in the same process only says it did not register.
    expect(message).toMatch(missing === 'better-sqlite3' ? /module ABI 115, this host needs ABI \d+|did not self-register/ : /needs Node 22\.13 or later/);
    expect(message).toMatch(/VS Code 1\.101 or later/);
  });

  it('DATAENG_SQLITE_ENGINE narrows the engines, and an unknown name is refused', () => {
    expect(sqliteEnginesFromEnv(undefined)).toBeUndefined();
    expect(sqliteEnginesFromEnv(' sql.js , node:sqlite ')).toEqual(['sql.js', 'node:sqlite']);
    expect(() => sqliteEnginesFromEnv('sqlite3')).toThrow(/unknown engines \(sqlite3\)/);
  });
});

describe.each(hostEngines)('SQLite through %s', (engine) => {
  let db: Database;

  beforeAll(() => {
    db = openSqlite(file, [engine]);
  });

  afterAll(async () => {
    await db?.close();
  });

  it('tests the connection', async () => {
    const info = await db.test();
    expect(info.dialect).toBe('sqlite');
    expect(info.version).toMatch(new RegExp(`^SQLite 3\\..*\\(${engine.replace('.', '\\.')}\\)$`));
  });

  it('returns EXPLAIN QUERY PLAN rows', async () => {
    const r = await db.explain("SELECT * FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.country = 'DE'", noAnalyze);
    expect(r.planFormat).toBe('sqlite-rows');
    expect(r.analyzed).toBe(false);
    const rows = r.plan as { id: number; parent: number; notused: number; detail: string }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((x) => x.detail).join('\n')).toMatch(/SEARCH c USING INTEGER PRIMARY KEY/);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(['detail', 'id', 'notused', 'parent']);
      expect(typeof row.id).toBe('number');
    }
  });

  it('warns that SQLite has no EXPLAIN ANALYZE and never executes a write', async () => {
    const r = await db.explain('DELETE FROM customers', { analyze: true, consentToWrites: true });
    expect(r.analyzed).toBe(false);
    expect(r.warnings.join('\n')).toMatch(/SQLite has no EXPLAIN ANALYZE/);
    const check = openWritableSqlite(file);
    expect(check.all('SELECT count(*) AS n FROM customers')[0]?.n).toBe(200);
    check.close();
  });

  it('strips a user-written EXPLAIN QUERY PLAN and binds parameters as NULL', async () => {
    const r = await db.explain('EXPLAIN QUERY PLAN SELECT * FROM customers WHERE country = ? AND email = :email', noAnalyze);
    expect(r.statement).toBe('SELECT * FROM customers WHERE country = ? AND email = :email');
    expect(JSON.stringify(r.plan)).toMatch(/customers_country/);
  });

  it('refuses multiple statements and transaction control', async () => {
    await expect(db.explain('SELECT 1; DROP TABLE customers', noAnalyze)).rejects.toBeInstanceOf(RefusedStatementError);
    await expect(db.explain('BEGIN', noAnalyze)).rejects.toBeInstanceOf(RefusedStatementError);
  });

  it('the engine itself refuses a second statement that got past the lexer', async () => {
    // A worker request straight to the engine, as if the lexer had missed the second statement.
    const worker = (db as unknown as { worker: { request<T>(op: string, args: unknown): Promise<T> } }).worker;
    const err = await worker.request('explain', { sql: 'SELECT 1; DELETE FROM customers' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StatementError);
    expect((err as Error).message).toMatch(/more than one statement/);
  });

  it('reports statement errors from SQLite', async () => {
    const err = await db.explain('SELECT * FROM nope', noAnalyze).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StatementError);
    expect((err as Error).message).toMatch(/no such table: nope/);
  });

  it('refuses double-quoted string literals only where the engine is built to (sql.js accepts them)', async () => {
    const r = db.explain('SELECT * FROM customers WHERE country = "DE"', noAnalyze);
    if (engine === 'sql.js') await expect(r).resolves.toMatchObject({ planFormat: 'sqlite-rows' });
    else await expect(r).rejects.toThrow(/no such column: "?DE"?/);
  });

  it('introspects the catalog through the worker', async () => {
    const catalog = await db.introspect({});
    expect(catalog.dialect).toBe('sqlite');
    expect(catalog.tables.map((t) => t.name).sort()).toEqual(['customers', 'orders']);
    expect(catalog.tables.find((t) => t.name === 'orders')?.foreignKeys).toEqual([
      { name: 'orders_fk0', columns: ['customer_id'], referencedSchema: 'main', referencedTable: 'customers', referencedColumns: ['id'] },
    ]);
    expect(catalog.queryCount).toBe(4);
  });

  it('sees a change made to the file by another connection at the next call', async () => {
    const other = join(dir, `changing-${engine.replace(/\W/g, '')}.db`);
    const w = openWritableSqlite(other);
    w.exec('CREATE TABLE t (a INTEGER, b TEXT)');
    const reader = openSqlite(other, [engine]);
    try {
      expect(JSON.stringify((await reader.explain('SELECT * FROM t WHERE a = 1', noAnalyze)).plan)).toMatch(/SCAN t/);
      w.exec('CREATE INDEX t_a ON t (a)');
      expect(JSON.stringify((await reader.explain('SELECT * FROM t WHERE a = 1', noAnalyze)).plan)).toMatch(/USING INDEX t_a/);
    } finally {
      w.close();
      await reader.close();
    }
  });

  it('a missing file is a connection error naming the file, and creates nothing', async () => {
    const missing = join(dir, 'missing.db');
    const other = openSqlite(missing, [engine]);
    const err = await other.test().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toContain(missing);
    await other.close();
    expect(() => readFileSync(missing)).toThrow();
  });

  it('a file that is not a database is a connection error', async () => {
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'this is not a database file, just some text padding '.repeat(100));
    const other = openSqlite(junk, [engine]);
    await expect(other.test()).rejects.toBeInstanceOf(ConnectionError);
    await other.close();
  });

  it('cancel and timeout stop the worker and the next call works again', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(db.explain('SELECT 1', { ...noAnalyze, signal: controller.signal })).rejects.toThrow(/cancelled/);
    const r = await db.explain('SELECT 1', noAnalyze);
    expect(r.planFormat).toBe('sqlite-rows');
  });

  it(
    lockingEngines.has(engine)
      ? 'a locked database gives up after the busy timeout instead of hanging'
      : 'a database being written (hot rollback journal) gives up after the busy timeout instead of reading half a write',
    async () => {
      const locked = join(dir, `locked-${engine.replace(/\W/g, '')}.db`);
      const w = openWritableSqlite(locked);
      w.exec('CREATE TABLE t (a)');
      const journal = `${locked}-journal`;
      if (lockingEngines.has(engine)) {
        w.exec('BEGIN EXCLUSIVE');
        w.exec('INSERT INTO t VALUES (1)');
      } else {
        // The copy-reading engine takes no lock: a rollback journal whose header is complete is what tells it a write
        // is landing in the file (SQLite writes the header's magic number just before it overwrites database pages).
        w.close();
        writeFileSync(journal, Buffer.concat([Buffer.from('d9d505f920a163d7', 'hex'), Buffer.alloc(504)]));
      }
      const other = openSqlite(locked, [engine], { busyTimeoutMs: 300 });
      try {
        const started = Date.now();
        const err = await other.explain('SELECT * FROM t', noAnalyze).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(StatementError);
        expect((err as Error).message).toMatch(/locked|busy/i);
        expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      } finally {
        if (lockingEngines.has(engine)) {
          w.exec('ROLLBACK');
          w.close();
        } else rmSync(journal);
        await other.close();
      }
    },
  );
});

describe.runIf(hostEngines.includes('sql.js'))('the in-memory engine (sql.js)', () => {
  it('refuses a file over its size limit, naming the host and what to do', async () => {
    const db = openSqlite(file, ['sql.js'], { maxInMemoryBytes: 1024 });
    const err = await db.test().catch((e: unknown) => e);
    await db.close();
    expect(err).toBeInstanceOf(ConnectionError);
    const message = (err as Error).message;
    expect(message).toMatch(/shop\.db is \d+ KB, more than the 1 KB that SQLite as WebAssembly \(sql\.js/);
    expect(message).toContain(`Node ${process.versions.node}`);
    expect(message).toMatch(/VS Code 1\.101 or later/);
  });

  it('says when a write-ahead log holds changes it cannot see', async () => {
    const wal = join(dir, 'wal.db');
    const w = openWritableSqlite(wal);
    // The table reaches the file at the checkpoint; the index stays in the log while the writer keeps it open.
    w.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (a); PRAGMA wal_checkpoint(TRUNCATE); CREATE INDEX t_a ON t (a);');
    const db = openSqlite(wal, ['sql.js']);
    try {
      const r = await db.explain('SELECT * FROM t WHERE a = 1', noAnalyze);
      expect(r.warnings.join('\n')).toMatch(/write-ahead log \(wal\.db-wal\).*not visible/);
      expect(JSON.stringify(r.plan)).toMatch(/SCAN t/);
    } finally {
      await db.close();
      w.close();
    }
  });
});
