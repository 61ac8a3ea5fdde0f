// The safe EXPLAIN path on the real PostgreSQL server: nothing changes, nothing extra runs, nothing stays busy.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError, ConsentRequiredError, ExplainCancelledError, RefusedStatementError, StatementError } from '../../../src/db/errors';
import { openDatabase } from '../../../src/db/open';
import { defaultSessionLimits, type Database } from '../../../src/db/types';
import { adminClient, scalar, tableChecksum, testConfig, uniqueName, waitForNoActiveBackend } from './pgSupport';

const schema = uniqueName('dataeng_pgtest');
const appName = uniqueName('dataeng_it');
let admin: pg.Client;
let db: Database;

const t = (name: string): string => `${schema}.${name}`;

beforeAll(async () => {
  admin = await adminClient();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`CREATE TABLE ${t('items')} (id serial PRIMARY KEY, name text NOT NULL, qty int NOT NULL)`);
  await admin.query(`INSERT INTO ${t('items')} (name, qty) SELECT 'item ' || g, g % 7 FROM generate_series(1, 500) g`);
  await admin.query(`CREATE TABLE ${t('incoming')} (id int, name text, qty int)`);
  await admin.query(`INSERT INTO ${t('incoming')} VALUES (1, 'changed', 99), (1000, 'new', 1)`);
  await admin.query(`ANALYZE ${t('items')}`);
  const { config, password } = testConfig(appName);
  db = await openDatabase(config, { limits: defaultSessionLimits, ...(password ? { password } : {}), env: {} });
});

afterAll(async () => {
  await db?.close();
  await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin?.end();
});

describe('PostgreSQL: connection', () => {
  it('tests the connection and reports the server', async () => {
    const info = await db.test();
    expect(info.dialect).toBe('postgres');
    expect(info.version).toMatch(/PostgreSQL/);
  });

  it('applies statement_timeout from the session limits', async () => {
    const { config, password } = testConfig(appName);
    const strict = await openDatabase(config, { limits: { ...defaultSessionLimits, statementTimeoutMs: 250 }, ...(password ? { password } : {}), env: {} });
    try {
      const err = await strict.explain('SELECT pg_sleep(3)', { analyze: true, consentToWrites: false }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ExplainCancelledError);
      expect((err as ExplainCancelledError).why).toBe('timeout');
    } finally {
      await strict.close();
    }
  });

  it('applies lock_timeout from the session limits', async () => {
    const { config, password } = testConfig(appName);
    const strict = await openDatabase(config, { limits: { ...defaultSessionLimits, lockTimeoutMs: 200 }, ...(password ? { password } : {}), env: {} });
    const locker = await adminClient();
    try {
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE ${t('items')} IN ACCESS EXCLUSIVE MODE`);
      await expect(strict.explain(`SELECT * FROM ${t('items')}`, { analyze: true, consentToWrites: false })).rejects.toThrow(/lock timeout/);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
      await strict.close();
    }
  });
});

describe('PostgreSQL: plain EXPLAIN', () => {
  it('returns a JSON plan without executing, inside a READ ONLY transaction', async () => {
    const r = await db.explain(`SELECT * FROM ${t('items')} WHERE qty = 3`, { analyze: false, consentToWrites: false });
    expect(r.analyzed).toBe(false);
    expect(r.rolledBack).toBe(true);
    expect(r.planFormat).toBe('postgres-json');
    const root = (r.plan as { Plan: { 'Node Type': string; 'Actual Rows'?: number } }[])[0]!.Plan;
    expect(root['Node Type']).toBe('Seq Scan');
    expect(root['Actual Rows']).toBeUndefined();
  });

  it('plans a statement with $1 as a generic plan, and leaves no prepared statement behind', async () => {
    const r = await db.explain(`SELECT * FROM ${t('items')} WHERE id = $1 AND qty > $2`, { analyze: false, consentToWrites: false });
    expect((r.plan as { Plan: { 'Node Type': string } }[])[0]!.Plan['Node Type']).toBe('Index Scan');
    const again = await db.explain(`SELECT * FROM ${t('items')} WHERE id = $1`, { analyze: false, consentToWrites: false });
    expect(again.planFormat).toBe('postgres-json');
    const err = await db.explain(`SELECT * FROM ${t('items')} WHERE nope = $1`, { analyze: false, consentToWrites: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StatementError);
    expect((err as StatementError).position).toBe(`SELECT * FROM ${t('items')} WHERE `.length);
    expect((await db.explain('SELECT $1::int', { analyze: false, consentToWrites: false })).planFormat).toBe('postgres-json');
  });

  it('explains a write without consent and without changing anything (no execution)', async () => {
    const before = await tableChecksum(admin, t('items'));
    const r = await db.explain(`DELETE FROM ${t('items')}`, { analyze: false, consentToWrites: false });
    expect(r.analyzed).toBe(false);
    expect(await tableChecksum(admin, t('items'))).toBe(before);
  });

  it('a volatile user function needs consent, and even with it a function that writes fails under READ ONLY', async () => {
    await admin.query(`CREATE FUNCTION ${t('sneaky')}() RETURNS int LANGUAGE sql VOLATILE AS $$ DELETE FROM ${t('items')} RETURNING 1 $$`);
    const before = await tableChecksum(admin, t('items'));
    // First layer: the catalog says the function is volatile and user-defined, so it is not run without consent.
    await expect(db.explain(`SELECT ${t('sneaky')}()`, { analyze: true, consentToWrites: false })).rejects.toThrow(ConsentRequiredError);
    // Second layer: a statement classified as a read runs in a READ ONLY transaction, so the write fails anyway.
    await expect(db.explain(`SELECT ${t('sneaky')}()`, { analyze: true, consentToWrites: true })).rejects.toThrow(/read-only transaction/);
    expect(await tableChecksum(admin, t('items'))).toBe(before);
  });
});

describe('PostgreSQL: EXPLAIN ANALYZE of writes leaves the data identical', () => {
  const writes = [
    `DELETE FROM ${'S'}.items WHERE qty = 3`,
    `UPDATE ${'S'}.items SET name = upper(name), qty = qty + 1`,
    `INSERT INTO ${'S'}.items (name, qty) SELECT 'x' || g, 1 FROM generate_series(1, 100) g`,
    `MERGE INTO ${'S'}.items i USING ${'S'}.incoming s ON i.id = s.id WHEN MATCHED THEN UPDATE SET name = s.name WHEN NOT MATCHED THEN INSERT (name, qty) VALUES (s.name, s.qty)`,
    `WITH gone AS (DELETE FROM ${'S'}.items WHERE id < 50 RETURNING *) SELECT count(*) FROM gone`,
    `EXPLAIN ANALYZE DELETE FROM ${'S'}.items`,
  ];
  it.each(writes)('%s', async (template) => {
    const sql = template.replaceAll('S.', `${schema}.`);
    const before = await tableChecksum(admin, t('items'));
    const count = await scalar<number>(admin, `SELECT count(*)::int AS n FROM ${t('items')}`);
    await expect(db.explain(sql, { analyze: true, consentToWrites: false })).rejects.toBeInstanceOf(ConsentRequiredError);
    const r = await db.explain(sql, { analyze: true, consentToWrites: true });
    expect(r.analyzed).toBe(true);
    expect(r.rolledBack).toBe(true);
    const root = (r.plan as { Plan: Record<string, unknown> }[])[0]!.Plan;
    expect(root['Actual Rows']).toBeTypeOf('number');
    expect(await tableChecksum(admin, t('items'))).toBe(before);
    expect(await scalar<number>(admin, `SELECT count(*)::int AS n FROM ${t('items')}`)).toBe(count);
  });

  it('does not double-prefix a user EXPLAIN ANALYZE, and warns about sequences on INSERT', async () => {
    const r = await db.explain(`EXPLAIN (ANALYZE, FORMAT TEXT) INSERT INTO ${t('items')} (name, qty) VALUES ('a', 1)`, { analyze: true, consentToWrites: true });
    expect(r.statement).toBe(`INSERT INTO ${t('items')} (name, qty) VALUES ('a', 1)`);
    expect(Array.isArray(r.plan)).toBe(true);
    expect(r.warnings.join('\n')).toMatch(/sequences/);
  });

  it('runs a user EXPLAIN ANALYZE only as a plain EXPLAIN when analyze was not requested', async () => {
    const before = await tableChecksum(admin, t('items'));
    const r = await db.explain(`EXPLAIN ANALYZE DELETE FROM ${t('items')}`, { analyze: false, consentToWrites: false });
    expect(r.analyzed).toBe(false);
    expect(r.warnings.join('\n')).toMatch(/estimated plan only/);
    expect(await tableChecksum(admin, t('items'))).toBe(before);
  });
});

describe('PostgreSQL: refused statements never reach the server', () => {
  it.each([
    'SELECT 1; DROP TABLE S.items',
    'COMMIT; DELETE FROM S.items',
    'END',
    'ROLLBACK',
    'BEGIN',
    'SELECT 1; COMMIT',
    'EXPLAIN ANALYZE DROP TABLE S.items',
    'TRUNCATE S.items',
    'VACUUM S.items',
  ])('%s', async (template) => {
    const sql = template.replaceAll('S.', `${schema}.`);
    await expect(db.explain(sql, { analyze: true, consentToWrites: true })).rejects.toBeInstanceOf(RefusedStatementError);
    expect(await scalar<string | null>(admin, 'SELECT to_regclass($1)::text AS r', [t('items')])).not.toBeNull();
  });

  it('SELECT … FOR UPDATE under ANALYZE needs consent (it takes row locks) and is rolled back', async () => {
    const sql = `SELECT * FROM ${t('items')} WHERE id < 5 FOR UPDATE`;
    await expect(db.explain(sql, { analyze: true, consentToWrites: false })).rejects.toBeInstanceOf(ConsentRequiredError);
    const r = await db.explain(sql, { analyze: true, consentToWrites: true });
    expect(r.analyzed).toBe(true);
    expect(r.warnings.join('\n')).toMatch(/row locks/);
  });

  it('treats a semicolon inside a string or comment as data, not a second statement', async () => {
    const r = await db.explain(`SELECT 'x; DROP TABLE ${t('items')}; COMMIT' /* ; END; */ FROM ${t('items')}`, { analyze: true, consentToWrites: false });
    expect(r.analyzed).toBe(true);
  });

  it('the server itself refuses a second statement on the extended protocol (defence in depth)', async () => {
    const { PostgresDatabase } = await import('../../../src/db/postgres/driver');
    expect(db).toBeInstanceOf(PostgresDatabase);
    const other = await adminClient();
    try {
      const config = { text: `SELECT 1; DROP TABLE ${t('items')}`, values: [], queryMode: 'extended' } as unknown as pg.QueryConfig;
      await expect(other.query(config)).rejects.toThrow(/cannot insert multiple commands into a prepared statement/);
    } finally {
      await other.end();
    }
    expect(await scalar<string | null>(admin, 'SELECT to_regclass($1)::text AS r', [t('items')])).not.toBeNull();
  });

  it('reports statement errors with the offset in the user text', async () => {
    const sql = `SELECT nope FROM ${t('items')}`;
    const err = await db.explain(sql, { analyze: false, consentToWrites: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StatementError);
    expect((err as StatementError).position).toBe(sql.indexOf('nope'));
  });
});

describe('PostgreSQL: timeout and cancel leave nothing running', () => {
  it('a timeout stops the statement and rolls back', async () => {
    const err = await db.explain('SELECT pg_sleep(5)', { analyze: true, consentToWrites: false, timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExplainCancelledError);
    expect((err as ExplainCancelledError).why).toBe('timeout');
    expect(await waitForNoActiveBackend(admin, appName)).toEqual([]);
  });

  it('an AbortSignal mid-query cancels it on the server', async () => {
    const controller = new AbortController();
    const pending = db.explain('SELECT pg_sleep(10)', { analyze: true, consentToWrites: false, signal: controller.signal }).catch((e: unknown) => e);
    // Wait until the statement is visibly running on the server, then abort.
    for (let i = 0; i < 100; i++) {
      const res = await admin.query("SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND query LIKE '%pg_sleep(10)%' AND state = 'active'", [appName]);
      if (res.rows.length) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    controller.abort();
    const err = await pending;
    expect(err).toBeInstanceOf(ExplainCancelledError);
    expect((err as ExplainCancelledError).why).toBe('cancelled');
    expect(await waitForNoActiveBackend(admin, appName)).toEqual([]);
    // The pool is still usable afterwards.
    expect((await db.explain('SELECT 1', { analyze: true, consentToWrites: false })).analyzed).toBe(true);
  });

  it('a write that times out is rolled back', async () => {
    const before = await tableChecksum(admin, t('items'));
    const err = await db
      .explain(`DELETE FROM ${t('items')} WHERE pg_sleep(0.01) IS NOT NULL`, { analyze: true, consentToWrites: true, timeoutMs: 200 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExplainCancelledError);
    expect(await tableChecksum(admin, t('items'))).toBe(before);
    expect(await waitForNoActiveBackend(admin, appName)).toEqual([]);
  });
});

describe('PostgreSQL: connection failures never show the password', () => {
  it('sslmode=require against a server without TLS fails clearly; prefer falls back to plain', async () => {
    const { config } = testConfig(appName);
    const ssl = await scalar<string>(admin, "SELECT current_setting('ssl') AS ssl");
    const strict = await openDatabase({ ...config, ssl: 'require' }, { limits: defaultSessionLimits, env: {} });
    const preferred = await openDatabase({ ...config, ssl: 'prefer' }, { limits: defaultSessionLimits, env: {} });
    try {
      if (ssl === 'off') {
        const err = await strict.test().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ConnectionError);
        expect((err as Error).message).toMatch(/SSL/);
      } else {
        expect((await strict.test()).dialect).toBe('postgres');
      }
      expect((await preferred.test()).dialect).toBe('postgres');
    } finally {
      await strict.close();
      await preferred.close();
    }
  });

  it('a closed port gives host, port and cause, without the password', async () => {
    const bad = await openDatabase(
      { name: 'bad', driver: 'postgres', host: '127.0.0.1', port: 1, user: 'postgres', database: 'test', ssl: 'disable' },
      { limits: defaultSessionLimits, password: 'Sup3r-Secret-pw', env: {} },
    );
    const err = await bad.test().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    const message = (err as Error).message;
    expect(message).toMatch(/127\.0\.0\.1:1/);
    expect(message).toMatch(/ECONNREFUSED/);
    expect(message).not.toContain('Sup3r-Secret-pw');
    await bad.close();
  });
});
