// `dataeng review-schema` through main(): the JSON contract and the exit codes, on the real server and a real file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';
import { openWritableSqlite } from '../../support/writableSqlite';

const url = process.env.DATAENG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `dataeng_f_cli_${process.pid}_${Date.now().toString(36)}`;
const client = new pg.Client({ connectionString: url });
const dir = mkdtempSync(join(tmpdir(), 'dataeng-cli-schema-'));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), readFile: () => Promise.resolve(''), env: {}, cwd: dir };
  const code = await main(argv, io);
  return { code, out, err };
}

beforeAll(async () => {
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.parent (id bigint PRIMARY KEY); CREATE TABLE ${schema}.child (id bigint PRIMARY KEY, parent_id bigint NOT NULL REFERENCES ${schema}.parent); CREATE TABLE ${schema}.heap (v text)`);
  const db = openWritableSqlite(join(dir, 'app.db'));
  db.exec('CREATE TABLE log (line TEXT); CREATE TABLE a (id INTEGER PRIMARY KEY); CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER NOT NULL REFERENCES a)');
  db.close();
});

afterAll(async () => {
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
  rmSync(dir, { recursive: true, force: true });
});

describe('dataeng review-schema', () => {
  it('prints tables, columns and findings as JSON for one PostgreSQL schema', async () => {
    const { code, out } = await run('review-schema', '--url', url, '--schema', schema);
    expect(code).toBe(0);
    const json = JSON.parse(out) as { tables: number; columns: number; findings: { rule: string; severity: string; object: string; message: string; fix: string }[] };
    expect(json).toMatchObject({ tables: 3, columns: 4 });
    const rules = json.findings.map((f) => `${f.rule} ${f.object}`);
    expect(rules).toContain(`no-primary-key ${schema}.heap`);
    expect(rules).toContain(`fk-without-index ${schema}.child`);
    const fk = json.findings.find((f) => f.rule === 'fk-without-index')!;
    expect(Object.keys(fk).sort()).toEqual(['fix', 'message', 'object', 'rule', 'severity']);
    expect(fk.fix).toBe(`CREATE INDEX CONCURRENTLY child_parent_id_idx ON ${schema}.child (parent_id);`);
  });

  it('reviews a SQLite file', async () => {
    const { code, out, err } = await run('review-schema', '--url', `sqlite:///${join(dir, 'app.db')}`);
    expect(err).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(out) as { tables: number; findings: { rule: string; object: string }[] };
    expect(json.tables).toBe(3);
    expect(json.findings.map((f) => `${f.rule} ${f.object}`).sort()).toEqual(['sqlite-fk-without-index b', 'sqlite-no-primary-key log']);
  });

  it('exits 1 with a clear message for a schema that does not exist', async () => {
    const { code, err } = await run('review-schema', '--url', url, '--schema', `${schema}_missing`);
    expect(code).toBe(1);
    expect(err).toContain(`schema "${schema}_missing" does not exist`);
  });

  it('exits 4 on a connection failure without printing the password', async () => {
    const { code, err, out } = await run('review-schema', '--url', 'postgres://postgres:Sup3rSecret@127.0.0.1:1/test');
    expect(code).toBe(4);
    expect(out).toBe('');
    expect(err).toMatch(/connect/i);
    expect(err).not.toContain('Sup3rSecret');
  });

  it('exits 2 on usage errors', async () => {
    expect((await run('review-schema')).code).toBe(2);
    expect((await run('review-schema', '--url', url, '--bogus')).code).toBe(2);
    expect((await run('review-schema', '--url', 'oracle://x')).code).toBe(2);
    expect((await run('review-schema', '--url', `sqlite:///${join(dir, 'app.db')}`, '--schema', 'x')).code).toBe(2);
  });
});
