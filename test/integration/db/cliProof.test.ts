// `dataeng whatif`, `dataeng advise-indexes` and `dataeng compare` end to end through main(argv, io): JSON on stdout,
// exit 3 refused (reason on stderr), exit 4 connection failure, --yes as the consent to build.
import Sqlite from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';
import { adminClient, pgUrl, uniqueName } from './pgSupport';
import { catalogSnapshot, ensureHypopgDatabase, type CatalogSnapshot } from './proofSupport';
import { buildWorkers } from './workerSupport';

const schema = uniqueName('dataeng_cliproof');
const dir = mkdtempSync(join(tmpdir(), 'dataeng-cliproof-'));
let admin: pg.Client;
let hypoAdmin: pg.Client;
let hypoUrl: string;
let before: CatalogSnapshot;

async function run(argv: string[]): Promise<{ code: number; out: string; err: string; json: Record<string, unknown> }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    readFile: (p) => Promise.resolve(readFileSync(p, 'utf8')),
    env: { HOME: dir },
    cwd: dir,
  };
  const code = await main(argv, io);
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(out) as Record<string, unknown>;
  } catch {
    // Not JSON (a failure): the test looks at the code and stderr.
  }
  return { code, out, err, json };
}

const setup = (s: string): string[] => [
  `CREATE SCHEMA ${s}`,
  `CREATE TABLE ${s}.t (id int PRIMARY KEY, c int NOT NULL, v text NOT NULL)`,
  `INSERT INTO ${s}.t SELECT g, g % 1000, md5(g::text) FROM generate_series(1, 30000) g`,
  `ANALYZE ${s}.t`,
];

beforeAll(async () => {
  admin = await adminClient();
  for (const sql of setup(schema)) await admin.query(sql);
  before = await catalogSnapshot(admin, schema);
  hypoUrl = await ensureHypopgDatabase();
  hypoAdmin = new pg.Client({ connectionString: hypoUrl, application_name: 'dataeng-test-admin' });
  await hypoAdmin.connect();
  for (const sql of setup(schema)) await hypoAdmin.query(sql);
});

afterAll(async () => {
  await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin?.end();
  await hypoAdmin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await hypoAdmin?.end();
  rmSync(dir, { recursive: true, force: true });
});

describe('dataeng whatif', () => {
  const sql = `SELECT * FROM ${schema}.t WHERE c = 7`;
  const index = `CREATE INDEX ON ${schema}.t (c)`;

  it('with HypoPG: prints the costs, the index used and both plans', async () => {
    const r = await run(['whatif', '--url', hypoUrl, '--index', index, sql]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(Object.keys(r.json)).toEqual(expect.arrayContaining(['method', 'before', 'after', 'usedIndexes', 'plans', 'warnings']));
    expect(r.json.method).toBe('hypopg');
    expect(r.json.usedIndexes).toEqual([index]);
    expect((r.json.before as { cost: number }).cost).toBeGreaterThan((r.json.after as { cost: number }).cost);
    expect((r.json.before as { timeMs?: number }).timeMs).toBeUndefined();
    expect(Array.isArray((r.json.plans as { before: unknown }).before)).toBe(true);
  });

  it('without HypoPG: refuses without --yes (exit 3, naming the table), builds and rolls back with it', async () => {
    const refused = await run(['whatif', '--url', pgUrl, '--index', index, sql]);
    expect(refused.code).toBe(3);
    expect(refused.err).toMatch(new RegExp(`refused: .*${schema}\\.t \\(.*SHARE lock.*needs --yes`));
    const ok = await run(['whatif', '--url', pgUrl, '--yes', '--analyze', '--index', index, sql]);
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.json.method).toBe('rolled-back-index');
    expect((ok.json.before as { timeMs: number }).timeMs).toBeGreaterThan(0);
    expect((ok.json.after as { timeMs: number }).timeMs).toBeGreaterThan(0);
    const capped = await run(['whatif', '--url', pgUrl, '--yes', '--max-table-bytes', '1000', '--index', index, sql]);
    expect(capped.code).toBe(3);
    expect(capped.err).toMatch(/Raise --max-table-bytes/);
    expect(await catalogSnapshot(admin, schema)).toEqual(before);
  });

  it('refuses a bad index statement before connecting (exit 3, not 4)', async () => {
    const r = await run(['whatif', '--url', 'postgres://nobody@127.0.0.1:1/x?sslmode=disable', '--index', `CREATE INDEX ON ${schema}.t (c); DROP TABLE ${schema}.t`, sql]);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/2 statements/);
    const notIndex = await run(['whatif', '--url', 'postgres://nobody@127.0.0.1:1/x?sslmode=disable', '--index', `VACUUM ${schema}.t`, sql]);
    expect(notIndex.code).toBe(3);
  });

  it('a closed port exits 4; missing --index is a usage error', async () => {
    expect((await run(['whatif', '--url', 'postgres://nobody@127.0.0.1:1/x?sslmode=disable', '--index', index, sql])).code).toBe(4);
    expect((await run(['whatif', '--url', pgUrl, sql])).code).toBe(2);
  });

  it('SQLite: an in-memory copy, the file unchanged', async () => {
    await buildWorkers();
    const file = join(dir, 'x.db');
    const w = new Sqlite(file);
    w.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, c INT)');
    const ins = w.prepare('INSERT INTO t (c) VALUES (?)');
    w.transaction(() => {
      for (let i = 0; i < 5000; i++) ins.run(i % 100);
    })();
    w.close();
    const hash = createHash('sha256').update(readFileSync(file)).digest('hex');
    const r = await run(['whatif', '--url', `sqlite://${file}`, '--index', 'CREATE INDEX t_c ON t (c)', 'SELECT * FROM t WHERE c = 3']);
    expect(r.err).toBe('');
    expect(r.json.method).toBe('in-memory-copy');
    expect(r.json.usedIndexes).toEqual(['CREATE INDEX t_c ON t (c)']);
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(hash);
  });
});

describe('dataeng advise-indexes', () => {
  it('prints the candidates, each tested, and the best', async () => {
    const r = await run(['advise-indexes', '--url', hypoUrl, `SELECT id FROM ${schema}.t WHERE c = 7`]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const candidates = r.json.candidates as { index: string; before: { cost: number }; after: { cost: number }; savedPct: number; method: string }[];
    expect(candidates.length).toBeGreaterThan(0);
    for (const c of candidates) expect(Object.keys(c)).toEqual(expect.arrayContaining(['index', 'before', 'after', 'savedPct', 'method']));
    expect(r.json.best).toMatch(new RegExp(`^CREATE INDEX CONCURRENTLY \\S+ ON ${schema}\\.t \\(c\\)`));
  });

  it('without HypoPG needs --yes, and exits 0 with best null when nothing helps', async () => {
    const refused = await run(['advise-indexes', '--url', pgUrl, `SELECT id FROM ${schema}.t WHERE c = 7`]);
    expect(refused.code).toBe(3);
    const none = await run(['advise-indexes', '--url', pgUrl, `SELECT id FROM ${schema}.t WHERE id = 7`]);
    expect(none.code).toBe(0);
    expect(none.json.best).toBeNull();
    expect(none.json.candidates).toEqual([]);
    expect(await catalogSnapshot(admin, schema)).toEqual(before);
  });
});

describe('dataeng compare', () => {
  it('prints the verdict; every verdict exits 0', async () => {
    const diff = await run(['compare', '--url', pgUrl, `SELECT DISTINCT c FROM ${schema}.t`, `SELECT c FROM ${schema}.t`]);
    expect(diff.code).toBe(0);
    expect(Object.keys(diff.json)).toEqual(expect.arrayContaining(['verdict', 'rows', 'onlyInOriginal', 'onlyInRewrite', 'orderMatches', 'reason', 'samples']));
    expect(diff.json.verdict).toBe('different');
    expect(diff.json.rows).toEqual({ original: 1000, rewrite: 30000 });
    expect(diff.json.onlyInRewrite).toBe(29000);
    expect((diff.json.samples as { onlyInRewrite: unknown[] }).onlyInRewrite).toHaveLength(5);
    const cannot = await run(['compare', '--url', pgUrl, 'SELECT random()', 'SELECT 0.5']);
    expect(cannot.code).toBe(0);
    expect(cannot.json.verdict).toBe('cannot-verify');
  });

  it('reads both statements from files at offsets', async () => {
    const a = join(dir, 'a.sql');
    const b = join(dir, 'b.sql');
    writeFileSync(a, `SELECT 1;\nSELECT id FROM ${schema}.t WHERE c = 5 OR c = 6;\n`);
    writeFileSync(b, `-- rewrite\nSELECT id FROM ${schema}.t WHERE c IN (5, 6);\n`);
    const r = await run(['compare', '--url', pgUrl, '--file-a', a, '--offset-a', '15', '--file-b', b, '--offset-b', '15']);
    expect(r.err).toBe('');
    expect(r.json.verdict).toBe('equal');
    expect(r.json.reason).toMatch(/^Equal on this database \(60 rows\)/);
  });

  it('refuses a write (exit 3) and reports a closed port (exit 4)', async () => {
    const r = await run(['compare', '--url', pgUrl, `DELETE FROM ${schema}.t`, 'SELECT 1']);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/refused: the original is a DELETE statement/);
    expect((await run(['compare', '--url', 'postgres://nobody@127.0.0.1:1/x?sslmode=disable', 'SELECT 1', 'SELECT 1'])).code).toBe(4);
    expect((await run(['compare', '--url', pgUrl, 'SELECT 1'])).code).toBe(2);
    expect(await catalogSnapshot(admin, schema)).toEqual(before);
  });
});
