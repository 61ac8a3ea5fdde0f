// `dataeng explain` end to end through main(argv, io) against the real server and a real SQLite file.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';
import { openWritableSqlite } from '../../support/writableSqlite';
import { adminClient, pgUrl, scalar, tableChecksum, uniqueName } from './pgSupport';
import { buildWorkers } from './workerSupport';

const schema = uniqueName('dataeng_cli');
const dir = mkdtempSync(join(tmpdir(), 'dataeng-cli-'));
let admin: pg.Client;

async function run(argv: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    readFile: (p) => Promise.resolve(readFileSync(p, 'utf8')),
    env: { HOME: dir, ...env },
    cwd: dir,
  };
  const code = await main(['explain', ...argv], io);
  return { code, out, err };
}

beforeAll(async () => {
  admin = await adminClient();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`CREATE TABLE ${schema}.t (id serial PRIMARY KEY, v int)`);
  await admin.query(`INSERT INTO ${schema}.t (v) SELECT g FROM generate_series(1, 100) g`);
});

afterAll(async () => {
  await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin?.end();
  rmSync(dir, { recursive: true, force: true });
});

describe('dataeng explain (PostgreSQL)', () => {
  it('prints the plan as JSON', async () => {
    const r = await run(['--url', pgUrl, `SELECT * FROM ${schema}.t WHERE v = 3`]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['dialect', 'analyzed', 'rolledBack', 'planFormat', 'plan', 'warnings']));
    expect(json.dialect).toBe('postgres');
    expect(json.analyzed).toBe(false);
    expect(json.planFormat).toBe('postgres-json');
  });

  it('refuses two statements with exit 3 and the reason', async () => {
    const r = await run(['--url', pgUrl, `SELECT 1; DROP TABLE ${schema}.t`]);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/2 statements/);
    expect(await scalar<string | null>(admin, 'SELECT to_regclass($1)::text AS r', [`${schema}.t`])).not.toBeNull();
  });

  it('a write under --analyze needs --yes, and with it is rolled back', async () => {
    const before = await tableChecksum(admin, `${schema}.t`);
    const refused = await run(['--url', pgUrl, '--analyze', `DELETE FROM ${schema}.t`]);
    expect(refused.code).toBe(3);
    expect(refused.err).toMatch(/needs --yes/);
    const userAnalyze = await run(['--url', pgUrl, `EXPLAIN ANALYZE DELETE FROM ${schema}.t`]);
    expect(userAnalyze.code).toBe(3);
    expect(userAnalyze.err).toMatch(/needs --yes/);
    const ok = await run(['--url', pgUrl, '--analyze', '--yes', `INSERT INTO ${schema}.t (v) VALUES (1)`]);
    expect(ok.code).toBe(0);
    const json = JSON.parse(ok.out) as { analyzed: boolean; rolledBack: boolean; warnings: string[] };
    expect(json.analyzed).toBe(true);
    expect(json.rolledBack).toBe(true);
    expect(json.warnings.join('\n')).toMatch(/sequences/);
    expect(await tableChecksum(admin, `${schema}.t`)).toBe(before);
  });

  it('explains the statement at --offset in a --file', async () => {
    const file = join(dir, 'q.sql');
    const text = `SELECT 1;\n\nSELECT * FROM ${schema}.t WHERE id = 7;\nDELETE FROM ${schema}.t;\n`;
    writeFileSync(file, text);
    const r = await run(['--url', pgUrl, '--file', file, '--offset', String(text.indexOf('WHERE id'))]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { statement: string }).statement).toBe(`SELECT * FROM ${schema}.t WHERE id = 7`);
    const whole = await run(['--url', pgUrl, '--file', file]);
    expect(whole.code).toBe(3);
  });

  it('a timeout is reported and exits 1', async () => {
    const r = await run(['--url', pgUrl, '--analyze', '--timeout', '200', 'SELECT pg_sleep(3)']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/timeout/);
  });

  it('a closed port exits 4 with host, port and cause, never the password', async () => {
    const r = await run(['--url', 'postgres://alice:Pa55-w0rd-XyZ@127.0.0.1:1/db?sslmode=disable', 'SELECT 1']);
    expect(r.code).toBe(4);
    expect(r.err).toMatch(/127\.0\.0\.1:1/);
    expect(r.err).toMatch(/ECONNREFUSED/);
    expect(r.err + r.out).not.toContain('Pa55-w0rd-XyZ');
  });

  it('usage errors exit 2', async () => {
    expect((await run(['SELECT 1'])).code).toBe(2);
    expect((await run(['--url', 'oracle://x', 'SELECT 1'])).code).toBe(2);
    expect((await run(['--url', pgUrl, '--offset', '3', 'SELECT 1'])).code).toBe(2);
  });
});

describe('dataeng explain (SQLite)', () => {
  it('prints EXPLAIN QUERY PLAN rows and leaves the file unchanged', async () => {
    await buildWorkers();
    const file = join(dir, 'x.db');
    const w = openWritableSqlite(file);
    w.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v INT); INSERT INTO t (v) VALUES (1), (2)');
    w.close();
    const hash = createHash('sha256').update(readFileSync(file)).digest('hex');
    const r = await run(['--url', `sqlite://${file}`, '--analyze', 'SELECT * FROM t WHERE id = 1']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { planFormat: string; analyzed: boolean; warnings: string[] };
    expect(json.planFormat).toBe('sqlite-rows');
    expect(json.analyzed).toBe(false);
    expect(json.warnings.join('\n')).toMatch(/SQLite has no EXPLAIN ANALYZE/);
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(hash);
  });
});
