// Result equivalence on the real PostgreSQL server: the corpus of traps and equivalent rewrites, volatile statements
// that are never run, refusals of anything but a read, and nothing changed afterwards.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareResults } from '../../../src/app/proof';
import { RefusedStatementError } from '../../../src/db/errors';
import { openDatabase } from '../../../src/db/open';
import { defaultSessionLimits, type Database } from '../../../src/db/types';
import { corpus, corpusSetup, floatRows } from './compareCorpus';
import { adminClient, scalar, tableChecksum, testConfig, uniqueName } from './pgSupport';

const schema = uniqueName('dataeng_cmp');
const s = `${schema}.`;
let admin: pg.Client;
let db: Database;
let checksums: string[];

const tables = ['customers', 'orders', 'blocked', 'floats'];

async function checksumAll(): Promise<string[]> {
  const out: string[] = [];
  for (const t of tables) out.push(await tableChecksum(admin, `${s}${t}`));
  return out;
}

beforeAll(async () => {
  admin = await adminClient();
  await admin.query(`CREATE SCHEMA ${schema}`);
  for (const sql of corpusSetup(s)) await admin.query(sql);
  await admin.query(`INSERT INTO ${s}floats SELECT * FROM unnest($1::int[], $2::float8[])`, [floatRows.map((r) => r[0]), floatRows.map((r) => r[1])]);
  await admin.query(`CREATE TABLE ${s}docs (id int PRIMARY KEY, body json NOT NULL)`);
  await admin.query(`INSERT INTO ${s}docs VALUES (1, '{"a": 1}'), (2, '{"b": [1, 2]}')`);
  await admin.query(`CREATE SEQUENCE ${s}seq`);
  await admin.query(`CREATE FUNCTION ${s}pick() RETURNS int LANGUAGE sql VOLATILE AS 'SELECT 1'`);
  await admin.query(`CREATE FUNCTION ${s}stable_pick() RETURNS int LANGUAGE sql STABLE AS 'SELECT 1'`);
  checksums = await checksumAll();
  const { config, password } = testConfig('dataeng-test-compare');
  db = await openDatabase(config, { limits: defaultSessionLimits, ...(password ? { password } : {}), env: {} });
});

afterAll(async () => {
  await db?.close();
  await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin?.end();
});

describe('compare on PostgreSQL: the corpus', () => {
  for (const c of corpus(s).filter((x) => !x.dialects || x.dialects.includes('postgres'))) {
    it(c.name, async () => {
      const outcome = await compareResults(db, c.original, c.rewrite);
      const expected = Array.isArray(c.expect) ? c.expect : [c.expect];
      expect(expected, `${outcome.verdict}: ${outcome.reason}`).toContain(outcome.verdict);
      c.check?.(outcome);
    });
  }

  it('LIMIT with ties: at least one way of breaking the tie differs from the original, and is called nondeterministic', async () => {
    const o = `SELECT id, created FROM ${s}orders ORDER BY created LIMIT 2`;
    const verdicts = await Promise.all([`${o.replace('LIMIT 2', '')}, id LIMIT 2`, `${o.replace('LIMIT 2', '')}, id DESC LIMIT 2`].map((r) => compareResults(db, o, r)));
    expect(verdicts.map((v) => v.verdict)).toContain('nondeterministic');
    expect(verdicts.find((v) => v.verdict === 'nondeterministic')!.reason).toMatch(/tied on the ORDER BY key at the LIMIT/);
  });

  it('float sums in another order: equal up to rounding, and says so', async () => {
    const c = corpus(s).find((x) => x.name === 'float sums in a different order')!;
    const outcome = await compareResults(db, c.original, c.rewrite);
    expect(outcome.verdict).toBe('equal');
    // The exact comparison did see the difference in the last digits; the verdict says why it still counts as equal.
    expect(outcome.onlyInOriginal).toBe(1);
    expect(outcome.reason).toMatch(/up to floating-point rounding/);
    expect(outcome.warnings.join('\n')).toMatch(/10 significant digits/);
  });

  it('compares types without an equality operator (json) by their text', async () => {
    const outcome = await compareResults(db, `SELECT id, body FROM ${s}docs`, `SELECT id, body FROM ${s}docs WHERE id > 0`);
    expect(outcome.verdict).toBe('equal');
  });

  it('every equal verdict states its scope', async () => {
    const outcome = await compareResults(db, `SELECT * FROM ${s}orders`, `TABLE ${s}orders`);
    expect(outcome.verdict).toBe('equal');
    expect(outcome.reason).toBe('Equal on this database (6 rows); this is evidence for this data, not a proof for all data.');
  });
});

describe('compare on PostgreSQL: what is never run', () => {
  it('volatile functions, PostgreSQL\'s own and the user\'s, give cannot-verify and run nothing', async () => {
    const cases: [string, RegExp][] = [
      ['SELECT clock_timestamp()', /clock_timestamp\(\) is VOLATILE/],
      ['SELECT gen_random_uuid()', /gen_random_uuid\(\) is VOLATILE/],
      [`SELECT nextval('${s}seq')`, /nextval\(\)/],
      [`SELECT ${s}pick()`, new RegExp(`${schema}\\.pick\\(\\) is VOLATILE`)],
      [`SELECT * FROM ${s}orders TABLESAMPLE SYSTEM (50)`, /TABLESAMPLE without REPEATABLE/],
    ];
    for (const [sql, reason] of cases) {
      const outcome = await compareResults(db, sql, 'SELECT 1');
      expect(outcome.verdict, sql).toBe('cannot-verify');
      expect(outcome.reason, sql).toMatch(reason);
      expect(outcome.reason, sql).toMatch(/^Nothing was run/);
    }
    // nextval was never called: the sequence has not started.
    expect(await scalar<boolean>(admin, `SELECT is_called FROM ${s}seq`)).toBe(false);
    const stable = await compareResults(db, `SELECT ${s}stable_pick()`, 'SELECT 1');
    expect(stable.verdict).toBe('equal');
  });

  it('refuses anything but one read, before running it', async () => {
    for (const [original, why] of [
      [`DELETE FROM ${s}orders`, /DELETE statement; only reads are compared/],
      [`SELECT * FROM ${s}orders FOR UPDATE`, /locking read/],
      [`SELECT 1; DELETE FROM ${s}orders`, /2 statements/],
      [`EXPLAIN SELECT 1`, /EXPLAIN/],
      [`SELECT * FROM ${s}orders WHERE id = $1`, /bind parameters/],
      [`INSERT INTO ${s}blocked VALUES (9) RETURNING customer_id`, /INSERT/],
    ] as const) {
      const err = await compareResults(db, original, 'SELECT 1').catch((e: unknown) => e);
      expect(err, original).toBeInstanceOf(RefusedStatementError);
      expect((err as Error).message, original).toMatch(why);
    }
    // The rewrite is held to the same rules.
    await expect(compareResults(db, 'SELECT 1', `UPDATE ${s}orders SET amount = 0`)).rejects.toBeInstanceOf(RefusedStatementError);
  });

  it('a statement error names which side failed', async () => {
    await expect(compareResults(db, `SELECT * FROM ${s}orders`, `SELECT * FROM ${s}no_such_table`)).rejects.toThrow(/the rewrite: relation .* does not exist/);
  });

  it('left every table as it was, and the connection works on', async () => {
    expect(await checksumAll()).toEqual(checksums);
    expect((await compareResults(db, 'SELECT 1', 'SELECT 1')).verdict).toBe('equal');
  });
});
