// `dataeng locate` end to end: the built CLI spawned as a user (or an editor integration) would run it.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dialect } from '../../../src/core/sql/dialect';
import { split } from '../../../src/core/sql/locate';

const root = join(__dirname, '..', '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'sql');
const migration = join(fixtures, 'migration.pg.sql');
const migrationText = readFileSync(migration, 'utf8');
let work = '';

function run(args: string[], input?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'dataeng.js'), 'locate', ...args], { cwd: root, encoding: 'utf8', input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function located(stdout: string): { start: number; end: number; text: string } {
  return JSON.parse(stdout) as { start: number; end: number; text: string };
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` before the CLI tests (npm test does)');
  const help = spawnSync(process.execPath, [join(root, 'bin', 'dataeng.js'), '--help'], { encoding: 'utf8' });
  if (!help.stdout.includes('locate')) throw new Error('dist/cli.js predates `dataeng locate`: run `npm run build`');
  work = mkdtempSync(join(tmpdir(), 'dataeng-locate-'));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('dataeng locate (spawned)', () => {
  it('prints the statement at the offset as JSON, with the same range as split', () => {
    const offset = migrationText.indexOf('GET DIAGNOSTICS');
    const r = run([migration, '--offset', String(offset)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith('\n')).toBe(true);
    const out = located(r.stdout);
    const expected = split(migrationText, 'postgres').find((s) => s.start <= offset && offset <= s.end)!;
    expect(out).toEqual({ start: expected.start, end: expected.end, text: expected.text });
    expect(out.text).toMatch(/^CREATE OR REPLACE FUNCTION shop\.archive_orders/);
    expect(out.text.endsWith(';')).toBe(false);
  });

  it('accepts --offset=N and gives a cursor right after ; to the statement it ends', () => {
    const offset = migrationText.indexOf('SET search_path = shop, public;') + 'SET search_path = shop, public;'.length;
    const r = run([migration, `--offset=${offset}`]);
    expect(r.code).toBe(0);
    expect(located(r.stdout).text).toBe('SET search_path = shop, public');
  });

  it('exits 1 with a message on stderr when no statement is at the offset', () => {
    const r = run([migration, '--offset', '0']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/no statement at offset 0 of .*migration\.pg\.sql/);
  });

  it('infers sqlite from a .sqlite extension, so a trigger body stays whole', () => {
    const file = join(work, 'schema.sqlite');
    copyFileSync(join(fixtures, 'schema.sqlite.sql'), file);
    const text = readFileSync(file, 'utf8');
    const offset = text.indexOf("ELSE 'large'");
    const inferred = run([file, '--offset', String(offset)]);
    expect(inferred.code).toBe(0);
    expect(located(inferred.stdout).text).toMatch(/^CREATE TRIGGER IF NOT EXISTS events_count[\s\S]*END$/);
    // The same file as PostgreSQL (explicit flag wins): the SQLite-only comment swallows the rest of the file.
    const asPg = run([file, '--offset', String(offset), '--dialect', 'postgres']);
    expect(asPg.code).toBe(1);
    // And --dialect sqlite on a .sql file.
    const explicit = run([join(fixtures, 'schema.sqlite.sql'), '--offset', String(offset), '--dialect', 'sqlite']);
    expect(located(explicit.stdout)).toEqual(located(inferred.stdout));
  });

  it('counts offsets in UTF-16 code units, like VS Code', () => {
    const file = join(fixtures, 'unicode.pg.sql');
    const text = readFileSync(file, 'utf8');
    const offset = text.indexOf("'after 😀'") + 8;
    const out = located(run([file, '--offset', String(offset)]).stdout);
    expect(out).toEqual({ start: text.lastIndexOf("SELECT 'after"), end: text.lastIndexOf(';'), text: "SELECT 'after 😀'" });
  });

  it('reads standard input for -, and does not count a byte order mark', () => {
    const r = run(['-', '--offset', '3'], '\uFEFFSELECT 1;\nSELECT 2;');
    expect(r.code).toBe(0);
    expect(located(r.stdout)).toEqual({ start: 0, end: 8, text: 'SELECT 1' });
  });

  it('takes a selection with --end', () => {
    const r = run(['-', '--offset', '0', '--end', '22'], 'SELECT 1;\nSELECT 2;  \n\nSELECT 3;');
    expect(r.code).toBe(0);
    expect(located(r.stdout)).toEqual({ start: 0, end: 18, text: 'SELECT 1;\nSELECT 2' });
  });

  it('prints help and exits 0', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('usage: dataeng locate FILE --offset N');
    expect(r.stdout).toContain('--dialect');
  });

  const usageErrors: [string, string[], RegExp][] = [
    ['an unknown flag', [migration, '--offset', '1', '--cursor', '2'], /unknown option --cursor/],
    ['a missing file', [join(root, 'no-such-file.sql'), '--offset', '1'], /cannot read .*no-such-file\.sql: no such file/],
    ['a folder', [fixtures, '--offset', '1'], /cannot read .*: is a folder/],
    ['no FILE', ['--offset', '1'], /missing FILE/],
    ['no --offset', [migration], /missing --offset/],
    ['a negative offset', [migration, '--offset', '-1'], /--offset must not be negative/],
    ['an offset beyond the text', [migration, '--offset', String(migrationText.length + 1)], /beyond the end of the text/],
    ['a fractional offset', [migration, '--offset', '1.5'], /--offset must be an integer/],
    ['a word as offset', [migration, '--offset', 'end'], /--offset must be an integer/],
    ['a bad dialect', [migration, '--offset', '1', '--dialect', 'oracle'], /--dialect must be postgres, sqlite, mysql or duckdb, got "oracle"/],
    ['two files', [migration, migration, '--offset', '1'], /unexpected argument/],
  ];
  for (const [what, args, message] of usageErrors) {
    it(`exits 2 with a clear message on ${what}`, () => {
      const r = run(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    });
  }

  it('accepts the offset at the very end of the text', () => {
    const file = join(work, 'end.sql');
    writeFileSync(file, 'SELECT 1;\nSELECT 2');
    const r = run([file, '--offset', '18']);
    expect(r.code).toBe(0);
    expect(located(r.stdout).text).toBe('SELECT 2');
  });
});

/** Locates every statement of a file through the CLI, with the cursor in the middle of each one. */
function locateAll(file: string, text: string, dialect: Dialect): string[] {
  return split(text, dialect).map((s) => {
    const r = run([file, '--offset', String(Math.floor((s.start + s.end) / 2)), '--dialect', dialect]);
    if (r.code !== 0) throw new Error(`locate failed in ${s.text.slice(0, 40)}: ${r.stderr}`);
    return located(r.stdout).text;
  });
}

describe('located statements run on the real engines', () => {
  it('every statement of the PostgreSQL migration, as located, runs on PostgreSQL', async () => {
    // A unique schema and role name (everything is rolled back, but other agents share the server).
    const schema = `dataeng_locate_${process.pid}_${Date.now().toString(36)}`;
    const text = migrationText.replace(/\bshop\b/g, schema).replace(/\breporting\b/g, `${schema}_role`);
    const file = join(work, 'migration.sql');
    writeFileSync(file, text);
    const statements = locateAll(file, text, 'postgres');
    expect(statements).toHaveLength(10);

    const client = new pg.Client({ connectionString: process.env.DATAENG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test' });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.query(`CREATE TABLE ${schema}.customers (id bigint PRIMARY KEY)`);
      await client.query(`CREATE TABLE ${schema}.orders (id bigint PRIMARY KEY, customer_id bigint, price numeric, status text, created_at timestamptz)`);
      await client.query(`CREATE TABLE ${schema}.line_items (order_id bigint, qty int, unit_price numeric)`);
      await client.query(`CREATE TABLE ${schema}.counters (name text, value int)`);
      for (const statement of statements) await client.query(statement);
      // The bodies arrived whole: the functions work.
      const larger = await client.query(`SELECT ${schema}.larger(2, 5) AS v`);
      expect(larger.rows[0]).toEqual({ v: 5 });
      await client.query(`INSERT INTO ${schema}.customers VALUES (1)`);
      await client.query(`INSERT INTO ${schema}.orders VALUES (1, 1, 9.5, 'open', now() - interval '2 years')`);
      const moved = await client.query(`SELECT ${schema}.archive_orders() AS n`);
      expect(moved.rows[0]).toEqual({ n: 1 });
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end();
    }
  });

  it('every statement of the SQLite schema, as located, is exactly one SQLite statement, and the triggers fire', () => {
    const file = join(fixtures, 'schema.sqlite.sql');
    const statements = locateAll(file, readFileSync(file, 'utf8'), 'sqlite');
    expect(statements).toHaveLength(7);
    const db = new Database(':memory:');
    try {
      for (const statement of statements) {
        // prepare() refuses text holding more than one statement, so a trigger cut short or two statements
        // run together fail here.
        const prepared = db.prepare(statement);
        // The INSERT uses every parameter form; preparing it proves it parses, without inventing bindings.
        if (statement.startsWith('INSERT')) continue;
        if (prepared.reader) prepared.all();
        else prepared.run();
      }
      db.prepare("INSERT INTO events (kind, [user name]) VALUES ('click', 'Zoë'), ('click', 'Ann')").run();
      expect(db.prepare("SELECT n, bucket FROM event_counts WHERE kind = 'click'").get()).toEqual({ n: 2, bucket: 'small' });
      expect(() => db.prepare('DELETE FROM events').run()).toThrow(/append-only; use archive/);
    } finally {
      db.close();
    }
  });
});
